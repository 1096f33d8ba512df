// Builds better-sqlite3 for the installed Electron into dist/native/, leaving node_modules with the
// Node build that tests, the CLI and the web host use. Fetches Electron's prebuilt binary (or its
// headers to compile) from the network, so it runs on developers' machines, not in CI.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = require('electron/package.json').version;
const target = path.join(root, 'dist/native/better_sqlite3.node');
const stamp = `${target}.electron-version`;

if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) process.exit(0);

const work = path.join(root, '.cache/better-sqlite3-electron');
rmSync(work, { recursive: true, force: true });
cpSync(path.join(root, 'node_modules/better-sqlite3'), work, {
  recursive: true,
  filter: (source) => !source.includes(`${path.sep}build${path.sep}`) && !source.endsWith(`${path.sep}build`),
});
const run = (command, args) => execFileSync(command, args, { cwd: work, stdio: 'inherit' });
const bin = (name) => path.join(root, 'node_modules/.bin', name);
console.log(`Building better-sqlite3 for Electron ${electronVersion}…`);
try {
  run(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion]);
} catch {
  run(bin('node-gyp'), ['rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers']);
}
mkdirSync(path.dirname(target), { recursive: true });
copyFileSync(path.join(work, 'build/Release/better_sqlite3.node'), target);
writeFileSync(stamp, electronVersion);

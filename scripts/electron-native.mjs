// Builds better-sqlite3 for the installed Electron into dist/native/, leaving node_modules with the
// Node build that tests, the CLI and the web host use. @electron/rebuild fetches Electron's
// prebuilt binary (or its headers, to compile), so this runs on developers' machines, not in CI.
import { rebuild } from '@electron/rebuild';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = require('electron/package.json').version;
const target = path.join(root, 'dist/native/better_sqlite3.node');
const stamp = `${target}.electron-version`;

if (!(existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion)) {
  // A copy in a project of its own, so the rebuild cannot touch node_modules.
  const work = path.join(root, '.cache/electron-native');
  const copy = path.join(work, 'node_modules/better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  cpSync(path.join(root, 'node_modules/better-sqlite3'), copy, {
    recursive: true,
    filter: (source) => path.relative(path.join(root, 'node_modules/better-sqlite3'), source).split(path.sep)[0] !== 'build',
  });
  const { version } = JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8'));
  writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'electron-native', dependencies: { 'better-sqlite3': version } }));
  console.log(`Building better-sqlite3 ${version} for Electron ${electronVersion}…`);
  await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(path.join(copy, 'build/Release/better_sqlite3.node'), target);
  writeFileSync(stamp, electronVersion);
}

// Runs the app electron-builder just packaged for this machine (release/) with --smoke-test: inside the real
// package, every native module must load (better-sqlite3 rebuilt for Electron, onnxruntime with its provider
// libraries), the bundled ffmpeg and ffprobe must run from outside the archive, the engine process must start
// and the shipped speech detector must run. `npm run dist` ends with it; `npm run check:dist` runs it alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const release = path.join(root, 'release');

/** The unpacked app electron-builder leaves beside the installers, for this platform. */
export function packagedExecutable() {
  if (!existsSync(release)) return null;
  const dirs = readdirSync(release, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => path.join(release, entry.name));
  const candidates = {
    linux: dirs.filter((dir) => /linux.*unpacked$/.test(dir)).map((dir) => path.join(dir, 'verbatim')),
    darwin: dirs.filter((dir) => /^mac/.test(path.basename(dir))).map((dir) => path.join(dir, 'Verbatim.app/Contents/MacOS/Verbatim')),
    win32: dirs.filter((dir) => /win.*unpacked$/.test(dir)).map((dir) => path.join(dir, 'Verbatim.exe')),
  }[process.platform] ?? [];
  return candidates.find((file) => existsSync(file)) ?? null;
}

export function checkPackaged(executable) {
  // The smoke test opens no web content. On Linux, Chromium's sandbox refuses to start as root (CI containers), and
  // the unpacked app's chrome-sandbox helper lacks the setuid bit its installers give it.
  const args = ['--smoke-test', ...(process.platform === 'linux' ? ['--no-sandbox'] : [])];
  const run = spawnSync(executable, args, { encoding: 'utf8', timeout: 120_000 });
  const output = `${run.stdout}${run.stderr}`;
  const ok = run.status === 0 && /^smoke-test ok /m.test(output);
  return { ok, status: run.status, output };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const executable = packagedExecutable();
  if (!executable) {
    console.error(`No packaged app for ${process.platform} in ${release}: run npm run dist first.`);
    process.exit(2);
  }
  const { ok, status, output } = checkPackaged(executable);
  console.log(output.trim());
  console.log(ok ? `The packaged app at ${executable} passed its smoke test.` : `The packaged app at ${executable} failed its smoke test (exit ${status}).`);
  process.exit(ok ? 0 : 1);
}

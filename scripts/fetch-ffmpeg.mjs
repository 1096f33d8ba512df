// Puts the ffmpeg/ffprobe pair the installers ship into node_modules: ffmpeg-static and @derhuerst/ffprobe-static
// download one FFmpeg release (the same tag for both) for this platform, or npm_config_platform / npm_config_arch,
// through HTTPS_PROXY when set. npm never runs their download at install time (package.json denies their install
// scripts), so `npm ci` works on a machine that reaches only the npm registry; there the system's pair is used.
// `--required` (npm run dist) fails the build when the download fails; otherwise the app falls back to the system's.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const required = process.argv.includes('--required');
let missing = 0;
for (const name of ['ffmpeg-static', '@derhuerst/ffprobe-static']) {
  const binary = require(name);
  if (binary && existsSync(binary)) continue;
  const folder = path.dirname(require.resolve(`${name}/package.json`));
  const result = spawnSync(process.execPath, ['install.js'], { cwd: folder, stdio: 'inherit' });
  if (result.status !== 0 || !binary || !existsSync(binary)) {
    missing += 1;
    console.error(`${name}: its ${binary ? path.basename(binary) : 'binary'} could not be downloaded for this platform.`);
  }
}
if (missing && required) process.exit(1);
if (missing) console.error('Verbatim will use the ffmpeg and ffprobe on PATH.');

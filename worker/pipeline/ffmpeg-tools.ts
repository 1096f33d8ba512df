import { createRequire } from 'node:module';
import type { ToolPaths } from '../../contracts/worker-protocol';

const require = createRequire(import.meta.url);

/** Inside a packaged app the binaries sit next to the asar archive, not in it. */
const unpacked = (file: string): string => file.replace(`app.asar${'/'}`, `app.asar.unpacked/`).replace('app.asar\\', 'app.asar.unpacked\\');

/** The configured ffmpeg/ffprobe, or the static builds shipped with the app. */
export function resolveTools(configured: ToolPaths): { ffmpeg: string; ffprobe: string } {
  return {
    ffmpeg: configured.ffmpegPath ?? unpacked((require('@ffmpeg-installer/ffmpeg') as { path: string }).path),
    ffprobe: configured.ffprobePath ?? unpacked((require('@ffprobe-installer/ffprobe') as { path: string }).path),
  };
}

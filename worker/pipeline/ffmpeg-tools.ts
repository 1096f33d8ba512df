// Which ffmpeg and ffprobe run: always one pair from one build, chosen by the host, never by a setting.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ToolPaths } from '../../contracts/worker-protocol';

const require = createRequire(import.meta.url);

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

/** Inside a packaged app the binaries sit next to the asar archive, not in it. */
const unpacked = (file: string): string => file.replace(`app.asar${'/'}`, `app.asar.unpacked/`).replace('app.asar\\', 'app.asar.unpacked\\');

/**
 * The builds `ffmpeg-static` and `@derhuerst/ffprobe-static` download (one FFmpeg release for both),
 * when they are on disk: `npm run fetch-ffmpeg` puts them there on a machine with internet, and the
 * installers carry them. null where either is missing. Looked for once per process: every job asks.
 */
let bundled: MediaTools | null | undefined;
export function bundledTools(): MediaTools | null {
  if (bundled !== undefined) return bundled;
  const located = (name: string): string | null => {
    try {
      const file = require(name) as string | { path?: string } | null;
      const found = typeof file === 'string' ? file : file?.path;
      return found && existsSync(unpacked(found)) ? unpacked(found) : null;
    } catch {
      return null;
    }
  };
  const ffmpeg = located('ffmpeg-static');
  const ffprobe = located('@derhuerst/ffprobe-static');
  bundled = ffmpeg && ffprobe ? { ffmpeg, ffprobe } : null;
  return bundled;
}

/**
 * The pair the host named (VERBATIM_FFMPEG_PATH and VERBATIM_FFPROBE_PATH together), else the bundled
 * pair, else the system's `ffmpeg` and `ffprobe` on PATH (Debian's security-maintained build, Homebrew's…).
 * Never a bundled ffmpeg with a system ffprobe: the two must agree on what a file is.
 */
export function resolveTools(configured: ToolPaths): MediaTools {
  if (configured.ffmpegPath && configured.ffprobePath) return { ffmpeg: configured.ffmpegPath, ffprobe: configured.ffprobePath };
  return bundledTools() ?? { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };
}

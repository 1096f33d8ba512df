import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { MediaInfo } from '../../contracts/domain';
import type { MediaTools } from './ffmpeg-tools';
import { MediaError, explainMediaFailure } from './media-error';
import { MAX_CHANNELS, MAX_SAMPLE_RATE, allowedDemuxer, mediaInput } from './media-input';
import { engineEnvironment } from '../../contracts/engine-environment';

/** What Verbatim reads of ffprobe's JSON; anything else in it is ignored, anything missing is unknown. */
const ProbeOutput = z.object({
  streams: z.array(z.object({ codec_type: z.string().optional(), codec_name: z.string().optional(), sample_rate: z.string().optional(), channels: z.number().optional(), duration: z.string().optional() })).default([]),
  format: z.object({ format_name: z.string().optional(), duration: z.string().optional() }).default({}),
});

/** Stage 1: check the file is there and readable media, in an allowed container, with an audio track, and describe it. */
export async function probeMedia(file: string, tools: MediaTools): Promise<MediaInfo> {
  const name = path.basename(file);
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new MediaError('not-a-file', `“${name}” is a folder with no audio or video files in it.`);
    // A pipe or a device would be read forever: no recording ends there.
    if (!info.isFile()) throw new MediaError('not-a-file', `“${name}” is not a file but a pipe, socket or device; save the recording to a file first.`);
    if (info.size === 0) throw new MediaError('empty', `“${name}” is empty (0 bytes).`);
    await access(file, constants.R_OK);
    const input = mediaInput(file, null);
    const probed = await run(tools.ffprobe, ['-v', 'warning', '-of', 'json', '-show_format', '-show_streams', ...input.options, input.url]);
    const data = ProbeOutput.parse(JSON.parse(probed.stdout));
    const demuxer = allowedDemuxer(data.format.format_name ?? '');
    if (!demuxer) throw new MediaError('unrecognised', `“${name}” is not an audio or video format Verbatim can read.`);
    const audio = data.streams.find((stream) => stream.codec_type === 'audio');
    if (!audio) throw new MediaError('no-audio', `“${name}” has no audio track.`);
    const sampleRate = Number(audio.sample_rate) || 0;
    const channels = audio.channels ?? 0;
    if (sampleRate > MAX_SAMPLE_RATE || channels > MAX_CHANNELS) {
      throw new MediaError('damaged', `“${name}” claims ${channels} channels at ${sampleRate} Hz, which no recording has; the file is damaged.`);
    }
    const stated = Number(audio.duration) > 0 ? Number(audio.duration) : Number(data.format.duration);
    // A stream written to a pipe (a browser's WebM, say) states no length, and one without a length header (an MP3
    // with no Xing frame, raw AAC) is only guessed from its first bitrate, sometimes by half: its packets say how long it is.
    const guessed = /Estimating duration from bitrate/.test(probed.stderr);
    const durationSec = Number.isFinite(stated) && stated > 0 && !guessed ? stated : await demuxedSeconds(file, demuxer, tools.ffmpeg);
    return { durationSec, container: data.format.format_name ?? demuxer, codec: audio.codec_name ?? 'unknown', sampleRate, channels };
  } catch (error) {
    throw explainMediaFailure(file, error, 'probe');
  }
}

/** The audio track's length from its packets' times: the file is read, nothing is decoded. */
async function demuxedSeconds(file: string, demuxer: string, ffmpegPath: string): Promise<number> {
  const input = mediaInput(file, demuxer);
  const { stdout } = await run(ffmpegPath, ['-nostdin', '-v', 'error', '-nostats', ...input.options, '-i', input.url, '-map', '0:a:0', '-c', 'copy', '-f', 'null', '-progress', 'pipe:1', '-']);
  const times = [...stdout.matchAll(/^out_time_us=(\d+)$/gm)].map((match) => Number(match[1]));
  const last = times.at(-1) ?? 0;
  return last / 1e6;
}

function run(tool: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { env: engineEnvironment(process.env), maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { message: `${error.message}\n${stderr}` }));
      else resolve({ stdout, stderr });
    });
  });
}

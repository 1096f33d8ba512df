import ffmpeg from 'fluent-ffmpeg';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MediaInfo } from '../../contracts/domain';
import { MediaError, explainMediaFailure } from './media-error';

/** Stage 1: check the file is there and readable media with an audio track, and describe it. */
export async function probeMedia(file: string, ffprobePath: string): Promise<MediaInfo> {
  const name = path.basename(file);
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new MediaError('not-a-file', `“${name}” is a folder with no audio or video files in it.`);
    // A pipe or a device would be read forever: no recording ends there.
    if (!info.isFile()) throw new MediaError('not-a-file', `“${name}” is not a file but a pipe, socket or device; save the recording to a file first.`);
    if (info.size === 0) throw new MediaError('empty', `“${name}” is empty (0 bytes).`);
    await access(file, constants.R_OK);
    const data = await new Promise<ffmpeg.FfprobeData>((resolve, reject) => {
      ffmpeg(file)
        .setFfprobePath(ffprobePath)
        .ffprobe((error: Error | null, probed) => (error ? reject(error) : resolve(probed)));
    });
    const audio = data.streams.find((stream) => stream.codec_type === 'audio');
    if (!audio) throw new MediaError('no-audio', `“${name}” has no audio track.`);
    const duration = Number(audio.duration) > 0 ? Number(audio.duration) : Number(data.format.duration);
    return {
      durationSec: Number.isFinite(duration) && duration > 0 ? duration : 0,
      container: data.format.format_name ?? 'unknown',
      codec: audio.codec_name ?? 'unknown',
      sampleRate: Number(audio.sample_rate) || 0,
      channels: audio.channels ?? 0,
    };
  } catch (error) {
    throw explainMediaFailure(file, error, 'probe');
  }
}

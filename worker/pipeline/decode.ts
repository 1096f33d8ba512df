import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { MediaInfo, Waveform } from '../../contracts/domain';
import { MediaError, explainMediaFailure } from './media-error';
import { allowedDemuxer, mediaInput } from './media-input';
import { engineEnvironment } from '../../contracts/engine-environment';
import { PeakAccumulator } from './peaks';
import type { StageContext } from './stage-progress';

export const PCM_SAMPLE_RATE = 16_000;
const BYTES_PER_SAMPLE = 4;
/**
 * A file may decode a little longer than its header states (estimated lengths of VBR MP3s are rough),
 * never half as long again: that is a header written to look small, a decompression bomb.
 */
const STATED_SLACK = { factor: 1.5, sec: 30 };

export interface DecodeResult {
  pcmPath: string;
  waveform: Waveform;
  decodedSec: number;
}

export class DecodeCanceled extends Error {
  constructor() {
    super('Decoding was canceled.');
  }
}

/**
 * Stage 2: decode the first audio track to 16 kHz mono float32, streamed to `outPath` with
 * waveform peaks computed on the way. Memory stays flat whatever the length: samples pass through
 * in chunks and only the peaks (bounded) are kept.
 */
export async function decodeToPcm(
  file: string,
  info: MediaInfo,
  options: { ffmpegPath: string; outPath: string; maxDecodedSec?: number | null },
  context: StageContext,
): Promise<DecodeResult> {
  const partial = `${options.outPath}.partial`;
  await mkdir(path.dirname(options.outPath), { recursive: true });
  const demuxer = allowedDemuxer(info.container);
  if (!demuxer) throw new MediaError('unrecognised', `“${path.basename(file)}” is not an audio or video format Verbatim can read.`);
  // Read as the container the probe found, never as whatever a second look at the bytes might suggest.
  const input = mediaInput(file, demuxer);
  const limitSec = Math.min(
    options.maxDecodedSec ?? Infinity,
    info.durationSec > 0 ? info.durationSec * STATED_SLACK.factor + STATED_SLACK.sec : Infinity,
  );
  // ffmpeg itself, with exactly these arguments: fluent-ffmpeg first runs `ffmpeg -formats` and `-encoders` in
  // every engine process to check what a command names, two more processes on the path of a decode that, in one
  // CI rehearsal, failed twice under load with nothing to say why. What ffmpeg says now reaches the log.
  const child = spawn(
    options.ffmpegPath,
    ['-nostdin', '-v', 'error', ...input.options, '-i', input.url, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(PCM_SAMPLE_RATE), '-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1'],
    { env: engineEnvironment(process.env), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true },
  );
  let said = '';
  child.stderr.on('data', (chunk: Buffer) => (said = (said + chunk.toString()).slice(-4000)));
  const finished = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${signal ? `was killed (${signal})` : `exited with code ${code}`}: ${said}`))));
  });
  finished.catch(() => undefined);
  const kill = (): void => void child.kill('SIGKILL');
  context.signal.addEventListener('abort', kill, { once: true });

  const peaks = new PeakAccumulator(PCM_SAMPLE_RATE);
  let samples = 0;
  // Splits ffmpeg's byte chunks into whole float samples, feeds the peaks, reports progress.
  async function* toSamples(source: AsyncIterable<Buffer>): AsyncGenerator<Uint8Array> {
    let carry = new Uint8Array(0);
    for await (const chunk of source) {
      const bytes = joined(carry, chunk);
      const usable = bytes.length - (bytes.length % BYTES_PER_SAMPLE);
      carry = bytes.slice(usable);
      // A fresh buffer, so the float view is aligned whatever offset the chunk had.
      const block = bytes.slice(0, usable);
      peaks.push(new Float32Array(block.buffer, block.byteOffset, usable / BYTES_PER_SAMPLE));
      samples += usable / BYTES_PER_SAMPLE;
      const decodedSec = samples / PCM_SAMPLE_RATE;
      if (decodedSec > limitSec) {
        throw new MediaError(
          'longer-than-stated',
          `“${path.basename(file)}” holds more audio than it states (${formatClock(info.durationSec)}); it is damaged or not what it claims to be.`,
        );
      }
      context.progress(info.durationSec > 0 ? decodedSec / info.durationSec : 0, decodedSec);
      yield block;
    }
  }
  try {
    // pipeline() carries backpressure and any stage's error (a full disk, say) to one place.
    await pipeline(child.stdout, toSamples, createWriteStream(partial));
    await finished;
    const decodedSec = samples / PCM_SAMPLE_RATE;
    checkComplete(file, info, decodedSec);
    await rename(partial, options.outPath);
    return { pcmPath: options.outPath, waveform: peaks.finish(), decodedSec };
  } catch (error) {
    kill();
    await rm(partial, { force: true });
    if (context.signal.aborted) throw new DecodeCanceled();
    throw explainMediaFailure(file, error, 'decode');
  } finally {
    context.signal.removeEventListener('abort', kill);
  }
}

function joined(carry: Uint8Array, chunk: Buffer): Uint8Array {
  if (carry.length === 0) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
  const bytes = new Uint8Array(carry.length + chunk.length);
  bytes.set(carry);
  bytes.set(chunk, carry.length);
  return bytes;
}

/** ffmpeg decodes what it can of a cut-off file without complaint; the shortfall gives it away. */
function checkComplete(file: string, info: MediaInfo, decodedSec: number): void {
  const name = path.basename(file);
  if (decodedSec === 0) throw new MediaError('damaged', `“${name}” contains no audio that could be decoded.`);
  const missing = info.durationSec - decodedSec;
  if (info.durationSec > 0 && missing > 1 && decodedSec < info.durationSec * 0.9) {
    throw new MediaError(
      'truncated',
      `“${name}” is incomplete: it should last ${formatClock(info.durationSec)} but only ${formatClock(decodedSec)} could be read.`,
    );
  }
}

function formatClock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

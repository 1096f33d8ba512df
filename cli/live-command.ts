// `verbatim live FILE`: a file streamed through the live pipeline (the app's recorder path: core,
// recording file, live-captions process) at real-time pace, or as fast as captions keep up.
import { spawn } from 'node:child_process';
import type { LiveCaption } from '../contracts/live-protocol';
import { LIVE_SAMPLE_RATE } from '../contracts/live-protocol';
import type { VerbatimCore } from '../core/verbatim-core';
import { resolveTools } from '../worker/pipeline/ffmpeg-tools';
import { clock } from './progress-line';

/** Audio sent at a time: what a microphone's capture sends at real-time pace (100 ms) or, fast, a decode's worth. */
const REALTIME_CHUNK_SEC = 0.1;
const FAST_CHUNK_SEC = 1;

export async function liveFile(core: VerbatimCore, file: string, options: { fast: boolean; json: boolean; ffmpegPath: string | null }): Promise<number> {
  const pcm = await decodePcm16(file, options.ffmpegPath);
  const audioSec = pcm.byteLength / 2 / LIVE_SAMPLE_RATE;
  const finals: number[] = [];
  const firstWords: number[] = [];
  let skippedSec = 0;
  let heardSec = 0;
  let wake: (() => void) | null = null;
  const tty = process.stdout.isTTY && !options.json;
  const session = await core.live.start(`file: ${file}`);
  let engine: { model: string; provider: string } | null = null;
  core.live.on('live.changed', (view) => (engine = view?.captions ?? engine));
  core.live.on('live.caption', (sessionId, caption: LiveCaption) => {
    if (sessionId !== session.id) return;
    if (caption.type === 'status') {
      heardSec = caption.heardSec;
      wake?.();
      return;
    }
    if (caption.type === 'skipped') skippedSec += caption.toSec - caption.fromSec;
    if (caption.type === 'final') finals.push(caption.latencyMs);
    if (caption.type !== 'skipped' && caption.latencyMs !== null && caption.type === 'partial') firstWords.push(caption.latencyMs);
    print(caption, options.json, tty);
  });

  const started = Date.now();
  const chunkBytes = Math.round((options.fast ? FAST_CHUNK_SEC : REALTIME_CHUNK_SEC) * LIVE_SAMPLE_RATE) * 2;
  let seq = 0;
  for (let offset = 0; offset < pcm.byteLength; offset += chunkBytes, seq++) {
    const chunk = pcm.subarray(offset, Math.min(pcm.byteLength, offset + chunkBytes));
    core.live.audio(session.id, seq, chunk);
    const sentSec = (offset + chunk.byteLength) / 2 / LIVE_SAMPLE_RATE;
    if (options.fast) {
      // Paced by the captions: the next second goes once this one is done, so nothing is skipped.
      while (heardSec < sentSec - 1e-6) await new Promise<void>((resolve) => (wake = resolve));
    } else {
      const due = started + sentSec * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    }
  }
  await core.live.stop(session.id);
  const wallSec = (Date.now() - started) / 1000;
  if (tty) process.stdout.write('\x1b[2K\r');
  const summary = {
    type: 'summary',
    audioSec: round(audioSec),
    wallSec: round(wallSec),
    ...(options.fast ? { realTimeFactor: round(wallSec / audioSec) } : {}),
    model: (engine as { model: string } | null)?.model ?? null,
    provider: (engine as { provider: string } | null)?.provider ?? null,
    finals: finals.length,
    finalLatencyMs: { p50: percentile(finals, 0.5), p95: percentile(finals, 0.95) },
    firstWordsLatencyMs: { p50: percentile(firstWords, 0.5), p95: percentile(firstWords, 0.95) },
    skippedSec: round(skippedSec),
  };
  if (options.json) console.log(JSON.stringify(summary));
  else
    process.stderr.write(
      `${clock(audioSec)} of audio in ${clock(wallSec)}; final text ${summary.finalLatencyMs.p50} ms (p50) / ${summary.finalLatencyMs.p95} ms (p95) after the words were spoken` +
        `${skippedSec > 0 ? `; captions skipped ${skippedSec.toFixed(1)} s to keep up` : ''}.\n`,
    );
  return 0;
}

function print(caption: Exclude<LiveCaption, { type: 'status' }>, json: boolean, tty: boolean): void {
  if (json) {
    if (caption.type === 'skipped') console.log(JSON.stringify(caption));
    else if (caption.type === 'final' || caption.text) console.log(JSON.stringify({ type: caption.type, text: caption.text, start: caption.start, end: caption.end, latencyMs: caption.latencyMs }));
    return;
  }
  if (caption.type === 'final') process.stdout.write(`${tty ? '\x1b[2K\r' : ''}[${clock(caption.start)}] ${caption.text}\n`);
  else if (caption.type === 'skipped') process.stdout.write(`${tty ? '\x1b[2K\r' : ''}[captions skipped ${clock(caption.fromSec)}–${clock(caption.toSec)} to keep up]\n`);
  else if (tty && caption.text) process.stdout.write(`\x1b[2K\r\x1b[2m… ${caption.text}\x1b[0m`);
}

/** The file as 16 kHz mono 16-bit PCM, as the recorder captures it. */
async function decodePcm16(file: string, ffmpegPath: string | null): Promise<Uint8Array> {
  const { ffmpeg } = resolveTools({ ffmpegPath, ffprobePath: null });
  const child = spawn(ffmpeg, ['-nostdin', '-loglevel', 'error', '-i', file, '-ac', '1', '-ar', String(LIVE_SAMPLE_RATE), '-f', 's16le', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (errors += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`“${file}” could not be read as audio: ${errors.trim().split('\n')[0] ?? `ffmpeg exited with ${code}`}`);
  return new Uint8Array(Buffer.concat(chunks));
}

function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

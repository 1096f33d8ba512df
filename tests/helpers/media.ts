// Real media for tests, made on the spot with the ffmpeg the app ships, from the shared audio.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveTools } from '../../worker/pipeline/ffmpeg-tools';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedAudio = path.resolve(projectRoot, '../shared/audio');
export const sharedModels = path.resolve(projectRoot, '../shared/models');
export const dialogueWav = path.join(sharedAudio, 'synthetic/dialogue-2spk.wav');
export const workerEntry = path.join(projectRoot, 'dist/worker/worker-main.cjs');
export const liveWorkerEntry = path.join(projectRoot, 'dist/worker/live-main.cjs');

const tools = resolveTools({ ffmpegPath: null, ffprobePath: null });

export function ffmpeg(...args: string[]): void {
  execFileSync(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

/** Exact duration of a file's first audio stream, as ffprobe reads it. */
export function probeDuration(file: string): number {
  const out = execFileSync(tools.ffprobe, [
    '-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=duration', '-of', 'csv=p=0', file,
  ]);
  return Number(String(out).trim());
}

/** A fresh folder that a worker running as another user can read and write. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `verbatim-${prefix}-`));
  chmodSync(dir, 0o777);
  return dir;
}

/**
 * A generated test file, made once per machine and shared by the test files; written under a
 * temporary name, then renamed, so an interrupted run never leaves a short file behind.
 */
export function cachedMedia(name: string, make: (partial: string) => void): string {
  const dir = path.join(os.tmpdir(), 'verbatim-test-media');
  mkdirSync(dir, { recursive: true, mode: 0o777 });
  const out = path.join(dir, name);
  if (existsSync(out)) return out;
  const partial = `${out}.${process.pid}.partial${path.extname(name)}`;
  make(partial);
  renameSync(partial, out);
  return out;
}

/** The shared dialogue looped to `minutes` long, as MP3: speech from start to end. */
export function longMp3(minutes: number): string {
  return cachedMedia(`long-${minutes}min.mp3`, (partial) =>
    ffmpeg('-stream_loop', '-1', '-i', dialogueWav, '-t', String(minutes * 60), '-c:a', 'libmp3lame', '-b:a', '64k', partial),
  );
}

/**
 * N minutes of tones (no speech): decoding and speech detection take seconds, so a job can be
 * interrupted mid-way, and no model time is spent on it.
 */
export function longTone(minutes: number): string {
  const seconds = String(minutes * 60);
  return cachedMedia(`tones-${minutes}min.mp3`, (partial) =>
    ffmpeg('-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=frequency=660:duration=${seconds}`,
      '-filter_complex', 'amix=inputs=2,volume=0.5', '-c:a', 'libmp3lame', '-b:a', '64k', partial),
  );
}

export interface MediaSet {
  good: { wav: string; mp3: string; m4a: string; oddName: string };
  bad: Record<
    'missing' | 'empty' | 'textAsMp3' | 'truncatedM4a' | 'videoOnly' | 'folder' | 'oddNameCorrupt' | 'unreadable' | 'pipe',
    string
  >;
  /** A WAV whose recording stopped mid-way (its header promises more): kept, not failed. */
  cutOffWav: string;
  /** A WAV whose header claims 4 GB of data, as a streaming recorder leaves it, with 5 s of audio: kept. */
  placeholderWav: string;
}

/** Every kind of input the queue must cope with, good and bad, in `dir`. */
export function makeMediaSet(dir: string): MediaSet {
  const at = (name: string): string => path.join(dir, name);
  const wav = at('dialogue.wav');
  copyFileSync(dialogueWav, wav);
  const mp3 = at('dialogue.mp3');
  ffmpeg('-i', wav, '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '96k', mp3);
  const m4a = at('dialogue.m4a');
  ffmpeg('-i', wav, '-ar', '44100', '-c:a', 'aac', '-b:a', '96k', m4a);
  // Distinct recordings: identical bytes would (rightly) be one media item.
  const oddName = at(`it's a "quoted" naïve — 会議 recording.wav`);
  copyFileSync(path.join(sharedAudio, 'synthetic/podcast-3spk.wav'), oddName);

  const empty = at('empty.wav');
  writeFileSync(empty, '');
  const textAsMp3 = at('notes.mp3');
  writeFileSync(textAsMp3, 'Meeting notes: these are words, not sound.\n'.repeat(200));
  const truncatedM4a = at('truncated.m4a');
  const m4aBytes = readFileSync(m4a);
  // ffmpeg writes the index (moov) last: cutting the end leaves a file no player can open.
  writeFileSync(truncatedM4a, m4aBytes.subarray(0, Math.floor(m4aBytes.length * 0.6)));
  const cutOffWav = at('cut-off.wav');
  const wavBytes = readFileSync(wav);
  writeFileSync(cutOffWav, wavBytes.subarray(0, Math.floor(wavBytes.length * 0.4)));
  const videoOnly = at('screen-capture.mp4');
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=duration=2:size=160x120:rate=10', '-c:v', 'mpeg4', videoOnly);
  const folder = at('looks-like-audio.mp3');
  mkdirSync(folder);
  const oddNameCorrupt = at(`Ünïcödé "broken" file's.mp3`);
  writeFileSync(oddNameCorrupt, Buffer.concat([Buffer.from('ID3\u0003\u0000\u0000\u0000\u0000\u0000\u0000'), Buffer.alloc(4096, 0x5a)]));
  const unreadable = at('locked.wav');
  copyFileSync(path.join(sharedAudio, 'ami-debug/trn01.wav'), unreadable);
  chmodSync(unreadable, 0o000);
  const pipe = at('live-stream.wav');
  execFileSync('mkfifo', [pipe]);
  // A streaming recorder's header: the data size left at its 4 GB placeholder, 5 s of real audio after it.
  const placeholderWav = at('streamed.wav');
  writeFileSync(placeholderWav, withPlaceholderSize(wavBytes, 5));
  return {
    good: { wav, mp3, m4a, oddName },
    bad: {
      missing: at('moved-away.wav'),
      empty,
      textAsMp3,
      truncatedM4a,
      videoOnly,
      folder,
      oddNameCorrupt,
      unreadable,
      pipe,
    },
    cutOffWav,
    placeholderWav,
  };
}

/** A 16-bit WAV's first `seconds`, its RIFF and data sizes set to the 4 GB placeholder of a recorder that never finished writing. */
function withPlaceholderSize(wav: Buffer, seconds: number): Buffer {
  let offset = 12;
  while (wav.toString('ascii', offset, offset + 4) !== 'data') offset += 8 + wav.readUInt32LE(offset + 4);
  const bytesPerSec = wav.readUInt32LE(28);
  const out = Buffer.from(wav.subarray(0, offset + 8 + bytesPerSec * seconds));
  out.writeUInt32LE(0xffffffff, 4);
  out.writeUInt32LE(0xfffffff0, offset + 4);
  return out;
}

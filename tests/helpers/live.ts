import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSpeech } from '../../bench/lib/read-speech';
import { resolveTools } from '../../worker/pipeline/ffmpeg-tools';
import { cachedMedia, ffmpeg, sharedAudio } from './media';

const tools = resolveTools({ ffmpegPath: null, ffprobePath: null });

/**
 * The first `count` real read-speech utterances, each followed by a second of silence, as one 16 kHz
 * mono WAV (what a person reading into a microphone gives), with the words they read. `leadIn`: a
 * second of silence first too, as when a person presses Record and then starts to speak.
 */
export function readSpeechTake(count: number, leadIn = false): { wav: string; reference: string } {
  const utterances = readSpeech(sharedAudio).slice(0, count);
  const wav = cachedMedia(`read-speech-take-${count}${leadIn ? '-lead-in' : ''}.wav`, (partial) => {
    const list = `${partial}.txt`;
    const pause = `${partial}.pause.wav`;
    ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '1', '-c:a', 'pcm_s16le', pause);
    const files = utterances.flatMap((u) => [u.wav, path.resolve(pause)]);
    writeFileSync(list, (leadIn ? [path.resolve(pause), ...files] : files).map((file) => `file '${file}'`).join('\n'));
    ffmpeg('-f', 'concat', '-safe', '0', '-i', list, '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', '-map_metadata', '-1', '-bitexact', partial);
  });
  return { wav, reference: utterances.map((u) => u.reference).join(' ') };
}

/** A file's audio as 16 kHz mono 16-bit PCM bytes: what the recorder sends. */
export function pcm16(file: string): Buffer {
  return execFileSync(tools.ffmpeg, ['-loglevel', 'error', '-i', file, '-ac', '1', '-ar', '16000', '-f', 's16le', 'pipe:1'], { maxBuffer: 1 << 30 });
}

/** Splits PCM into 100 ms chunks, as the capture worklet posts them. */
export function chunks(pcm: Uint8Array, chunkSec = 0.1): Uint8Array[] {
  const size = Math.round(chunkSec * 16_000) * 2;
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < pcm.byteLength; offset += size) out.push(pcm.subarray(offset, offset + size));
  return out;
}

// The real read-speech set (../shared/audio/read-speech: LJ Speech and LibriVox), for WER tests and
// benchmarks, and a long file made of it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveTools } from '../../worker/pipeline/ffmpeg-tools';

export interface Utterance {
  id: string;
  wav: string;
  /** The exact words read, as refs.tsv gives them. */
  reference: string;
}

export function readSpeech(sharedAudio: string): Utterance[] {
  const dir = path.join(sharedAudio, 'read-speech');
  return readFileSync(path.join(dir, 'refs.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [id, reference] = line.split('\t') as [string, string];
      return { id, wav: path.join(dir, 'wav', `${id}.wav`), reference };
    });
}

/** Seconds of a 16 kHz mono 16-bit WAV with a 44-byte header, as these files are. */
export function wavSeconds(wav: string): number {
  return (readFileSync(wav).length - 44) / 32_000;
}

/**
 * The utterances, each followed by a second of silence, repeated in whole rounds until about
 * `minutes` long, made once into `workDir` as 16 kHz mono WAV (or raw float32, as the worker caches it).
 */
export function longRealSpeech(sharedAudio: string, workDir: string, minutes: number, format: 'wav' | 'f32' = 'wav'): { file: string; reference: string; rounds: number } {
  const utterances = readSpeech(sharedAudio);
  const roundSec = utterances.reduce((sum, u) => sum + wavSeconds(u.wav) + 1, 0);
  const rounds = Math.max(1, Math.round((minutes * 60) / roundSec));
  const file = path.join(workDir, `read-speech-x${rounds}.${format}`);
  if (!existsSync(file)) {
    mkdirSync(workDir, { recursive: true });
    const ffmpeg = resolveTools({ ffmpegPath: null, ffprobePath: null }).ffmpeg;
    const pause = path.join(workDir, 'pause-1s.wav');
    execFileSync(ffmpeg, ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '1', '-c:a', 'pcm_s16le', pause]);
    const list = path.join(workDir, `read-speech-x${rounds}.txt`);
    const once = utterances.flatMap((u) => [`file '${u.wav}'`, `file '${pause}'`]);
    writeFileSync(list, `${Array.from({ length: rounds }, () => once).flat().join('\n')}\n`);
    const output = format === 'wav' ? ['-c:a', 'pcm_s16le'] : ['-f', 'f32le'];
    execFileSync(ffmpeg, ['-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-ar', '16000', '-ac', '1', ...output, file]);
  }
  const reference = Array.from({ length: rounds }, () => utterances.map((u) => u.reference).join('\n')).join('\n');
  return { file, reference, rounds };
}

/**
 * A long recording of the real utterances as people leave pauses: `rounds` times through the set,
 * pauses of 0.7 to 2.5 s, and every fourth utterance said twice in a row, as a speaker repeating
 * a sentence does (the case where Whisper skips the second saying). Made once into `workDir` (16 kHz
 * mono WAV); returns the utterances' texts in the order spoken.
 */
export function pausedRealSpeech(sharedAudio: string, workDir: string, rounds: number): { file: string; spoken: string[]; durationSec: number } {
  const utterances = readSpeech(sharedAudio);
  const pauses = [0.7, 1.5, 2.5, 1];
  const order: Utterance[] = [];
  for (let round = 0; round < rounds; round++) {
    utterances.forEach((utterance, index) => {
      order.push(utterance);
      if (index % 4 === 3) order.push(utterance);
    });
  }
  const file = path.join(workDir, `read-speech-paused-x${rounds}.wav`);
  const durationSec = order.reduce((sum, utterance, index) => sum + wavSeconds(utterance.wav) + pauses[index % pauses.length]!, 0);
  if (!existsSync(file)) {
    mkdirSync(workDir, { recursive: true });
    const ffmpeg = resolveTools({ ffmpegPath: null, ffprobePath: null }).ffmpeg;
    const silence = pauses.map((sec) => {
      const pause = path.join(workDir, `pause-${sec}s.wav`);
      execFileSync(ffmpeg, ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', String(sec), '-c:a', 'pcm_s16le', pause]);
      return pause;
    });
    const list = path.join(workDir, `read-speech-paused-x${rounds}.txt`);
    writeFileSync(list, `${order.flatMap((utterance, index) => [`file '${utterance.wav}'`, `file '${silence[index % silence.length]!}'`]).join('\n')}\n`);
    execFileSync(ffmpeg, ['-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', file]);
  }
  return { file, spoken: order.map((utterance) => utterance.reference), durationSec };
}

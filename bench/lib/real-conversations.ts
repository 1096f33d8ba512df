// More conversations of real voices than ../shared/audio/real-speakers ships, made from its clips
// and the read-speech set as its README suggests, so the built-in tier is judged (and tuned) on
// more than three files. Deterministic: the same files and turns every run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Turn } from './diarization-error-rate';

export interface MadeConversation {
  id: string;
  /** Raw float32 16 kHz mono, as the worker caches a decoded recording. */
  pcm: string;
  reference: Turn[];
}

/** Each: the clips in speaking order (the speaker is the file name's first word) and the pause between turns. */
const RECIPES: ReadonlyArray<{ id: string; pauseSec: number; clips: string[] }> = [
  { id: 'made-fangjun-liudehua', pauseSec: 0.4, clips: ['fangjun-sr-2', 'liudehua-sr-2', 'fangjun-test-sr-1', 'liudehua-test-sr-1', 'fangjun-sr-1', 'liudehua-test-sr-2'] },
  { id: 'made-leijun-liudehua-quick', pauseSec: 0.2, clips: ['leijun-sr-1', 'liudehua-sr-1', 'leijun-test-sr-3', 'liudehua-test-sr-1', 'leijun-sr-2', 'liudehua-sr-2'] },
  { id: 'made-three-mixed', pauseSec: 0.3, clips: ['leijun-test-sr-2', 'austen-0870', 'fangjun-test-sr-1', 'leijun-test-sr-3', 'austen-0890', 'fangjun-sr-2', 'austen-0920'] },
  { id: 'made-four', pauseSec: 0.5, clips: ['fangjun-sr-2', 'leijun-test-sr-1', 'liudehua-test-sr-2', 'austen-0920', 'fangjun-test-sr-2', 'leijun-sr-2', 'liudehua-sr-2', 'austen-0890'] },
  // One voice: a count of one must stay one (a lecture, a dictation), even across recording sessions.
  { id: 'made-lj-alone', pauseSec: 0.4, clips: ['lj-0001', 'lj-0002', 'lj-0003', 'lj-0004', 'lj-0005', 'lj-0006'] },
  { id: 'made-leijun-alone', pauseSec: 0.4, clips: ['leijun-sr-1', 'leijun-test-sr-1', 'leijun-sr-2', 'leijun-test-sr-2', 'leijun-test-sr-3'] },
  // Monologues of 15–60 s: one reader, one session, or one person's clips from several sessions.
  { id: 'made-lj-15s', pauseSec: 0.4, clips: ['lj-0001', 'lj-0002'] },
  { id: 'made-lj-30s', pauseSec: 0.4, clips: ['lj-0003', 'lj-0004', 'lj-0005', 'lj-0006'] },
  { id: 'made-lj-60s', pauseSec: 0.4, clips: ['lj-0005', 'lj-0006', 'lj-0007', 'lj-0008', 'lj-0009', 'lj-0010', 'lj-0011', 'lj-0012'] },
  { id: 'made-austen-alone', pauseSec: 0.4, clips: ['austen-0870', 'austen-0880', 'austen-0890', 'austen-0920', 'austen-0930'] },
  { id: 'made-fangjun-alone', pauseSec: 0.4, clips: ['fangjun-sr-1', 'fangjun-sr-2', 'fangjun-sr-3', 'fangjun-test-sr-1', 'fangjun-test-sr-2'] },
  { id: 'made-liudehua-alone', pauseSec: 0.4, clips: ['liudehua-sr-1', 'liudehua-sr-2', 'liudehua-test-sr-1', 'liudehua-test-sr-2'] },
  // Meetings of six and eight people: the five voices above and far-field AMI participants, each
  // cut where they speak alone (ami_<speaker>-<meeting>-<start>-<end>, from ../ami-debug's RTTM).
  {
    id: 'made-six',
    pauseSec: 0.3,
    clips: ['fangjun-sr-2', 'lj-0003', 'ami_MEO069-trn03-2-8', 'leijun-test-sr-1', 'austen-0890', 'liudehua-sr-2', 'ami_MEO069-trn03-12-18', 'fangjun-test-sr-1', 'lj-0007', 'leijun-sr-2', 'austen-0920', 'liudehua-test-sr-2'],
  },
  {
    id: 'made-eight',
    pauseSec: 0.3,
    clips: [
      'fangjun-sr-2', 'ami_FEE078-trn05-9.5-14.5', 'lj-0003', 'ami_MEO069-trn03-2-8', 'leijun-test-sr-1', 'austen-0890', 'ami_MEE075-trn04-17-21',
      'liudehua-sr-2', 'ami_MEO069-trn03-12-18', 'fangjun-test-sr-1', 'ami_FEE078-trn05-14.5-19', 'lj-0007', 'leijun-sr-2', 'austen-0920', 'liudehua-test-sr-2', 'ami_MEE075-trn04-21.8-23.9',
    ],
  },
  { id: 'made-lj-austen', pauseSec: 0.35, clips: ['lj-0009', 'austen-0880', 'lj-0011', 'austen-0930', 'lj-0013', 'austen-0870', 'lj-0016'] },
];

function clipPath(sharedAudio: string, clip: string): string {
  const [speaker, rest] = [clip.slice(0, clip.indexOf('-')), clip.slice(clip.indexOf('-') + 1)];
  if (speaker.startsWith('ami_')) return path.join(sharedAudio, 'ami-debug', `${rest.split('-')[0]}.wav`);
  if (speaker === 'austen') return path.join(sharedAudio, 'read-speech/wav', `sense_and_sensibility_01_austen_64kb-${rest}.wav`);
  if (speaker === 'lj') return path.join(sharedAudio, 'read-speech/wav', `LJ001-${rest}.wav`);
  return path.join(sharedAudio, 'real-speakers/clips', `${clip}.wav`);
}

/** Samples of a 16 kHz mono 16-bit WAV (the shared sets' format), scaled to −1…1. */
function readWav(file: string): Float32Array {
  const bytes = readFileSync(file);
  const data = bytes.indexOf('data', 12);
  const start = data + 8;
  const count = Math.floor((bytes.length - start) / 2);
  return Float32Array.from({ length: count }, (_, i) => bytes.readInt16LE(start + 2 * i) / 32768);
}

export function madeConversations(sharedAudio: string, workDir: string): MadeConversation[] {
  mkdirSync(workDir, { recursive: true });
  return RECIPES.map(({ id, pauseSec, clips }) => {
    const parts: Float32Array[] = [new Float32Array(8000)];
    const reference: Turn[] = [];
    let at = 0.5;
    for (const clip of clips) {
      const whole = readWav(clipPath(sharedAudio, clip));
      // An AMI cut: its seconds within the meeting.
      const [, , from, to] = clip.startsWith('ami_') ? clip.split('-').map(Number) : [];
      const samples = from === undefined ? whole : whole.subarray(Math.round(from * 16_000), Math.round(to! * 16_000));
      reference.push({ file: id, start: at, end: at + samples.length / 16_000, speaker: clip.slice(0, clip.indexOf('-')) });
      parts.push(samples, new Float32Array(Math.round(pauseSec * 16_000)));
      at += samples.length / 16_000 + Math.round(pauseSec * 16_000) / 16_000;
    }
    const pcm = path.join(workDir, `${id}.f32`);
    if (!existsSync(pcm)) {
      const all = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of parts) {
        all.set(part, offset);
        offset += part.length;
      }
      writeFileSync(pcm, Buffer.from(all.buffer));
    }
    return { id, pcm, reference };
  });
}

import { deflateSync } from 'node:zlib';

/** OpenAI's thresholds for rejecting a decode and retrying it hotter. */
export const QUALITY = {
  /** Text that compresses this well is repeating itself: a hallucination loop. */
  maxCompressionRatio: 2.4,
  /** Below this the model was guessing. */
  minAvgLogprob: -1,
  /** Above this (with a low log-probability) the window is silence, not speech. */
  noSpeechThreshold: 0.6,
  temperatures: [0, 0.2, 0.4, 0.6, 0.8, 1],
} as const;

export function compressionRatio(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return 0;
  return bytes.length / deflateSync(bytes).length;
}

/** A phrase said this many times in a row, over at least MIN_LOOP_WORDS words, is a loop, not speech. */
const MIN_LOOP_REPEATS = 4;
const MIN_LOOP_WORDS = 8;
const MAX_LOOP_PHRASE = 12;

/**
 * The text repeats one phrase over and over ("Mae'r rhannu'r rhannu pwyd." six times): a decoding
 * loop too short for the compression ratio to notice. People repeat a word or two ("no, no, no"),
 * not a sentence four times running.
 */
export function repeatsPhrase(text: string): boolean {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  const same = (a: number, b: number, length: number): boolean => {
    for (let k = 0; k < length; k++) if (words[a + k] !== words[b + k]) return false;
    return true;
  };
  for (let length = 1; length <= MAX_LOOP_PHRASE; length++) {
    const needed = Math.max(MIN_LOOP_REPEATS, Math.ceil(MIN_LOOP_WORDS / length));
    for (let start = 0; start + needed * length <= words.length; start++) {
      let repeats = 1;
      while (repeats < needed && same(start, start + repeats * length, length)) repeats++;
      if (repeats >= needed) return true;
    }
  }
  return false;
}

/** Shortest phrase whose second saying in one window makes a decode worth checking (see repeatsLongPhrase). */
const MIN_REPEATED_PHRASE = 5;

/**
 * A phrase of five or more words said twice in one window's text ("then in the same operations with
 * ugly ones, we'll start with the same operations with ugly ones"): what a small model does to fill
 * a context it finds too short. People do it too, rarely, so this only asks for a second look.
 */
export function repeatsLongPhrase(text: string): boolean {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  const seen = new Set<string>();
  for (let start = 0; start + MIN_REPEATED_PHRASE <= words.length; start++) {
    const phrase = words.slice(start, start + MIN_REPEATED_PHRASE).join(' ');
    if (seen.has(phrase)) return true;
    // Overlapping sayings ("no no no no no no") are repeatsPhrase's to judge.
    if (start >= MIN_REPEATED_PHRASE - 1) seen.add(words.slice(start - MIN_REPEATED_PHRASE + 1, start + 1).join(' '));
  }
  return false;
}

/** The decode went into a loop: OpenAI's compression-ratio test, or a phrase said over and over. */
export function isLooping(text: string): boolean {
  return compressionRatio(text) > QUALITY.maxCompressionRatio || repeatsPhrase(text);
}

export interface Attempt {
  text: string;
  avgLogprob: number;
  noSpeechProb: number;
}

/** The window holds no speech: say nothing rather than invent something. */
export function isSilence(attempt: Attempt): boolean {
  return attempt.noSpeechProb > QUALITY.noSpeechThreshold && attempt.avgLogprob < QUALITY.minAvgLogprob;
}

/** The decode should be retried at the next temperature. */
export function needsFallback(attempt: Attempt): boolean {
  if (isSilence(attempt)) return false;
  return isLooping(attempt.text) || attempt.avgLogprob < QUALITY.minAvgLogprob;
}

/**
 * When every temperature failed: the likeliest attempt that is not a loop (faster-whisper's
 * choice; OpenAI keeps the hottest, which is the noisiest), or null when every one loops: a loop
 * is invented text, and the window says nothing rather than repeat it.
 */
export function bestOf<T extends Attempt>(attempts: readonly T[]): T | null {
  const notLooping = attempts.filter((attempt) => !isLooping(attempt.text));
  if (notLooping.length === 0) return null;
  return notLooping.reduce((best, attempt) => (attempt.avgLogprob > best.avgLogprob ? attempt : best));
}

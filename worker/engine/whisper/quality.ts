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
  return compressionRatio(attempt.text) > QUALITY.maxCompressionRatio || attempt.avgLogprob < QUALITY.minAvgLogprob;
}

/**
 * When every temperature failed: the likeliest attempt that is not a loop, else the least
 * repetitive one (faster-whisper's choice; OpenAI keeps the hottest, which is the noisiest).
 */
export function bestOf<T extends Attempt>(attempts: readonly T[]): T {
  const notLooping = attempts.filter((attempt) => compressionRatio(attempt.text) <= QUALITY.maxCompressionRatio);
  if (notLooping.length > 0) return notLooping.reduce((best, attempt) => (attempt.avgLogprob > best.avgLogprob ? attempt : best));
  return attempts.reduce((best, attempt) => (compressionRatio(attempt.text) < compressionRatio(best.text) ? attempt : best));
}

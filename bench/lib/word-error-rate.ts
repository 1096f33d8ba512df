import { normaliseEnglish } from './english-normaliser';

export interface WerCounts {
  errors: number;
  referenceWords: number;
}

/** Word errors after Whisper's English normalisation of both sides (see english-normaliser.ts). */
export function wordErrors(reference: string, hypothesis: string): WerCounts {
  const ref = normaliseEnglish(reference);
  const hyp = normaliseEnglish(hypothesis);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const current = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = previous[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    previous = current;
  }
  return { errors: previous[hyp.length]!, referenceWords: ref.length };
}

export function wordErrorRate(reference: string, hypothesis: string): number {
  const { errors, referenceWords } = wordErrors(reference, hypothesis);
  return referenceWords === 0 ? (errors === 0 ? 0 : 1) : errors / referenceWords;
}

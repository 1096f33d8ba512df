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

/** Word errors over a set of recordings: each hypothesis against its reference, summed. */
export function corpusWordErrors(references: readonly string[], hypotheses: readonly string[]): WerCounts {
  const total = { errors: 0, referenceWords: 0 };
  references.forEach((reference, index) => {
    const counts = wordErrors(reference, hypotheses[index] ?? '');
    total.errors += counts.errors;
    total.referenceWords += counts.referenceWords;
  });
  return total;
}

export function wordErrorRate(reference: string, hypothesis: string): number {
  const { errors, referenceWords } = wordErrors(reference, hypothesis);
  return referenceWords === 0 ? (errors === 0 ? 0 : 1) : errors / referenceWords;
}

/**
 * For each reference utterance (in order, as spoken in one recording), the share of its words the
 * hypothesis has in place: both sides normalised, aligned by the same edit distance as wordErrors,
 * and each matched word counted for the utterance it belongs to. An utterance at 0 was dropped.
 */
export function utteranceRecall(utterances: readonly string[], hypothesis: string): number[] {
  const owner: number[] = [];
  const ref = utterances.flatMap((text, index) => normaliseEnglish(text).map((word) => (owner.push(index), word)));
  const hyp = normaliseEnglish(hypothesis);
  const cols = hyp.length + 1;
  const cost = new Uint32Array((ref.length + 1) * cols);
  for (let j = 0; j <= hyp.length; j++) cost[j] = j;
  for (let i = 1; i <= ref.length; i++) {
    cost[i * cols] = i;
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = cost[(i - 1) * cols + j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      cost[i * cols + j] = Math.min(substitution, cost[(i - 1) * cols + j]! + 1, cost[i * cols + j - 1]! + 1);
    }
  }
  const matched = utterances.map(() => 0);
  for (let i = ref.length, j = hyp.length; i > 0 && j > 0; ) {
    const here = cost[i * cols + j]!;
    if (ref[i - 1] === hyp[j - 1] && here === cost[(i - 1) * cols + j - 1]) {
      matched[owner[i - 1]!]!++;
      i--;
      j--;
    } else if (here === cost[(i - 1) * cols + j - 1]! + 1) {
      i--;
      j--;
    } else if (here === cost[(i - 1) * cols + j]! + 1) i--;
    else j--;
  }
  return utterances.map((text, index) => matched[index]! / Math.max(1, normaliseEnglish(text).length));
}

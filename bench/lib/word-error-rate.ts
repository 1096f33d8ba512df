/**
 * Word error rate: (substitutions + deletions + insertions) / reference words, after a light
 * normalisation (case, punctuation, spacing) that treats both systems alike. Numbers are left as
 * written, so "12,000" against "twelve thousand" counts as errors for every engine equally.
 */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

export interface WerCounts {
  errors: number;
  referenceWords: number;
}

export function wordErrors(reference: string, hypothesis: string): WerCounts {
  const ref = normaliseWords(reference);
  const hyp = normaliseWords(hypothesis);
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

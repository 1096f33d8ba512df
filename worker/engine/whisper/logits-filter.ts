import type { SpecialTokens } from './special-tokens';

/**
 * OpenAI's decoding rules for timestamped transcription, applied in place to one row of logits
 * before a token is chosen:
 * - the first token is a timestamp, no later than maxInitialTimestampSec;
 * - timestamps come in pairs (end of one segment, start of the next), never go backwards, and
 *   never point past the audio the window holds;
 * - when the timestamps together are likelier than any single text token, a timestamp it is.
 */
export function applyTimestampRules(
  logits: Float32Array,
  sampled: readonly number[],
  tokens: SpecialTokens,
  options: { maxTimestampIndex: number; maxInitialTimestampIndex: number },
): void {
  const { timestampBegin, eot, noTimestamps } = tokens;
  const vocab = logits.length;
  const suppress = (from: number, to: number): void => {
    logits.fill(-Infinity, Math.max(0, from), Math.min(vocab, to));
  };

  logits[noTimestamps] = -Infinity;
  for (const id of tokens.suppress) if (id < vocab) logits[id] = -Infinity;
  // Control tokens below the timestamps (sot, languages, tasks, …) are never text.
  suppress(eot + 1, timestampBegin);

  if (sampled.length === 0) {
    for (const id of tokens.beginSuppress) if (id < vocab) logits[id] = -Infinity;
    suppress(0, timestampBegin);
    suppress(timestampBegin + options.maxInitialTimestampIndex + 1, vocab);
    return;
  }

  const last = sampled[sampled.length - 1]!;
  const lastWasTimestamp = last >= timestampBegin;
  const penultimateWasTimestamp = sampled.length < 2 || sampled[sampled.length - 2]! >= timestampBegin;
  if (lastWasTimestamp) {
    if (penultimateWasTimestamp) suppress(timestampBegin, vocab);
    else suppress(0, eot);
  }

  let lastTimestamp = -1;
  for (let i = sampled.length - 1; i >= 0; i--) {
    if (sampled[i]! >= timestampBegin) {
      lastTimestamp = sampled[i]!;
      break;
    }
  }
  if (lastTimestamp >= 0) {
    // A closing timestamp may equal the one before it only when it ends an empty segment.
    const floor = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
    suppress(timestampBegin, floor);
  }
  suppress(timestampBegin + options.maxTimestampIndex + 1, vocab);

  const logProbs = logSoftmax(logits);
  let timestampMass = -Infinity;
  for (let i = timestampBegin; i < vocab; i++) timestampMass = logAddExp(timestampMass, logProbs[i]!);
  let bestText = -Infinity;
  for (let i = 0; i < timestampBegin; i++) if (logProbs[i]! > bestText) bestText = logProbs[i]!;
  if (timestampMass > bestText) suppress(0, timestampBegin);
}

export function logSoftmax(logits: Float32Array): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  const logSum = max + Math.log(sum);
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! - logSum;
  return out;
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const max = Math.max(a, b);
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}

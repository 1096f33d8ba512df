import { describe, expect, it } from 'vitest';
import { applyTimestampRules } from '../../worker/engine/whisper/logits-filter';
import type { SpecialTokens } from '../../worker/engine/whisper/special-tokens';

// A toy vocabulary: text 0-9, end-of-text 10, control tokens 11-19, no-timestamps 19, <|0.00|> 20 … <|0.58|> 49.
const tokens: SpecialTokens = {
  sot: 11, eot: 10, transcribe: 12, translate: 13, noTimestamps: 19, timestampBegin: 20, noSpeech: 18, startOfPrev: 17,
  languages: new Map([['en', 14]]), suppress: [3], beginSuppress: [0, 10], vocabSize: 50,
};
const rules = { maxTimestampIndex: 25, maxInitialTimestampIndex: 5 };
const allowed = (logits: Float32Array) => Array.from(logits.keys()).filter((i) => logits[i]! > -Infinity);
/** Text (and the end) likelier than any one timestamp, but not than all of them together unless they are few. */
const flat = () => new Float32Array(50).fill(5, 0, 20).fill(0, 20);

describe('timestamp decoding rules', () => {
  it('the first token is a timestamp within the initial limit', () => {
    const logits = flat();
    applyTimestampRules(logits, [], tokens, rules);
    expect(allowed(logits)).toEqual([20, 21, 22, 23, 24, 25]);
  });

  it('after an opening timestamp: text or a closing timestamp, never earlier, never past the audio', () => {
    const logits = flat();
    applyTimestampRules(logits, [22, 5], tokens, rules);
    // Text except the suppressed 3; end-of-text; timestamps from <|0.04|>+1 up to the audio's end.
    expect(allowed(logits)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45]);
  });

  it('a lone timestamp after text must be followed by another timestamp or the end', () => {
    const logits = flat();
    applyTimestampRules(logits, [20, 5, 30], tokens, rules);
    expect(allowed(logits)).toEqual([10, ...Array.from({ length: 16 }, (_, i) => 30 + i)]);
  });

  it('a pair of timestamps must be followed by text', () => {
    const logits = flat();
    applyTimestampRules(logits, [20, 5, 30, 30], tokens, rules);
    expect(allowed(logits)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('forces a timestamp when the timestamps together outweigh every text token', () => {
    const logits = flat();
    logits.fill(-1, 0, 20);
    applyTimestampRules(logits, [20, 5], tokens, rules);
    expect(allowed(logits).every((id) => id >= 20)).toBe(true);
  });
});

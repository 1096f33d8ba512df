import { describe, expect, it } from 'vitest';
import { wordErrorRate, wordErrors } from '../../bench/lib/word-error-rate';

describe('word error rate', () => {
  it('counts substitutions, deletions and insertions against the reference length', () => {
    expect(wordErrors('the cat sat on the mat', 'the cat sat on the mat')).toEqual({ errors: 0, referenceWords: 6 });
    expect(wordErrors('the cat sat on the mat', 'the dog sat on mat')).toEqual({ errors: 2, referenceWords: 6 });
    expect(wordErrors('a b', 'a x b y')).toEqual({ errors: 2, referenceWords: 2 });
  });

  it('ignores case and punctuation; a dropped apostrophe is a different word', () => {
    expect(wordErrorRate("Sure. We spent it, didn't we?", "sure we spent it didn't we")).toBe(0);
    expect(wordErrorRate("didn't", 'didnt')).toBe(1);
  });
});

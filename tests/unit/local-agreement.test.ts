import { describe, expect, it } from 'vitest';
import type { Word } from '../../contracts/domain';
import { agreedPrefix, newWords } from '../../worker/live/local-agreement';

const words = (text: string, from = 0, step = 0.5): Word[] =>
  text.split(' ').map((word, index) => ({ text: word, start: from + index * step, end: from + (index + 1) * step, probability: 0.9, speaker: null }));

describe('LocalAgreement-2', () => {
  it('confirms the longest prefix two decodes share, ignoring case and punctuation', () => {
    expect(agreedPrefix(words('printing in the only'), words('Printing, in the only sense'))).toBe(4);
    expect(agreedPrefix(words('printing in a'), words('printing in the only'))).toBe(2);
    expect(agreedPrefix([], words('printing in the'))).toBe(0);
    expect(agreedPrefix(words('differs from most of the'), words('differs'))).toBe(1);
  });

  it('keeps only the words after what is confirmed, dropping a repeat of the confirmed tail', () => {
    const confirmed = words('and it is worth', 0);
    // The decode heard the confirmed words again (still in its buffer), then new ones.
    const hypothesis = words('And it is worth mentioning in passing', 0);
    expect(newWords(hypothesis, confirmed, 2).map((word) => word.text)).toEqual(['mentioning', 'in', 'passing']);
    // Times moved a little between decodes, and the confirmed tail came back: it is not said twice.
    const shifted = words('worth mentioning in', 1.55);
    expect(newWords(shifted, confirmed, 2).map((word) => word.text)).toEqual(['mentioning', 'in']);
  });
});

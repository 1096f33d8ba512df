import { describe, expect, it } from 'vitest';
import type { Segment } from '../../contracts/domain';
import { reuseUnchanged } from '../../renderer/src/reuse-segments';

const segment = (start: number, text: string, speaker: number | null = 0): Segment => ({
  start,
  end: start + 4,
  text,
  avgLogprob: -0.2,
  noSpeechProb: 0.01,
  temperature: 0,
  speaker,
  words: text.split(' ').map((word, index) => ({ start: start + index, end: start + index + 0.5, text: word, probability: 0.9, speaker })),
});

describe('reusing unchanged segments', () => {
  it('keeps the earlier object for every segment that is equal, and takes the new one where anything differs', () => {
    const before = [segment(0, 'good morning'), segment(5, 'the weekly meeting'), segment(10, 'thanks'), segment(15, 'bye')];
    const after = [segment(0, 'good morning'), segment(5, 'the quarterly meeting'), segment(10, 'thanks', 1), segment(15, 'bye')];
    after[3]!.words[0]!.probability = 1;
    const kept = reuseUnchanged(before, after);
    expect(kept).toEqual(after);
    expect(kept.map((item, index) => item === before[index])).toEqual([true, false, false, false]);
  });

  it('takes the new segments as they are when there were none before, or more of them now', () => {
    const next = [segment(0, 'hello'), segment(5, 'again')];
    expect(reuseUnchanged(undefined, next)).toBe(next);
    const grown = reuseUnchanged([segment(0, 'hello')], next);
    expect(grown[1]).toBe(next[1]);
  });
});

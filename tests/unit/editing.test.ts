import { describe, expect, it } from 'vitest';
import type { Segment, Word } from '../../contracts/domain';
import { reviseSegment } from '../../core/editing/revise-segment';
import { snippetParts } from '../../core/library/transcript-store';

const word = (text: string, start: number, end: number, probability = 0.4): Word => ({ text, start, end, probability, speaker: 1 });
const segment: Pick<Segment, 'start' | 'end' | 'speaker' | 'words'> = {
  start: 1,
  end: 4,
  speaker: 1,
  words: [word('the', 1, 1.5), word('quick', 1.5, 2), word('brwn', 2, 2.5), word('fox', 3, 4)],
};

describe('editing a segment', () => {
  it('keeps the timings and doubt of untouched words; a corrected word keeps its time and becomes certain', () => {
    const { text, words } = reviseSegment(segment, '  the quick  brown fox ');
    expect(text).toBe('the quick brown fox');
    expect(words).toEqual([word('the', 1, 1.5), word('quick', 1.5, 2), word('brown', 2, 2.5, 1), word('fox', 3, 4)]);
  });

  it('drops deleted words and shares the gap between neighbours among inserted ones', () => {
    expect(reviseSegment(segment, 'the brwn red fox').words).toEqual([word('the', 1, 1.5), word('brwn', 2, 2.5), word('red', 2.5, 3, 1), word('fox', 3, 4)]);
    // Two words inserted at the very start share the time from the segment's start to the first kept word.
    expect(reviseSegment({ ...segment, words: [word('fox', 3, 4)] }, 'a small fox').words).toEqual([word('a', 1, 2, 1), word('small', 2, 3, 1), word('fox', 3, 4)]);
    // Between words that touch, the new word and its neighbours share their time, none of it at one instant.
    expect(reviseSegment(segment, 'the quick very brwn fox').words).toEqual([
      word('the', 1, 1.5),
      word('quick', 1.5, 1.833),
      word('very', 1.833, 2.167, 1),
      word('brwn', 2.167, 2.5),
      word('fox', 3, 4),
    ]);
  });

  it('spreads the words of a segment that had none across it, and empties one whose text is cleared', () => {
    expect(reviseSegment({ ...segment, words: [] }, 'one two three').words.map((item) => [item.start, item.end])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(reviseSegment(segment, '   ')).toEqual({ text: '', words: [] });
  });
});

describe('search snippets', () => {
  it('turns FTS5 highlight marks into parts, marking only the matches', () => {
    const marked = `we bought ${String.fromCharCode(1)}micro${String.fromCharCode(2)}phones [sic] and ${String.fromCharCode(1)}mics${String.fromCharCode(2)}`;
    expect(snippetParts(marked)).toEqual([
      { text: 'we bought ', match: false },
      { text: 'micro', match: true },
      { text: 'phones [sic] and ', match: false },
      { text: 'mics', match: true },
    ]);
  });
});

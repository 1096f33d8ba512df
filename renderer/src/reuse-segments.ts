import type { Segment, Word } from '../../contracts/domain';

/**
 * The new segments, with every one equal to the segment at its place before kept as that same object.
 * Each change (an edit, a rename) answers with the whole transcript; keeping what did not change lets
 * memoised rows skip re-rendering, so saving one edit in a 1-hour transcript redraws one row, not 700.
 */
export function reuseUnchanged(previous: readonly Segment[] | undefined, next: Segment[]): Segment[] {
  if (!previous) return next;
  return next.map((segment, index) => {
    const before = previous[index];
    return before && sameSegment(before, segment) ? before : segment;
  });
}

function sameSegment(a: Segment, b: Segment): boolean {
  return (
    a.start === b.start &&
    a.end === b.end &&
    a.text === b.text &&
    a.speaker === b.speaker &&
    a.avgLogprob === b.avgLogprob &&
    a.noSpeechProb === b.noSpeechProb &&
    a.temperature === b.temperature &&
    a.words.length === b.words.length &&
    a.words.every((word, index) => sameWord(word, b.words[index]!))
  );
}

function sameWord(a: Word, b: Word): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text && a.probability === b.probability && a.speaker === b.speaker;
}

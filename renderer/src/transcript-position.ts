import type { Segment } from '../../contracts/domain';

export interface Position {
  segment: number;
  /** null between words of the segment (or in one without words). */
  word: number | null;
}

/** The segment and word playing at `sec`: binary searches, since it runs every animation frame. */
export function positionAt(segments: readonly Segment[], sec: number): Position | null {
  const segment = lastStartingBy(segments, sec);
  if (segment < 0 || sec >= segments[segment]!.end) return null;
  const words = segments[segment]!.words;
  const word = lastStartingBy(words, sec);
  return { segment, word: word >= 0 && sec < words[word]!.end ? word : null };
}

/** The segment to jump to from `sec` with "next" (+1) or "previous" (-1). */
export function neighbourSegment(segments: readonly Segment[], sec: number, direction: 1 | -1): number | null {
  if (segments.length === 0) return null;
  const current = lastStartingBy(segments, sec + 0.001);
  // "Previous" from inside a segment's first second goes to the one before, as media players do.
  const target = direction === 1 ? current + 1 : current >= 0 && sec - segments[current]!.start > 1 ? current : current - 1;
  return target >= 0 && target < segments.length ? target : null;
}

function lastStartingBy(items: ReadonlyArray<{ start: number }>, sec: number): number {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (items[middle]!.start <= sec) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

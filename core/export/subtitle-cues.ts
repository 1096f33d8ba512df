import type { Segment, Word } from '../../contracts/domain';

/** Subtitle conventions (Netflix, BBC): lines a reader takes in at a glance, on screen long enough to read. */
export const CUE_LIMITS = { maxLineChars: 42, maxLines: 2, minSec: 1, maxSec: 7 } as const;

export interface Cue {
  start: number;
  end: number;
  lines: string[];
  /** The segment's speaker index; null without speaker labels. */
  speaker: number | null;
}

/**
 * Cuts segments into subtitle cues: never across a segment (a segment is a sentence or a
 * speaker's turn), at most two lines of 42 characters and 7 seconds, at least one second
 * where the next cue leaves room.
 */
export function buildCues(segments: readonly Segment[], lineChars: number = CUE_LIMITS.maxLineChars): Cue[] {
  const cues: Cue[] = [];
  for (const segment of segments) {
    for (const chunk of splitSegment(segment.words.length ? segment.words : spreadWords(segment), lineChars)) {
      cues.push({ start: chunk[0]!.start, end: chunk[chunk.length - 1]!.end, lines: layoutLines(chunk.map((word) => word.text).join(' '), lineChars), speaker: segment.speaker });
    }
  }
  for (const [index, cue] of cues.entries()) {
    const next = cues[index + 1];
    const room = next ? next.start : Infinity;
    if (cue.end - cue.start < CUE_LIMITS.minSec) cue.end = Math.max(cue.end, Math.min(cue.start + CUE_LIMITS.minSec, room));
  }
  return cues;
}

type TimedWord = Pick<Word, 'text' | 'start' | 'end'>;

/**
 * As few cues as fit, and of even length: filling each cue greedily would leave a lone word in the
 * last one, so the greedy count is only the starting point for an even split.
 */
function splitSegment(words: readonly TimedWord[], lineChars: number): TimedWord[][] {
  const greedy: TimedWord[][] = [];
  for (let rest = words; rest.length > 0; ) {
    let count = 1;
    while (count < rest.length && fits(rest.slice(0, count + 1), lineChars)) count++;
    greedy.push(rest.slice(0, count));
    rest = rest.slice(count);
  }
  for (let count = greedy.length; count <= Math.min(words.length, greedy.length + 3); count++) {
    const even = evenChunks(words, count);
    if (even.every((chunk) => fits(chunk, lineChars))) return even;
  }
  return greedy;
}

/** `count` runs of words with about the same number of characters each. */
function evenChunks(words: readonly TimedWord[], count: number): TimedWord[][] {
  const total = words.reduce((sum, word) => sum + word.text.length + 1, 0);
  const chunks: TimedWord[][] = [];
  let current: TimedWord[] = [];
  let seen = 0;
  words.forEach((word, index) => {
    current.push(word);
    seen += word.text.length + 1;
    const wordsLeft = words.length - index - 1;
    const chunksLeft = count - chunks.length - 1;
    if (chunksLeft > 0 && (seen >= ((chunks.length + 1) * total) / count || wordsLeft === chunksLeft)) {
      chunks.push(current);
      current = [];
    }
  });
  if (current.length) chunks.push(current);
  return chunks;
}

function fits(words: readonly TimedWord[], lineChars: number): boolean {
  if (words[words.length - 1]!.end - words[0]!.start > CUE_LIMITS.maxSec) return false;
  const lines = layoutLines(words.map((word) => word.text).join(' '), lineChars);
  return lines.length <= CUE_LIMITS.maxLines && lines.every((line) => line.length <= lineChars);
}

/** Breaks text into as few lines as fit, balanced (a short second line reads badly). */
export function layoutLines(text: string, lineChars: number = CUE_LIMITS.maxLineChars): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const joined = words.join(' ');
  if (joined.length <= lineChars) return [joined];
  let best: string[] | null = null;
  for (let cut = 1; cut < words.length; cut++) {
    const first = words.slice(0, cut).join(' ');
    const second = words.slice(cut).join(' ');
    if (first.length > lineChars || second.length > lineChars) continue;
    if (!best || Math.abs(first.length - second.length) < Math.abs(best[0]!.length - best[1]!.length)) best = [first, second];
  }
  if (best) return best;
  // Does not fit two lines: greedy lines, so the caller sees it is too long.
  const lines: string[] = [];
  for (const word of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= lineChars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** A segment without word times: its words spread evenly over it. */
function spreadWords(segment: Segment): Word[] {
  const texts = segment.text.split(/\s+/).filter(Boolean);
  const step = (segment.end - segment.start) / Math.max(1, texts.length);
  return texts.map((text, index) => ({ text, start: segment.start + index * step, end: segment.start + (index + 1) * step, probability: 0, speaker: segment.speaker }));
}

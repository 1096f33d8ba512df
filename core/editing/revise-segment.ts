import type { Segment, Word } from '../../contracts/domain';

/** What an edit changes in a segment: its text and its words. */
export interface SegmentText {
  text: string;
  words: Word[];
}

/**
 * A segment's words after the user rewrote its text. The old and new word sequences are aligned
 * (fewest insertions, deletions and substitutions): a word that stayed keeps its timing and
 * confidence, a corrected word keeps its timing and counts as certain (a person checked it), and
 * an inserted word shares the gap between its neighbours. So clicking a word still seeks to where
 * it is said, and only the words nobody checked stay marked as doubtful.
 */
export function reviseSegment(segment: Pick<Segment, 'start' | 'end' | 'speaker' | 'words'>, text: string): SegmentText {
  const tokens = text.split(/\s+/).filter(Boolean);
  const old = segment.words;
  const words: Array<Word | null> = [];
  const inserted: Array<{ at: number; text: string }> = [];
  for (const step of alignWords(old.map((word) => word.text), tokens)) {
    if (step.kind === 'keep') words.push(old[step.from]!);
    else if (step.kind === 'replace') words.push({ ...old[step.from]!, text: tokens[step.to]!, probability: 1 });
    else if (step.kind === 'insert') {
      inserted.push({ at: words.length, text: tokens[step.to]! });
      words.push(null);
    }
  }
  // Inserted runs take the time between the kept words around them; where those touch, the run
  // and its neighbours share the neighbours' time evenly (rather than stacking at one instant).
  for (let index = 0; index < words.length; index++) {
    if (words[index] !== null) continue;
    let end = index;
    while (end < words.length && words[end] === null) end++;
    const before = words[index - 1] ?? null;
    const after = words[end] ?? null;
    const gapFrom = before ? before.end : segment.start;
    const gapTo = Math.max(gapFrom, after ? after.start : segment.end);
    const roomy = gapTo - gapFrom >= MIN_WORD_SEC * (end - index);
    const first = roomy || !before ? index : index - 1;
    const last = roomy || !after ? end : end + 1;
    const from = first < index ? before!.start : gapFrom;
    const to = last > end ? Math.max(from, after!.end) : gapTo;
    const share = (to - from) / (last - first);
    const speaker = before?.speaker ?? after?.speaker ?? segment.speaker;
    for (let k = first; k < last; k++) {
      const start = round(from + share * (k - first));
      const timing = { start, end: round(from + share * (k - first + 1)) };
      const kept = words[k];
      words[k] = kept ? { ...kept, ...timing } : { ...timing, text: inserted.find((item) => item.at === k)!.text, probability: 1, speaker };
    }
    index = end - 1;
  }
  return { text: tokens.join(' '), words: words as Word[] };
}

type Step = { kind: 'keep' | 'replace'; from: number; to: number } | { kind: 'insert'; to: number } | { kind: 'delete'; from: number };

/**
 * Word alignment by edit distance. Inserting or deleting costs 2 and replacing 3: a replaced word
 * beats a deletion plus an insertion at the same place, but two replacements never beat keeping a
 * word that is still there (so "the quick brwn fox" → "the brwn red fox" keeps "brwn" where it was).
 */
export function alignWords(from: readonly string[], to: readonly string[]): Step[] {
  const rows = from.length + 1;
  const cols = to.length + 1;
  const cost = new Uint32Array(rows * cols);
  for (let i = 0; i < rows; i++) cost[i * cols] = i * GAP;
  for (let j = 0; j < cols; j++) cost[j] = j * GAP;
  const diagonal = (i: number, j: number): number => cost[(i - 1) * cols + j - 1]! + (from[i - 1] === to[j - 1] ? 0 : REPLACE);
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      cost[i * cols + j] = Math.min(diagonal(i, j), cost[(i - 1) * cols + j]! + GAP, cost[i * cols + j - 1]! + GAP);
    }
  }
  const steps: Step[] = [];
  let i = from.length;
  let j = to.length;
  while (i > 0 || j > 0) {
    const here = cost[i * cols + j]!;
    if (i > 0 && j > 0 && here === diagonal(i, j)) {
      steps.push({ kind: from[i - 1] === to[j - 1] ? 'keep' : 'replace', from: i - 1, to: j - 1 });
      i--;
      j--;
    } else if (i > 0 && here === cost[(i - 1) * cols + j]! + GAP) {
      steps.push({ kind: 'delete', from: --i });
    } else {
      steps.push({ kind: 'insert', to: --j });
    }
  }
  return steps.reverse();
}

const GAP = 2;
/** Less time than this per inserted word, and it borrows from its neighbours. */
const MIN_WORD_SEC = 0.1;
const REPLACE = 3;

function round(sec: number): number {
  return Math.round(sec * 1000) / 1000;
}

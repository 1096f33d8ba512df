import type { Segment, Word } from '../../../contracts/domain';
import { FRAME_SEC } from './word-alignment';

/** What segment building needs from the tokenizer and decoding, as plain data. */
export interface TokenSequence {
  /** Sampled tokens: text and timestamps, without the end-of-text. */
  tokens: readonly number[];
  logprobs: readonly number[];
  /** Start time of every text token, then of the end-of-text (window-relative seconds). */
  textTokenStarts: ArrayLike<number>;
  timestampBegin: number;
  /** First id that is not text (end-of-text and everything after it). */
  eot: number;
  durationSec: number;
}

export interface SegmentStats {
  avgLogprob: number;
  noSpeechProb: number;
  temperature: number;
}

/** Languages written without spaces: every character run that decodes cleanly is a word. */
const UNSPACED = new Set(['zh', 'ja', 'th', 'lo', 'my', 'yue']);

/** Words as a line of text in their language: spaced, or run together where it is written so. */
export function joinWords(words: ReadonlyArray<{ text: string }>, language: string): string {
  return words.map((word) => word.text).join(UNSPACED.has(language) ? '' : ' ');
}

/**
 * Splits a timestamped token sequence into segments (<|t0|> text <|t1|>) with their words, times
 * still relative to the window. A segment left open when decoding stopped ends with the audio.
 */
export function buildSegments(
  sequence: TokenSequence,
  decode: (ids: number[]) => string,
  language: string,
  stats: SegmentStats,
): Segment[] {
  const segments: Segment[] = [];
  let start: number | null = null;
  let text: number[] = [];
  let firstTextIndex = 0;
  let textIndex = 0;
  const close = (end: number): void => {
    if (text.length > 0 && start !== null) {
      const words = buildWords(text, firstTextIndex, sequence, decode, language);
      const segmentText = decode(text).trim();
      if (segmentText) {
        // The timestamp tokens, not the word alignment, bound the segment: they never go backwards.
        const segmentStart = start;
        const segmentEnd = Math.max(segmentStart, end);
        segments.push({
          start: segmentStart,
          end: segmentEnd,
          text: segmentText,
          ...stats,
          speaker: null,
          words: wordsInSegment(words, segmentStart, segmentEnd),
        });
      }
    }
    text = [];
  };
  sequence.tokens.forEach((token) => {
    if (token >= sequence.timestampBegin) {
      const time = (token - sequence.timestampBegin) * FRAME_SEC;
      if (text.length > 0) {
        close(time);
        start = null;
      } else start = time;
    } else if (token < sequence.eot) {
      if (start === null) start = sequence.textTokenStarts[textIndex] ?? 0;
      if (text.length === 0) firstTextIndex = textIndex;
      text.push(token);
      textIndex++;
    }
  });
  close(sequence.durationSec);
  return segments;
}

function buildWords(
  text: readonly number[],
  firstTextIndex: number,
  sequence: TokenSequence,
  decode: (ids: number[]) => string,
  language: string,
): Word[] {
  const groups = UNSPACED.has(language) ? splitOnUnicode(text, decode) : splitOnSpaces(text, decode);
  const words: Word[] = [];
  let offset = 0;
  for (const group of groups) {
    const first = firstTextIndex + offset;
    const after = first + group.tokens.length;
    const logprobs = sequence.logprobs.length ? tokenLogprobs(sequence, first, group.tokens.length) : [];
    offset += group.tokens.length;
    // A lone space token carries no word, but its place in the token order still counts.
    if (!group.text) continue;
    const start = sequence.textTokenStarts[first] ?? 0;
    const end = sequence.textTokenStarts[after] ?? sequence.durationSec;
    words.push({
      text: group.text,
      start,
      end: Math.max(start, end),
      probability: logprobs.length ? logprobs.reduce((sum, lp) => sum + Math.exp(lp), 0) / logprobs.length : 0,
      speaker: null,
    });
  }
  return words;
}

/** Log-probabilities of `count` text tokens starting at the text-token index `first`. */
function tokenLogprobs(sequence: TokenSequence, first: number, count: number): number[] {
  const out: number[] = [];
  let textIndex = 0;
  sequence.tokens.forEach((token, index) => {
    if (token >= sequence.eot) return;
    if (textIndex >= first && textIndex < first + count) out.push(sequence.logprobs[index]!);
    textIndex++;
  });
  return out;
}

interface TokenGroup {
  text: string;
  tokens: number[];
}

/** Runs of tokens that decode to whole characters (byte-level BPE may split one). */
function splitOnUnicode(tokens: readonly number[], decode: (ids: number[]) => string): TokenGroup[] {
  const groups: TokenGroup[] = [];
  let current: number[] = [];
  for (const token of tokens) {
    current.push(token);
    const text = decode(current);
    if (!text.includes('\ufffd')) {
      groups.push({ text, tokens: current });
      current = [];
    }
  }
  if (current.length) groups.push({ text: decode(current), tokens: current });
  return groups;
}

/** Words start at a leading space; punctuation sticks to the word before it. */
function splitOnSpaces(tokens: readonly number[], decode: (ids: number[]) => string): TokenGroup[] {
  const words: TokenGroup[] = [];
  for (const piece of splitOnUnicode(tokens, decode)) {
    const startsWord = piece.text.startsWith(' ') || words.length === 0;
    const punctuationOnly = /^[\p{P}\p{S}]+$/u.test(piece.text);
    if (startsWord && !(punctuationOnly && words.length > 0)) words.push({ text: piece.text, tokens: [...piece.tokens] });
    else {
      const last = words[words.length - 1]!;
      last.text += piece.text;
      last.tokens.push(...piece.tokens);
    }
  }
  return words.map((word) => ({ ...word, text: word.text.trim() }));
}

/** Shorter than one encoder frame: a word the alignment gave no time of its own. */
const NO_TIME = FRAME_SEC;
/** Longer than anyone says one word: the alignment held it across a pause. */
const LONGEST_WORD_SEC = 3;
const untimed = (word: Word): boolean => word.end - word.start < NO_TIME;

/**
 * The words inside their segment, each with a time of its own. Where the cross-attention alignment is unsure
 * (far-field or overlapping speech) it can put words past the segment's end, so that clamped they pile up there
 * with no length: a click would seek late and a subtitle would show late. When at least half of a segment's
 * words have no time, they are all spread over the segment, each in proportion to its letters; a few without
 * time share the gap around them, and where there is none, half of the word beside them. A word held across a
 * pause ends a few seconds after it starts.
 */
export function wordsInSegment(words: readonly Word[], start: number, end: number): Word[] {
  const clamped = words.map((word) => clampWord(word, start, end));
  if (end - start < NO_TIME * clamped.length) return clamped;
  const timed = clamped.length >= 2 && clamped.filter(untimed).length * 2 >= clamped.length ? spread(clamped, start, end) : giveTime(clamped, start, end);
  return timed.map((word) => ({ ...word, end: Math.min(word.end, word.start + LONGEST_WORD_SEC) }));
}

/** Each run of words without time takes the gap around it, and if that is too short, half of a neighbour. */
function giveTime(words: readonly Word[], start: number, end: number): Word[] {
  const out = [...words];
  for (let first = 0; first < out.length; ) {
    if (!untimed(out[first]!)) {
      first += 1;
      continue;
    }
    let after = first;
    while (after < out.length && untimed(out[after]!)) after += 1;
    const need = NO_TIME * (after - first);
    const before = out[first - 1];
    const next = out[after];
    let from = Math.min(out[first]!.start, before ? before.end : start);
    let to = Math.max(out[after - 1]!.end, next ? next.start : end);
    const borrowBefore = to - from < need && before !== undefined;
    if (borrowBefore) from = Math.min(from, before.start + Math.max(NO_TIME, (before.end - before.start) / 2));
    const borrowNext = to - from < need && next !== undefined;
    if (borrowNext) to = Math.max(to, next.end - Math.max(NO_TIME, (next.end - next.start) / 2));
    if (to - from >= need) {
      if (borrowBefore) out[first - 1] = { ...before, end: from };
      if (borrowNext) out[after] = { ...next, start: to };
      out.splice(first, after - first, ...spread(out.slice(first, after), from, to));
    }
    first = after;
  }
  return out;
}

/** Words laid end to end over [start, end]: a frame each, and the rest shared in proportion to their letters. */
function spread(words: readonly Word[], start: number, end: number): Word[] {
  const weights = words.map((word) => word.text.length + 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const rest = Math.max(0, end - start - NO_TIME * words.length);
  let at = start;
  return words.map((word, index) => {
    const wordStart = at;
    at += NO_TIME + (rest * weights[index]!) / total;
    return { ...word, start: wordStart, end: index === words.length - 1 ? end : at };
  });
}

function clampWord(word: Word, start: number, end: number): Word {
  const clampedStart = Math.min(Math.max(word.start, start), end);
  return { ...word, start: clampedStart, end: Math.min(Math.max(word.end, clampedStart), end) };
}

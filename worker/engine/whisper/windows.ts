import type { TimeSpan } from '../vad/speech-regions';

/**
 * What one Whisper pass sees: speech regions cut out of one recording and laid end to end, at most
 * 30 s in all. Dropping the silence between them saves encoder passes and removes what Whisper
 * would otherwise fill with invented text. A window never holds two recordings: a word decoded in
 * one could otherwise land in the other's transcript.
 */
/** A stretch of the recording inside a window. */
export type Piece = TimeSpan;

const lengthOf = (piece: Piece): number => piece.end - piece.start;

export interface AudioWindow {
  pieces: Piece[];
  /** A stretch an earlier decode passed over (see piecesToHearAgain): not looked at a third time. */
  secondLook?: boolean;
  /** The lead-in of silence plus the pieces' lengths: the audio the window holds. */
  durationSec: number;
}

export const WINDOW_SEC = 30;

/**
 * Silence every window starts with. Whisper often loses or garbles a first word that begins in its
 * window's first instant ("For although" → "Before although"), which real recordings do where
 * speech starts with the file; a moment of silence before it, as in its training audio, keeps it.
 */
export const LEAD_IN_SEC = 0.3;

/** Packs consecutive regions into windows, never splitting a region (they are already ≤ maxSec). */
export function packWindows(regions: readonly TimeSpan[], maxSec = WINDOW_SEC): AudioWindow[] {
  const windows: AudioWindow[] = [];
  let current: AudioWindow | undefined;
  for (const region of regions) {
    const length = region.end - region.start;
    if (length <= 0) continue;
    if (!current || current.durationSec + length > maxSec) {
      current = { pieces: [], durationSec: LEAD_IN_SEC };
      windows.push(current);
    }
    // A piece longer than a window can only come from a caller that skipped the VAD's split.
    const piece = { start: region.start, end: region.start + Math.min(length, maxSec - LEAD_IN_SEC) };
    current.pieces.push(piece);
    current.durationSec += piece.end - piece.start;
  }
  return windows;
}

/** Untranscribed audio shorter than this is a trailing breath or a cut-off word, not a sentence. */
export const MIN_TAIL_SEC = 1;

/**
 * The part of a window after `fromSec` (window time), as a window of its own. Decoding it again
 * recovers speech Whisper skipped by ending the window early. null when less than MIN_TAIL_SEC is
 * left, or when less than that was covered: the same audio again would give the same answer, so
 * each tail must be at least a second shorter than its window, and the chain ends.
 */
export function windowTail(window: AudioWindow, fromSec: number): AudioWindow | null {
  if (fromSec < MIN_TAIL_SEC || window.durationSec - fromSec < MIN_TAIL_SEC) return null;
  const pieces: Piece[] = [];
  let before = LEAD_IN_SEC;
  for (const piece of window.pieces) {
    // A tail starts with a lead-in of its own.
    if (before + lengthOf(piece) > fromSec) pieces.push({ start: piece.start + Math.max(0, fromSec - before), end: piece.end });
    before += lengthOf(piece);
  }
  return { pieces, durationSec: pieces.reduce((sum, piece) => sum + lengthOf(piece), LEAD_IN_SEC) };
}

/** A stretch of this much speech or more that came out as one word was probably passed over (see piecesToHearAgain). */
const MIN_UNDERHEARD_SEC = 1.5;

/**
 * The window's stretches of speech, before `coveredSec` (window time; the rest is windowTail's), to
 * decode again, each on its own. Whisper sometimes passes over a sentence inside a window, most often
 * one said twice in a row ("he could wait no longer. He could wait no longer."): either nothing lands
 * in its stretch, or the two sayings come out as one, the first saying's words with the second's last
 * word stretched over it. So: a stretch of MIN_TAIL_SEC or more where no word's middle falls; one of
 * MIN_UNDERHEARD_SEC or more with only one; and the stretch before such a one when a segment runs
 * across both. Decoded alone, each is heard; the caller drops the words the window gave them. Never for
 * a window of one stretch (the same audio again gives the same answer), nor a second time.
 */
export function piecesToHearAgain(window: AudioWindow, coveredSec: number, segments: ReadonlyArray<{ words: ReadonlyArray<TimeSpan> }>): Piece[] {
  if (window.secondLook || window.pieces.length < 2 || segments.every((segment) => segment.words.length === 0)) return [];
  const again = new Set<number>();
  let before = LEAD_IN_SEC;
  window.pieces.forEach((piece, index) => {
    before += lengthOf(piece);
    if (before > coveredSec + 1e-9 || lengthOf(piece) < MIN_TAIL_SEC) return;
    const heard = segments.flatMap((segment) => segment.words.filter((word) => centredIn(piece, word)));
    if (heard.length === 0) again.add(index);
    else if (heard.length === 1 && lengthOf(piece) >= MIN_UNDERHEARD_SEC) {
      again.add(index);
      const previous = window.pieces[index - 1];
      const shared = previous && segments.some((segment) => segment.words.some((word) => centredIn(previous, word)) && segment.words.some((word) => centredIn(piece, word)));
      if (shared) again.add(index - 1);
    }
  });
  return [...again].sort((a, b) => a - b).map((index) => ({ ...window.pieces[index]! }));
}

/** Whether a word's middle falls in the stretch: where it belongs (alignment puts starts early, into the silence before). */
export function centredIn(piece: TimeSpan, word: TimeSpan): boolean {
  const middle = (word.start + word.end) / 2;
  return middle >= piece.start && middle <= piece.end;
}

/** A window of one stretch, looked at a second time (see piecesToHearAgain). */
export function secondLook(piece: Piece): AudioWindow {
  return { pieces: [{ ...piece }], durationSec: LEAD_IN_SEC + lengthOf(piece), secondLook: true };
}

/**
 * Maps a time inside the window's audio back to the recording's timeline, and says in which piece
 * it falls (the lead-in maps to the first piece's start).
 */
export function locate(window: AudioWindow, windowSec: number): { sec: number; piece: number } {
  let before = LEAD_IN_SEC;
  for (const [index, piece] of window.pieces.entries()) {
    const length = piece.end - piece.start;
    if (windowSec <= before + length) return { sec: piece.start + Math.max(0, windowSec - before), piece: index };
    before += length;
  }
  const last = window.pieces.length - 1;
  return last >= 0 ? { sec: window.pieces[last]!.end, piece: last } : { sec: 0, piece: 0 };
}

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
  /** Made of pieces an earlier decode of them said nothing of (see unheardPieces): not looked at a third time. */
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

/**
 * The window's stretches of speech, before `coveredSec` (window time; the rest is windowTail's),
 * that no decoded word touches, as a window of their own: Whisper sometimes passes over a sentence
 * inside a window, most often one said twice ("he could wait no longer. He could wait no longer."),
 * and a long recording loses it. Decoded alone, it is heard. Only stretches of MIN_TAIL_SEC or more,
 * only when some of the window was heard (the same audio again would give the same answer), and only
 * once: null otherwise.
 */
export function unheardPieces(window: AudioWindow, coveredSec: number, words: ReadonlyArray<TimeSpan>): AudioWindow | null {
  if (window.secondLook || words.length === 0) return null;
  let before = LEAD_IN_SEC;
  const unheard: Piece[] = [];
  for (const piece of window.pieces) {
    before += lengthOf(piece);
    if (before > coveredSec) break;
    if (lengthOf(piece) < MIN_TAIL_SEC) continue;
    if (!words.some((word) => word.end > piece.start && word.start < piece.end)) unheard.push({ ...piece });
  }
  if (unheard.length === 0) return null;
  return { pieces: unheard, durationSec: unheard.reduce((sum, piece) => sum + lengthOf(piece), LEAD_IN_SEC), secondLook: true };
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

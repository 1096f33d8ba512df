import type { TimeSpan } from '../vad/speech-regions';

/**
 * What one Whisper pass sees: speech regions cut out of the recording and laid end to end, at most
 * 30 s in all. Dropping the silence between them saves encoder passes and removes what Whisper
 * would otherwise fill with invented text.
 */
/** A stretch of one recording inside a window. */
export interface Piece extends TimeSpan {
  /** Whose audio: 0 the job's own recording, 1… recordings packed in beside it (see packAlongside). */
  source: number;
  /** Silence laid before the piece: another recording's lead-in. */
  gapSec?: number;
}

const lengthOf = (piece: Piece): number => (piece.gapSec ?? 0) + piece.end - piece.start;

export interface AudioWindow {
  pieces: Piece[];
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
export function packWindows(regions: readonly TimeSpan[], maxSec = WINDOW_SEC, source = 0): AudioWindow[] {
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
    const piece = { start: region.start, end: region.start + Math.min(length, maxSec - LEAD_IN_SEC), source };
    current.pieces.push(piece);
    current.durationSec += piece.end - piece.start;
  }
  return windows;
}

/**
 * Whisper's encoder costs the same for 2 s of speech as for 30: a folder of voice memos pays a whole
 * window per file. Other recordings' speech fills the last window's room instead — each recording
 * whole or not at all, in order, stopping at the first that does not fit — and their words are routed
 * back to them by source. Returns the windows and the sources packed.
 */
export function packAlongside(
  windows: readonly AudioWindow[],
  riders: ReadonlyArray<{ source: number; regions: readonly TimeSpan[] }>,
  maxSec = WINDOW_SEC,
): { windows: AudioWindow[]; packed: number[] } {
  const out = windows.map((window) => ({ ...window, pieces: [...window.pieces] }));
  const packed: number[] = [];
  let last = out[out.length - 1];
  for (const rider of riders) {
    // Each recording starts after a lead-in of its own, for the reason the window does.
    const pieces: Piece[] = rider.regions
      .filter((region) => region.end > region.start)
      .map((region, index) => ({ start: region.start, end: region.end, source: rider.source, ...(index === 0 ? { gapSec: LEAD_IN_SEC } : {}) }));
    const length = pieces.reduce((sum, piece) => sum + lengthOf(piece), 0);
    if (length === 0) {
      packed.push(rider.source);
      continue;
    }
    if (!last) {
      last = { pieces: [], durationSec: LEAD_IN_SEC };
      out.push(last);
    }
    if (last.durationSec + length > maxSec) break;
    last.pieces.push(...pieces);
    last.durationSec += length;
    packed.push(rider.source);
  }
  return { windows: out, packed };
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
    const gap = piece.gapSec ?? 0;
    if (before + lengthOf(piece) > fromSec) {
      // A tail starts with a lead-in of its own; a gap it starts in is covered by that.
      const into = Math.max(0, fromSec - before - gap);
      pieces.push({ start: piece.start + into, end: piece.end, source: piece.source, ...(gap > 0 && fromSec < before && pieces.length > 0 ? { gapSec: gap } : {}) });
    }
    before += lengthOf(piece);
  }
  return { pieces, durationSec: pieces.reduce((sum, piece) => sum + lengthOf(piece), LEAD_IN_SEC) };
}

/**
 * Maps a time inside the window's audio back to a recording's own timeline: which recording, and
 * when in it (the lead-in maps to the first piece's start).
 */
export function locate(window: AudioWindow, windowSec: number): { source: number; sec: number; piece: number } {
  let before = LEAD_IN_SEC;
  for (const [index, piece] of window.pieces.entries()) {
    before += piece.gapSec ?? 0;
    const length = piece.end - piece.start;
    if (windowSec <= before + length) return { source: piece.source, sec: piece.start + Math.max(0, windowSec - before), piece: index };
    before += length;
  }
  const last = window.pieces.length - 1;
  return last >= 0 ? { source: window.pieces[last]!.source, sec: window.pieces[last]!.end, piece: last } : { source: 0, sec: 0, piece: 0 };
}


import { describe, expect, it } from 'vitest';
import { LEAD_IN_SEC, locate, packAlongside, packWindows, windowTail } from '../../worker/engine/whisper/windows';

const lead = LEAD_IN_SEC;

describe('30-second windows of speech', () => {
  it('packs consecutive regions until the next would pass 30 s, dropping the silence between them', () => {
    const windows = packWindows([
      { start: 0, end: 10 },
      { start: 60, end: 75 },
      { start: 100, end: 110 },
      { start: 200, end: 201 },
    ]);
    expect(windows.map((w) => w.durationSec)).toEqual([25 + lead, 11 + lead]);
    expect(windows[0]!.pieces).toEqual([{ start: 0, end: 10, source: 0 }, { start: 60, end: 75, source: 0 }]);
  });

  it('starts every window with a lead-in of silence, and the whole window still fits in 30 s', () => {
    expect(lead).toBeGreaterThan(0);
    const windows = packWindows([{ start: 0, end: 29.8 }, { start: 40, end: 41 }]);
    for (const window of windows) expect(window.durationSec).toBeLessThanOrEqual(30);
    expect(windows[0]!.pieces[0]!.end).toBeCloseTo(30 - lead, 9);
  });

  it('maps window time back to the recording, piece by piece; the lead-in maps to the first piece’s start', () => {
    const [window] = packWindows([{ start: 5, end: 10 }, { start: 100, end: 102 }]);
    const at = (sec: number) => locate(window!, sec).sec;
    expect(at(0)).toBe(5);
    expect(at(lead)).toBe(5);
    expect(at(lead + 4.5)).toBeCloseTo(9.5, 9);
    expect(at(lead + 6)).toBeCloseTo(101, 9);
    // Past the end (a timestamp Whisper rounded up): the end of the last piece.
    expect(at(lead + 9)).toBe(102);
  });

  it('fills the last window’s room with other recordings, each whole or not at all, in order', () => {
    const own = packWindows([{ start: 0, end: 15 }, { start: 40, end: 45 }]);
    const { windows, packed } = packAlongside(own, [
      { source: 1, regions: [{ start: 0.2, end: 3 }] },
      { source: 2, regions: [] },
      { source: 3, regions: [{ start: 1, end: 2 }, { start: 5, end: 8 }] },
      { source: 4, regions: [{ start: 0, end: 9 }] },
      { source: 5, regions: [{ start: 0, end: 0.5 }] },
    ]);
    // 20 s of its own, then each recording after a lead-in of its own: 2.8 and 4 s fit, 9 s does not,
    // and packing stops there (order is kept).
    expect(packed).toEqual([1, 2, 3]);
    expect(windows).toHaveLength(1);
    expect(windows[0]!.pieces.map((p) => p.source)).toEqual([0, 0, 1, 3, 3]);
    expect(windows[0]!.pieces.map((p) => p.gapSec ?? 0)).toEqual([0, 0, lead, lead, 0]);
    expect(windows[0]!.durationSec).toBeCloseTo(lead + 20 + lead + 2.8 + lead + 4, 9);
    expect(own[0]!.pieces).toHaveLength(2);
    // Whose audio a window time falls in, and when in it; a lead-in belongs to the recording after it.
    const ownEnd = lead + 20;
    expect(locate(windows[0]!, ownEnd + lead / 2)).toEqual({ source: 1, sec: 0.2, piece: 2 });
    expect(locate(windows[0]!, ownEnd + lead + 1).source).toBe(1);
    expect(locate(windows[0]!, ownEnd + lead + 1).sec).toBeCloseTo(1.2, 9);
    expect(locate(windows[0]!, ownEnd + lead + 2.8 + lead + 1.5).source).toBe(3);
    expect(locate(windows[0]!, ownEnd + lead + 2.8 + lead + 1.5).sec).toBeCloseTo(5.5, 9);
  });

  it('a job with no speech of its own still carries others in a window of their own', () => {
    const { windows, packed } = packAlongside([], [{ source: 1, regions: [{ start: 0, end: 4 }] }]);
    expect(packed).toEqual([1]);
    expect(windows).toEqual([{ pieces: [{ start: 0, end: 4, source: 1, gapSec: lead }], durationSec: lead + lead + 4 }]);
  });

  it('no regions, no windows', () => {
    expect(packWindows([])).toEqual([]);
  });

  it('the untranscribed end of a window becomes a window of its own, with its own lead-in, unless it is under a second', () => {
    const [window] = packWindows([{ start: 5, end: 10 }, { start: 100, end: 110 }]);
    const spans = (tail: ReturnType<typeof windowTail>) => [tail!.pieces.map((p) => [p.start, p.end].map((x) => +x.toFixed(6))), +tail!.durationSec.toFixed(6)];
    expect(spans(windowTail(window!, lead + 7))).toEqual([[[102, 110]], 8 + lead]);
    expect(spans(windowTail(window!, lead + 3))).toEqual([[[8, 10], [100, 110]], 12 + lead]);
    expect(windowTail(window!, lead + 14.5)).toBeNull();
    // Nothing covered (a decode that stopped at its first timestamp): decoding it again would loop.
    expect(windowTail(window!, 0.5)).toBeNull();
  });
});

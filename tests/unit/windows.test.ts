import { describe, expect, it } from 'vitest';
import { LEAD_IN_SEC, locate, packWindows, piecesToHearAgain, secondLook, windowTail } from '../../worker/engine/whisper/windows';

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
    expect(windows[0]!.pieces).toEqual([{ start: 0, end: 10 }, { start: 60, end: 75 }]);
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

describe('speech a decode passed over', () => {
  const [window] = packWindows([{ start: 0, end: 3 }, { start: 5, end: 7 }, { start: 9, end: 9.5 }, { start: 12, end: 15 }]);
  const word = (start: number, end: number) => ({ start, end });

  it('gives back a stretch no word landed in, on its own and once; a half-second breath stays', () => {
    const again = piecesToHearAgain(window!, window!.durationSec, [{ words: [word(0.2, 1), word(1, 2.8)] }, { words: [word(12.1, 13), word(13, 14)] }]);
    expect(again).toEqual([{ start: 5, end: 7 }]);
    expect(secondLook(again[0]!)).toEqual({ pieces: [{ start: 5, end: 7 }], durationSec: lead + 2, secondLook: true });
    expect(piecesToHearAgain(secondLook(again[0]!), lead + 2, [])).toEqual([]);
  });

  it('a sentence said twice and heard once: the second saying got one stretched word, so both sayings are decoded again', () => {
    // "has never been | surpassed": the first saying's words, then the last word stretched over the second.
    const merged = [{ words: [word(0.2, 1), word(1, 1.5), word(1.5, 2.2), word(5.1, 6.9)] }, { words: [word(12.1, 13), word(13, 14)] }];
    expect(piecesToHearAgain(window!, window!.durationSec, merged)).toEqual([{ start: 0, end: 3 }, { start: 5, end: 7 }]);
    // Apart in two segments, the first saying stands.
    const apart = [{ words: [word(0.2, 1), word(1, 2.8)] }, { words: [word(5.1, 6.9)] }, { words: [word(12.1, 13), word(13, 14)] }];
    expect(piecesToHearAgain(window!, window!.durationSec, apart)).toEqual([{ start: 5, end: 7 }]);
  });

  it('leaves what windowTail decodes again, a window nothing was heard in, and a window of one stretch', () => {
    expect(piecesToHearAgain(window!, lead + 3 + 2 + 0.5, [{ words: [word(0, 1.5), word(1.5, 3), word(5, 6), word(6, 7)] }])).toEqual([]);
    expect(piecesToHearAgain(window!, window!.durationSec, [])).toEqual([]);
    const [single] = packWindows([{ start: 0, end: 4 }]);
    expect(piecesToHearAgain(single!, single!.durationSec, [{ words: [word(0, 4)] }])).toEqual([]);
  });
});

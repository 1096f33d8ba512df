import { describe, expect, it } from 'vitest';
import { packWindows, toRecordingTime, windowTail } from '../../worker/engine/whisper/windows';

describe('30-second windows of speech', () => {
  it('packs consecutive regions until the next would pass 30 s, dropping the silence between them', () => {
    const windows = packWindows([
      { start: 0, end: 10 },
      { start: 60, end: 75 },
      { start: 100, end: 110 },
      { start: 200, end: 201 },
    ]);
    expect(windows.map((w) => w.durationSec)).toEqual([25, 11]);
    expect(windows[0]!.pieces).toEqual([{ start: 0, end: 10 }, { start: 60, end: 75 }]);
  });

  it('maps window time back to the recording, piece by piece', () => {
    const [window] = packWindows([{ start: 5, end: 10 }, { start: 100, end: 102 }]);
    expect(toRecordingTime(window!, 0)).toBe(5);
    expect(toRecordingTime(window!, 4.5)).toBe(9.5);
    expect(toRecordingTime(window!, 6)).toBe(101);
    // Past the end (a timestamp Whisper rounded up): the end of the last piece.
    expect(toRecordingTime(window!, 9)).toBe(102);
  });

  it('no regions, no windows', () => {
    expect(packWindows([])).toEqual([]);
  });

  it('the untranscribed end of a window becomes a window of its own, unless it is under a second', () => {
    const [window] = packWindows([{ start: 5, end: 10 }, { start: 100, end: 110 }]);
    expect(windowTail(window!, 7)).toEqual({ pieces: [{ start: 102, end: 110 }], durationSec: 8 });
    expect(windowTail(window!, 3)).toEqual({ pieces: [{ start: 8, end: 10 }, { start: 100, end: 110 }], durationSec: 12 });
    expect(windowTail(window!, 14.5)).toBeNull();
    // Nothing covered (a decode that stopped at its first timestamp): decoding it again would loop.
    expect(windowTail(window!, 0.5)).toBeNull();
  });
});

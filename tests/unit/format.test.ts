import { describe, expect, it } from 'vitest';
import { formatChannels, formatClock, formatContainer, formatEta } from '../../renderer/src/format';

describe('display formats', () => {
  it('clock times, with hundredths when precision matters', () => {
    expect(formatClock(34.404375)).toBe('0:34');
    expect(formatClock(34.404375, true)).toBe('0:34.40');
    expect(formatClock(59.996, true)).toBe('1:00.00'); // rounding carries into the minute
    expect(formatClock(3723.5)).toBe('1:02:03');
    expect(formatClock(0, true)).toBe('0:00.00');
  });

  it('ETAs in words, never false precision', () => {
    expect(formatEta(12)).toBe('less than a minute');
    expect(formatEta(150)).toBe('about 3 min');
    expect(formatEta(4800)).toBe('about 1 h 20 min');
  });

  it('channel counts', () => {
    expect([1, 2, 6].map(formatChannels)).toEqual(['mono', 'stereo', '6 channels']);
  });

  it("containers by the name matching the file's extension, else the first ffprobe gives", () => {
    expect(formatContainer('mov,mp4,m4a,3gp,3g2,mj2', 'Interview 2.M4A')).toBe('m4a');
    expect(formatContainer('mov,mp4,m4a,3gp,3g2,mj2', 'clip.mov')).toBe('mov');
    expect(formatContainer('matroska,webm', 'recording')).toBe('matroska');
    expect(formatContainer('wav', 'memo.wav')).toBe('wav');
  });
});

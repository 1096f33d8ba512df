import { describe, expect, it } from 'vitest';
import { dtw, medianFilter, tokenStartTimes } from '../../worker/engine/whisper/word-alignment';

describe('word alignment by cross-attention', () => {
  it('DTW finds the cheapest monotonic path', () => {
    // Cost matrix 2 tokens × 4 frames: token 0 is cheap on frames 0-1, token 1 on frames 2-3.
    const cost = Float64Array.from([0, 0, 9, 9, 9, 9, 0, 0]);
    expect(dtw(cost, 2, 4)).toEqual([[0, 0], [0, 1], [1, 2], [1, 3]]);
  });

  it('median filter with reflected edges', () => {
    expect(Array.from(medianFilter(Float64Array.from([1, 1, 9, 1, 1]), 3))).toEqual([1, 1, 1, 1, 1]);
    // Reflected, not repeated: the first value's neighbours are [9, 1, 9].
    expect(Array.from(medianFilter(Float64Array.from([1, 9, 1, 1, 1]), 3))).toEqual([9, 1, 1, 1, 1]);
    expect(Array.from(medianFilter(Float64Array.from([5, 1, 1]), 3))).toEqual([1, 1, 1]);
  });

  it('token start times follow where each token attends', () => {
    // Three rows (two words and the end-of-text), one head, 100 frames (2 s): attention peaks at
    // frames 10-29, 40-69 and 80-99.
    const frames = 100;
    const row = (from: number, to: number) => Float32Array.from({ length: frames }, (_, f) => (f >= from && f < to ? 1 : 0.01));
    const starts = tokenStartTimes([row(10, 30), row(40, 70), row(80, 100)], 1, frames);
    expect(starts[0]).toBe(0);
    expect(starts[1]).toBeGreaterThanOrEqual(0.56);
    expect(starts[1]).toBeLessThanOrEqual(0.84);
    expect(starts[2]).toBeGreaterThanOrEqual(1.36);
    expect(starts[2]).toBeLessThanOrEqual(1.64);
  });
});

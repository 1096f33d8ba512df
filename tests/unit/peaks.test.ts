import { describe, expect, it } from 'vitest';
import { PeakAccumulator } from '../../worker/pipeline/peaks';

describe('waveform peaks', () => {
  it('keeps the loudest sample of each 10 ms bucket', () => {
    const peaks = new PeakAccumulator(16_000);
    const samples = new Float32Array(480);
    samples[10] = -0.5; // bucket 0: magnitude counts, not sign
    samples[200] = 0.25; // bucket 1
    samples[479] = 1.5; // bucket 2: clipped to 1
    peaks.push(samples.subarray(0, 100));
    peaks.push(samples.subarray(100)); // bucket boundaries do not depend on chunking
    expect(peaks.finish()).toEqual({ peaks: [0.5, 0.25, 1], peaksPerSec: 100 });
  });

  it('halves its resolution instead of growing: any length ends within target…2×target buckets', () => {
    const peaks = new PeakAccumulator(16_000, 4, 160);
    const second = new Float32Array(16_000).fill(0.1);
    second[0] = 0.9;
    peaks.push(second); // 100 buckets of 10 ms → merged down to fewer than 8
    const { peaks: result, peaksPerSec } = peaks.finish();
    expect(result.length).toBeGreaterThanOrEqual(4);
    expect(result.length).toBeLessThan(8);
    expect(peaksPerSec).toBeCloseTo(100 / 2 ** 4); // 16,000 samples in 2,560-sample buckets: 6.25
    expect(result[0]).toBeCloseTo(0.9);
    expect(Math.max(...result.slice(1))).toBeCloseTo(0.1);
  });

  it('gives a partial last bucket and nothing for no audio', () => {
    const peaks = new PeakAccumulator(16_000);
    peaks.push(new Float32Array(170).fill(0.3));
    expect(peaks.finish().peaks.map((p) => Number(p.toFixed(3)))).toEqual([0.3, 0.3]);
    expect(new PeakAccumulator(16_000).finish().peaks).toEqual([]);
  });
});

import type { Waveform } from '../../contracts/domain';

/**
 * Waveform peaks computed on the fly while samples stream past, in memory that does not grow with
 * the recording: whenever the bucket count reaches twice the target, neighbouring buckets merge
 * and each bucket covers twice the samples. Any length ends with between `target` and
 * 2 × `target` buckets (fewer only for short recordings).
 */
export class PeakAccumulator {
  private peaks: number[] = [];
  private samplesPerBucket: number;
  private current = 0;
  private inCurrent = 0;

  constructor(
    private readonly sampleRate: number,
    private readonly target = 2048,
    /** The finest resolution: 10 ms at 16 kHz. */
    minSamplesPerBucket = 160,
  ) {
    this.samplesPerBucket = minSamplesPerBucket;
  }

  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      const magnitude = Math.abs(samples[i]!);
      if (magnitude > this.current) this.current = magnitude;
      if (++this.inCurrent === this.samplesPerBucket) this.closeBucket();
    }
  }

  finish(): Waveform {
    if (this.inCurrent > 0) this.closeBucket();
    return {
      peaks: this.peaks.map((peak) => Math.min(1, peak)),
      peaksPerSec: this.sampleRate / this.samplesPerBucket,
    };
  }

  private closeBucket(): void {
    this.peaks.push(this.current);
    this.current = 0;
    this.inCurrent = 0;
    if (this.peaks.length < 2 * this.target) return;
    const merged: number[] = [];
    for (let i = 0; i < this.peaks.length; i += 2) merged.push(Math.max(this.peaks[i]!, this.peaks[i + 1] ?? 0));
    this.peaks = merged;
    this.samplesPerBucket *= 2;
  }
}

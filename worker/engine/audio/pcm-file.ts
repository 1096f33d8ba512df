import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const SAMPLE_RATE = 16_000;
const BYTES_PER_SAMPLE = 4;

/**
 * Random access to the decoded 16 kHz float32 cache. Stages read the slices they need instead of
 * the whole file, so a ten-hour recording costs no more memory than a ten-minute one.
 */
export class PcmFile {
  private readonly fd: number;
  readonly sampleCount: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.sampleCount = Math.floor(fstatSync(this.fd).size / BYTES_PER_SAMPLE);
  }

  get durationSec(): number {
    return this.sampleCount / SAMPLE_RATE;
  }

  /** Samples [start, start + length), clipped to the file; always a fresh, aligned array. */
  read(start: number, length: number): Float32Array {
    const from = Math.max(0, Math.min(this.sampleCount, Math.floor(start)));
    const to = Math.max(from, Math.min(this.sampleCount, Math.floor(start + length)));
    const samples = new Float32Array(to - from);
    const bytes = new Uint8Array(samples.buffer);
    let done = 0;
    while (done < bytes.length) {
      const read = readSync(this.fd, bytes, done, bytes.length - done, from * BYTES_PER_SAMPLE + done);
      if (read === 0) break;
      done += read;
    }
    return samples;
  }

  close(): void {
    closeSync(this.fd);
  }
}

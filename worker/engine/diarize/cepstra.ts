import type { Fbank } from './fbank';

/** c1…c19: the spectral envelope (the voice) without c0 (loudness). */
export const CEPSTRA = 19;

const dctCache = new Map<number, Float32Array>();

/** Orthonormal DCT-II rows 1…CEPSTRA for `bins` inputs. */
function dctMatrix(bins: number): Float32Array {
  let matrix = dctCache.get(bins);
  if (!matrix) {
    matrix = new Float32Array(CEPSTRA * bins);
    const scale = Math.sqrt(2 / bins);
    for (let c = 0; c < CEPSTRA; c++) {
      for (let m = 0; m < bins; m++) matrix[c * bins + m] = scale * Math.cos((Math.PI * (c + 1) * (m + 0.5)) / bins);
    }
    dctCache.set(bins, matrix);
  }
  return matrix;
}

/** Mel cepstra per frame: numFrames × CEPSTRA, frame-major. */
export function cepstra(features: Fbank): Float32Array {
  const { data, numFrames, bins } = features;
  const matrix = dctMatrix(bins);
  const out = new Float32Array(numFrames * CEPSTRA);
  for (let f = 0; f < numFrames; f++) {
    const row = f * bins;
    for (let c = 0; c < CEPSTRA; c++) {
      let sum = 0;
      const base = c * bins;
      for (let m = 0; m < bins; m++) sum += matrix[base + m]! * data[row + m]!;
      out[f * CEPSTRA + c] = sum;
    }
  }
  return out;
}

/** Subtracts each coefficient's mean and divides by its deviation over all rows (per-recording normalisation). */
export function standardise(rows: Float32Array, width: number): void {
  const count = rows.length / width;
  if (count === 0) return;
  for (let c = 0; c < width; c++) {
    let sum = 0;
    let squares = 0;
    for (let r = 0; r < count; r++) {
      const value = rows[r * width + c]!;
      sum += value;
      squares += value * value;
    }
    const mean = sum / count;
    const deviation = Math.sqrt(Math.max(squares / count - mean * mean, 1e-12));
    for (let r = 0; r < count; r++) rows[r * width + c] = (rows[r * width + c]! - mean) / deviation;
  }
}

/**
 * Running sums of each coefficient and its square, so the mean and deviation of any span of frames
 * cost O(width): change detection slides thousands of spans over the recording.
 */
export class FrameStatistics {
  private readonly sums: Float64Array;
  private readonly squares: Float64Array;
  readonly frames: number;

  constructor(
    rows: Float32Array,
    readonly width: number,
  ) {
    this.frames = rows.length / width;
    this.sums = new Float64Array((this.frames + 1) * width);
    this.squares = new Float64Array((this.frames + 1) * width);
    for (let f = 0; f < this.frames; f++) {
      for (let c = 0; c < width; c++) {
        const value = rows[f * width + c]!;
        this.sums[(f + 1) * width + c] = this.sums[f * width + c]! + value;
        this.squares[(f + 1) * width + c] = this.squares[f * width + c]! + value * value;
      }
    }
  }

  /** Mean then deviation of each coefficient over frames [from, to): a 2 × width voice print. */
  embedding(from: number, to: number): Float32Array {
    const { width } = this;
    const out = new Float32Array(2 * width);
    const count = Math.max(to - from, 1);
    for (let c = 0; c < width; c++) {
      const mean = (this.sums[to * width + c]! - this.sums[from * width + c]!) / count;
      const square = (this.squares[to * width + c]! - this.squares[from * width + c]!) / count;
      out[c] = mean;
      out[width + c] = Math.sqrt(Math.max(square - mean * mean, 0));
    }
    return out;
  }
}

/**
 * Word timing from cross-attention, as OpenAI's Whisper does it: the alignment heads' attention
 * of each text token over the audio frames, normalised per frame, median-filtered, averaged over
 * heads, then a monotonic path through it by dynamic time warping. Plain arrays in and out.
 */

/** One encoder frame, and one step of Whisper's timestamp tokens: 20 ms. */
export const FRAME_SEC = 0.02;
const MEDIAN_WIDTH = 7;

/**
 * Start time (seconds, window-relative) of each row's token: rows are the text tokens followed by
 * the end-of-text, so the last start is where the final word ends.
 * `rows[i]` holds `heads` consecutive runs of `frames` weights.
 */
export function tokenStartTimes(rows: readonly Float32Array[], heads: number, frames: number): Float64Array {
  const n = rows.length;
  if (n === 0 || frames === 0) return new Float64Array(n);
  const matrix = new Float64Array(n * frames);
  const column = new Float64Array(n);
  for (let h = 0; h < heads; h++) {
    const weights = rows.map((row) => row.subarray(h * frames, (h + 1) * frames));
    // Normalise each frame across tokens: which token this moment of audio belongs to.
    const normalised = weights.map((row) => Float64Array.from(row));
    for (let f = 0; f < frames; f++) {
      let mean = 0;
      for (let t = 0; t < n; t++) mean += (column[t] = weights[t]![f]!);
      mean /= n;
      let variance = 0;
      for (let t = 0; t < n; t++) variance += (column[t]! - mean) ** 2;
      const std = Math.sqrt(variance / n) || 1;
      for (let t = 0; t < n; t++) normalised[t]![f] = (column[t]! - mean) / std;
    }
    for (let t = 0; t < n; t++) {
      const filtered = medianFilter(normalised[t]!, MEDIAN_WIDTH);
      for (let f = 0; f < frames; f++) matrix[t * frames + f]! += filtered[f]! / heads;
    }
  }
  const path = dtw(matrix, n, frames, -1);
  const starts = new Float64Array(n).fill(-1);
  for (const [token, frame] of path) if (starts[token]! < 0) starts[token] = frame * FRAME_SEC;
  return starts;
}

/**
 * Minimum-cost monotonic path from (0,0) to (n-1,m-1) over `sign × matrix`, each step moving to
 * the next token, the next frame, or both. Returns [token, frame] pairs in order.
 */
export function dtw(matrix: Float64Array, n: number, m: number, sign = 1): Array<[number, number]> {
  const cost = new Float64Array((n + 1) * (m + 1)).fill(Infinity);
  const trace = new Int8Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => i * (m + 1) + j;
  cost[0] = 0;
  for (let j = 1; j <= m; j++) {
    for (let i = 1; i <= n; i++) {
      const diagonal = cost[at(i - 1, j - 1)]!;
      const up = cost[at(i - 1, j)]!;
      const left = cost[at(i, j - 1)]!;
      let best = diagonal;
      let move = 0;
      if (up < best) [best, move] = [up, 1];
      if (left < best) [best, move] = [left, 2];
      cost[at(i, j)] = sign * matrix[(i - 1) * m + (j - 1)]! + best;
      trace[at(i, j)] = move;
    }
  }
  const path: Array<[number, number]> = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    path.push([i - 1, j - 1]);
    const move = trace[at(i, j)];
    if (move === 0) {
      i--;
      j--;
    } else if (move === 1) i--;
    else j--;
  }
  // Off the grid's edge: the remaining tokens all start at frame 0.
  while (i > 0) path.push([--i, 0]);
  return path.reverse();
}

export function medianFilter(values: Float64Array, width: number): Float64Array {
  const half = Math.floor(width / 2);
  if (values.length <= half) return Float64Array.from(values);
  const out = new Float64Array(values.length);
  const window = new Float64Array(width);
  for (let i = 0; i < values.length; i++) {
    for (let k = -half; k <= half; k++) {
      let index = i + k;
      // Reflect at the edges, as numpy's and torch's "reflect" padding do.
      if (index < 0) index = -index;
      if (index >= values.length) index = 2 * (values.length - 1) - index;
      window[k + half] = values[index]!;
    }
    window.sort();
    out[i] = window[half]!;
  }
  return out;
}

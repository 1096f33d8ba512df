/**
 * Full-covariance Gaussians from sufficient statistics (count, sum, sum of outer products), the
 * voice model of classical diarization: two spans are one voice when one Gaussian explains them as
 * well as two do, by the Bayesian information criterion (Chen & Gopalakrishnan, 1998).
 */
export class GaussianStats {
  count = 0;
  readonly sum: Float64Array;
  /** The upper triangle (j ≥ i) of the d × d sum of x·xᵀ, row-major. */
  readonly outer: Float64Array;
  private cachedLogDet: { floor: Float64Array; shrink: number; value: number } | null = null;

  constructor(readonly dims: number) {
    this.sum = new Float64Array(dims);
    this.outer = new Float64Array(dims * dims);
  }

  /** Adds frames [from, to) of frame-major `rows` (width = dims). */
  addFrames(rows: Float32Array, from: number, to: number): this {
    const d = this.dims;
    for (let f = from; f < to; f++) {
      const base = f * d;
      for (let i = 0; i < d; i++) {
        const x = rows[base + i]!;
        this.sum[i]! += x;
        const at = i * d;
        for (let j = i; j < d; j++) this.outer[at + j]! += x * rows[base + j]!;
      }
    }
    this.count += to - from;
    this.cachedLogDet = null;
    return this;
  }

  add(other: GaussianStats): this {
    this.count += other.count;
    for (let i = 0; i < this.sum.length; i++) this.sum[i]! += other.sum[i]!;
    for (let i = 0; i < this.outer.length; i++) this.outer[i]! += other.outer[i]!;
    this.cachedLogDet = null;
    return this;
  }

  /** The model: mean, and the Cholesky factor of the covariance shrunk towards `floor` (a diagonal, per dimension). */
  model(floor: Float64Array, shrink: number): GaussianModel {
    const covariance = new Float64Array(this.dims * this.dims);
    const mean = shrunkCovariance([this], floor, shrink, covariance);
    choleskyInPlace(covariance, this.dims);
    return new GaussianModel(mean, covariance);
  }

  /** log |Σ| of the (shrunk) covariance; kept until the statistics change, as clustering asks for it often. */
  logDet(floor: Float64Array, shrink: number): number {
    const cached = this.cachedLogDet;
    if (cached && cached.floor === floor && cached.shrink === shrink) return cached.value;
    const value = pooledLogDet([this], floor, shrink);
    this.cachedLogDet = { floor, shrink, value };
    return value;
  }
}

export class GaussianModel {
  readonly logDet: number;
  private readonly constant: number;

  constructor(
    readonly mean: Float64Array,
    /** Lower-triangular L with Σ = L·Lᵀ, row-major. */
    private readonly factor: Float64Array,
  ) {
    this.logDet = factorLogDet(factor, mean.length);
    this.constant = -0.5 * (mean.length * Math.log(2 * Math.PI) + this.logDet);
  }

  /** Log density of each of frames [from, to) of `rows`, written into `out` from index 0. */
  logLikelihoods(rows: Float32Array, from: number, to: number, out: Float64Array): void {
    const d = this.mean.length;
    const y = new Float64Array(d);
    for (let f = from; f < to; f++) {
      // Solve L·y = x − μ; the Mahalanobis distance is |y|².
      let distance = 0;
      for (let i = 0; i < d; i++) {
        let value = rows[f * d + i]! - this.mean[i]!;
        for (let k = 0; k < i; k++) value -= this.factor[i * d + k]! * y[k]!;
        y[i] = value / this.factor[i * d + i]!;
        distance += y[i]! * y[i]!;
      }
      out[f - from] = this.constant - 0.5 * distance;
    }
  }
}

/**
 * The covariance of the pooled statistics, shrunk towards `floor`, into `out` (d × d); returns the
 * mean. With few frames a full covariance is mostly noise; pulling it towards the recording's own
 * spread keeps short spans comparable with long ones.
 */
function shrunkCovariance(parts: readonly GaussianStats[], floor: Float64Array, shrink: number, out: Float64Array): Float64Array {
  const d = parts[0]!.dims;
  const n = Math.max(
    parts.reduce((sum, part) => sum + part.count, 0),
    1,
  );
  const mean = new Float64Array(d);
  for (const part of parts) for (let i = 0; i < d; i++) mean[i]! += part.sum[i]! / n;
  const weight = n / (n + shrink);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let outer = 0;
      for (const part of parts) outer += part.outer[i * d + j]!;
      const value = weight * (outer / n - mean[i]! * mean[j]!) + (i === j ? (1 - weight) * floor[i]! : 0);
      out[i * d + j] = value;
      out[j * d + i] = value;
    }
  }
  return mean;
}

/** Overwrites a symmetric positive-definite `matrix` with its Cholesky factor L (Σ = L·Lᵀ), zeroing above the diagonal. */
function choleskyInPlace(matrix: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= matrix[i * d + k]! * matrix[j * d + k]!;
      matrix[i * d + j] = i === j ? Math.sqrt(Math.max(sum, 1e-9)) : sum / matrix[j * d + j]!;
    }
    for (let j = i + 1; j < d; j++) matrix[i * d + j] = 0;
  }
}

function factorLogDet(factor: Float64Array, d: number): number {
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(factor[i * d + i]!);
  return logDet;
}

/** One buffer per dimension count: clustering computes hundreds of thousands of these. */
const scratch = new Map<number, Float64Array>();

function pooledLogDet(parts: readonly GaussianStats[], floor: Float64Array, shrink: number): number {
  const d = parts[0]!.dims;
  let buffer = scratch.get(d);
  if (!buffer) scratch.set(d, (buffer = new Float64Array(d * d)));
  shrunkCovariance(parts, floor, shrink, buffer);
  choleskyInPlace(buffer, d);
  return factorLogDet(buffer, d);
}

/**
 * ΔBIC of modelling `a` and `b` with one Gaussian rather than two: negative means one voice.
 * `penalty` (BIC's λ) weighs the two-model option's extra parameters.
 */
export function deltaBic(a: GaussianStats, b: GaussianStats, floor: Float64Array, shrink: number, penalty: number): number {
  const d = a.dims;
  const n = a.count + b.count;
  const parameters = d + (d * (d + 1)) / 2;
  const gain = 0.5 * (n * pooledLogDet([a, b], floor, shrink) - a.count * a.logDet(floor, shrink) - b.count * b.logDet(floor, shrink));
  return gain - 0.5 * penalty * parameters * Math.log(n);
}

import FFT from 'fft.js';

/** Whisper's front end: 25 ms Hann frames every 10 ms over a 30 s window. */
const N_FFT = 400;
const HOP = 160;
/** 10 ms frames in a 30 s window. */
export const MEL_FRAMES = 3_000;
const BINS = N_FFT / 2 + 1;
const FLOOR = 1e-10;

/**
 * Whisper's log-mel spectrogram (OpenAI's `log_mel_spectrogram`, as transformers.js computes it:
 * centred frames with reflect padding, power spectrum, the model's mel filters, log10, clamped to
 * 8 below the maximum, scaled), computed about ten times faster: the 400-point FFT runs by
 * Bluestein's method on fft.js' power-of-two transform, two real frames in one complex transform;
 * the mel filters are applied sparsely; frames past the end of the audio are silent by definition
 * and are not transformed at all (most of a short utterance's window).
 */
export class LogMel {
  readonly melBins: number;
  private readonly filters: Array<{ first: number; weights: Float64Array }>;
  private readonly hann = new Float64Array(N_FFT);
  // Bluestein: X[k] = conj(b[k]) · Σ x[n] conj(b[n]) b[k−n], b[n] = exp(iπn²/N), the sum a convolution.
  private readonly fft: FFT;
  private readonly size: number;
  private readonly chirp = new Float64Array(2 * N_FFT);
  private readonly chirpSpectrum: Float64Array;
  private readonly input: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly product: Float64Array;
  private readonly joint = new Float64Array(2 * N_FFT);
  private readonly power = [new Float64Array(BINS), new Float64Array(BINS)];

  /** `melFilters`: [mel][frequency bin], as the model's preprocessor gives them (80 or 128 × 201). */
  constructor(melFilters: ReadonlyArray<ArrayLike<number>>) {
    this.melBins = melFilters.length;
    this.filters = melFilters.map((row) => {
      let first = 0;
      let last = row.length - 1;
      while (first < last && row[first] === 0) first++;
      while (last > first && row[last] === 0) last--;
      return { first, weights: Float64Array.from({ length: last - first + 1 }, (_, k) => row[first + k]!) };
    });
    for (let n = 0; n < N_FFT; n++) this.hann[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / N_FFT);
    this.size = 2 ** Math.ceil(Math.log2(2 * N_FFT - 1));
    this.fft = new FFT(this.size);
    for (let n = 0; n < N_FFT; n++) {
      const angle = (Math.PI * ((n * n) % (2 * N_FFT))) / N_FFT;
      this.chirp[2 * n] = Math.cos(angle);
      this.chirp[2 * n + 1] = Math.sin(angle);
    }
    const kernel = new Float64Array(2 * this.size);
    for (let n = 0; n < N_FFT; n++) {
      kernel[2 * n] = this.chirp[2 * n]!;
      kernel[2 * n + 1] = this.chirp[2 * n + 1]!;
      if (n > 0) {
        kernel[2 * (this.size - n)] = this.chirp[2 * n]!;
        kernel[2 * (this.size - n) + 1] = this.chirp[2 * n + 1]!;
      }
    }
    this.chirpSpectrum = new Float64Array(2 * this.size);
    this.fft.transform(this.chirpSpectrum, kernel);
    this.input = new Float64Array(2 * this.size);
    this.spectrum = new Float64Array(2 * this.size);
    this.product = new Float64Array(2 * this.size);
  }

  /** Features of up to 30 s of 16 kHz audio, zero-padded to `frames` (≤ 3000): [melBins][frames], mel-major. */
  compute(audio: Float32Array, frames = MEL_FRAMES): Float32Array {
    const length = Math.min(audio.length, frames * HOP);
    const out = new Float32Array(this.melBins * frames);
    const voiced = Math.min(frames, Math.ceil((length + N_FFT / 2) / HOP));
    // Frame i covers padded samples [160i, 160i + 400): the audio shifted by 200, reflected at the edges.
    const padded = new Float64Array((voiced + 1) * HOP + N_FFT);
    for (let j = 0; j < padded.length; j++) {
      let index = j - N_FFT / 2;
      if (index < 0) index = -index;
      else if (index >= frames * HOP) index = 2 * (frames * HOP - 1) - index;
      padded[j] = index < length ? audio[index]! : 0;
    }
    let logMax = Math.log10(FLOOR);
    for (let frame = 0; frame < voiced; frame += 2) {
      const pair = Math.min(2, voiced - frame);
      this.powerSpectra(padded, frame, pair);
      for (let p = 0; p < pair; p++) {
        const power = this.power[p]!;
        for (let mel = 0; mel < this.melBins; mel++) {
          const { first, weights } = this.filters[mel]!;
          let sum = 0;
          for (let k = 0; k < weights.length; k++) sum += weights[k]! * power[first + k]!;
          const value = Math.log10(Math.max(FLOOR, sum));
          out[mel * frames + frame + p] = value;
          if (value > logMax) logMax = value;
        }
      }
    }
    const silent = Math.log10(FLOOR);
    for (let mel = 0; mel < this.melBins; mel++) out.fill(silent, mel * frames + voiced, (mel + 1) * frames);
    const threshold = logMax - 8;
    for (let i = 0; i < out.length; i++) out[i] = (Math.max(out[i]!, threshold) + 4) / 4;
    return out;
  }

  /** Power spectra of one or two consecutive frames, from one complex transform. */
  private powerSpectra(padded: Float64Array, frame: number, count: number): void {
    const { input, chirp, size } = this;
    input.fill(0);
    for (let n = 0; n < N_FFT; n++) {
      const a = padded[frame * HOP + n]! * this.hann[n]!;
      const b = count > 1 ? padded[(frame + 1) * HOP + n]! * this.hann[n]! : 0;
      // (a + ib) · conj(chirp)
      const cr = chirp[2 * n]!;
      const ci = chirp[2 * n + 1]!;
      input[2 * n] = a * cr + b * ci;
      input[2 * n + 1] = b * cr - a * ci;
    }
    this.fft.transform(this.spectrum, input);
    const { spectrum, chirpSpectrum, product } = this;
    for (let k = 0; k < size; k++) {
      const xr = spectrum[2 * k]!;
      const xi = spectrum[2 * k + 1]!;
      const yr = chirpSpectrum[2 * k]!;
      const yi = chirpSpectrum[2 * k + 1]!;
      spectrum[2 * k] = xr * yr - xi * yi;
      spectrum[2 * k + 1] = xr * yi + xi * yr;
    }
    this.fft.inverseTransform(product, spectrum);
    // Z[k] = conj(chirp[k]) · conv[k]; the two real frames' spectra are its even and odd parts.
    const z = this.joint;
    for (let k = 0; k < N_FFT; k++) {
      const cr = chirp[2 * k]!;
      const ci = chirp[2 * k + 1]!;
      const vr = product[2 * k]!;
      const vi = product[2 * k + 1]!;
      z[2 * k] = vr * cr + vi * ci;
      z[2 * k + 1] = vi * cr - vr * ci;
    }
    const [first, second] = this.power as [Float64Array, Float64Array];
    for (let k = 0; k < BINS; k++) {
      const mirror = (N_FFT - k) % N_FFT;
      const zr = z[2 * k]!;
      const zi = z[2 * k + 1]!;
      const mr = z[2 * mirror]!;
      const mi = z[2 * mirror + 1]!;
      // A = (Z[k] + conj Z[N−k]) / 2, B = (Z[k] − conj Z[N−k]) / 2i
      const ar = (zr + mr) / 2;
      const ai = (zi - mi) / 2;
      const br = (zi + mi) / 2;
      const bi = (mr - zr) / 2;
      first[k] = ar * ar + ai * ai;
      second[k] = br * br + bi * bi;
    }
  }
}

import FFT from 'fft.js';
import { SAMPLE_RATE } from '../audio/pcm-file';

/** Kaldi's framing: 25 ms windows every 10 ms, only whole windows ("snip edges"). */
export const FBANK_FRAME_LENGTH = 400;
export const FBANK_FRAME_SHIFT = 160;
export const FBANK_FRAME_SEC = FBANK_FRAME_SHIFT / SAMPLE_RATE;
const FFT_SIZE = 512;
const PREEMPHASIS = 0.97;
const LOW_HZ = 20;
/** Kaldi's floor for log energies: the float32 epsilon. */
const LOG_FLOOR = 1.1920929e-7;

export interface Fbank {
  /** numFrames × bins log mel energies, frame-major. */
  data: Float32Array;
  numFrames: number;
  bins: number;
}

export function fbankFrameCount(sampleCount: number): number {
  return sampleCount < FBANK_FRAME_LENGTH ? 0 : 1 + Math.floor((sampleCount - FBANK_FRAME_LENGTH) / FBANK_FRAME_SHIFT);
}

interface MelFilter {
  firstBin: number;
  weights: Float32Array;
}

const filterCache = new Map<number, MelFilter[]>();
let windowCache: Float32Array | undefined;

const mel = (hz: number): number => 1127 * Math.log(1 + hz / 700);

/** Triangles equally spaced on the mel scale from 20 Hz to Nyquist, over FFT bins 0…255 (Kaldi drops Nyquist's). */
export function melFilters(bins: number): MelFilter[] {
  const cached = filterCache.get(bins);
  if (cached) return cached;
  const low = mel(LOW_HZ);
  const high = mel(SAMPLE_RATE / 2);
  const step = (high - low) / (bins + 1);
  const filters: MelFilter[] = [];
  for (let m = 0; m < bins; m++) {
    const left = low + m * step;
    const centre = left + step;
    const right = centre + step;
    const weights: number[] = [];
    let firstBin = -1;
    for (let k = 0; k < FFT_SIZE / 2; k++) {
      const at = mel((k * SAMPLE_RATE) / FFT_SIZE);
      const weight = at > left && at < right ? (at <= centre ? (at - left) / (centre - left) : (right - at) / (right - centre)) : 0;
      if (weight > 0) {
        if (firstBin < 0) firstBin = k;
        weights[k - firstBin] = weight;
      } else if (firstBin >= 0) break;
    }
    filters.push({ firstBin: Math.max(firstBin, 0), weights: Float32Array.from(weights, (w) => w ?? 0) });
  }
  filterCache.set(bins, filters);
  return filters;
}

/** Povey's window: a Hann window raised to 0.85, Kaldi's default. */
function poveyWindow(): Float32Array {
  windowCache ??= Float32Array.from({ length: FBANK_FRAME_LENGTH }, (_, n) => (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (FBANK_FRAME_LENGTH - 1))) ** 0.85);
  return windowCache;
}

/**
 * Kaldi-compatible log mel filterbank (torchaudio.compliance.kaldi.fbank with dither 0), the input
 * WeSpeaker was trained on and the base of the built-in tier's cepstra. Samples are in −1…1 and
 * scaled to 16-bit range first, as Kaldi reads them.
 */
export function fbank(samples: Float32Array, bins = 80): Fbank {
  const numFrames = fbankFrameCount(samples.length);
  const data = new Float32Array(numFrames * bins);
  const filters = melFilters(bins);
  const window = poveyWindow();
  const fft = new FFT(FFT_SIZE);
  const frame = new Float64Array(FFT_SIZE);
  const spectrum = fft.createComplexArray() as number[];
  const power = new Float64Array(FFT_SIZE / 2);
  for (let f = 0; f < numFrames; f++) {
    const offset = f * FBANK_FRAME_SHIFT;
    let mean = 0;
    for (let n = 0; n < FBANK_FRAME_LENGTH; n++) mean += samples[offset + n]!;
    mean = (mean / FBANK_FRAME_LENGTH) * 32768;
    // Backwards, so each sample's pre-emphasis reads its unmodified predecessor.
    for (let n = FBANK_FRAME_LENGTH - 1; n >= 0; n--) {
      const current = samples[offset + n]! * 32768 - mean;
      const previous = n > 0 ? samples[offset + n - 1]! * 32768 - mean : current;
      frame[n] = (current - PREEMPHASIS * previous) * window[n]!;
    }
    frame.fill(0, FBANK_FRAME_LENGTH);
    fft.realTransform(spectrum, frame);
    for (let k = 0; k < FFT_SIZE / 2; k++) power[k] = spectrum[2 * k]! ** 2 + spectrum[2 * k + 1]! ** 2;
    for (let m = 0; m < bins; m++) {
      const { firstBin, weights } = filters[m]!;
      let energy = 0;
      for (let w = 0; w < weights.length; w++) energy += weights[w]! * power[firstBin + w]!;
      data[f * bins + m] = Math.log(Math.max(energy, LOG_FLOOR));
    }
  }
  return { data, numFrames, bins };
}

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

/**
 * The Kaldi options that differ between the models' own feature code and their runtimes:
 * torchaudio.compliance.kaldi.fbank (WeSpeaker's and 3D-Speaker's reference) snips edges and runs
 * the mel triangles up to Nyquist; kaldi-native-fbank as sherpa-onnx configures it pads the edges
 * by reflection and stops 400 Hz short.
 */
export interface FbankOptions {
  bins: number;
  window: 'povey' | 'hamming';
  /** Only whole windows (torchaudio's default), or one frame per shift with reflected edges (Kaldi's online default). */
  snipEdges: boolean;
  /** The mel triangles' top in Hz; zero or less counts down from Nyquist. */
  highHz: number;
  /** Samples arrive in −1…1 and are multiplied by this first: 32768 for 16-bit range (WeSpeaker), 1 for 3D-Speaker. */
  sampleScale: number;
}

/** torchaudio's kaldi.fbank defaults on 16-bit-range samples: what the built-in tier and WeSpeaker's Povey-window users read. */
export const KALDI_FBANK: FbankOptions = { bins: 80, window: 'povey', snipEdges: true, highHz: 0, sampleScale: 32768 };

export function fbankFrameCount(sampleCount: number, snipEdges = true): number {
  if (!snipEdges) return Math.floor((sampleCount + FBANK_FRAME_SHIFT / 2) / FBANK_FRAME_SHIFT);
  return sampleCount < FBANK_FRAME_LENGTH ? 0 : 1 + Math.floor((sampleCount - FBANK_FRAME_LENGTH) / FBANK_FRAME_SHIFT);
}

interface MelFilter {
  firstBin: number;
  weights: Float32Array;
}

const filterCache = new Map<string, MelFilter[]>();
const windowCache = new Map<FbankOptions['window'], Float32Array>();

const mel = (hz: number): number => 1127 * Math.log(1 + hz / 700);

/** Triangles equally spaced on the mel scale from 20 Hz to `highHz`, over FFT bins 0…255 (Kaldi drops Nyquist's). */
export function melFilters(bins: number, highHz = 0): MelFilter[] {
  const key = `${bins}/${highHz}`;
  const cached = filterCache.get(key);
  if (cached) return cached;
  const low = mel(LOW_HZ);
  const high = mel(highHz > 0 ? highHz : SAMPLE_RATE / 2 + highHz);
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
  filterCache.set(key, filters);
  return filters;
}

/** Povey's window (a Hann window raised to 0.85, Kaldi's default) or Hamming's (WeSpeaker's choice). */
function analysisWindow(kind: FbankOptions['window']): Float32Array {
  let window = windowCache.get(kind);
  if (!window) {
    const phase = (n: number): number => (2 * Math.PI * n) / (FBANK_FRAME_LENGTH - 1);
    window = Float32Array.from({ length: FBANK_FRAME_LENGTH }, (_, n) => (kind === 'povey' ? (0.5 - 0.5 * Math.cos(phase(n))) ** 0.85 : 0.54 - 0.46 * Math.cos(phase(n))));
    windowCache.set(kind, window);
  }
  return window;
}

/** The first sample of frame `frame`'s window: Kaldi centres it on the hop when edges are not snipped, so it can lie before the recording (see reflect). */
function frameStart(frame: number, snipEdges: boolean): number {
  return snipEdges ? frame * FBANK_FRAME_SHIFT : frame * FBANK_FRAME_SHIFT + FBANK_FRAME_SHIFT / 2 - FBANK_FRAME_LENGTH / 2;
}

function reflect(index: number, length: number): number {
  let at = index;
  while (at < 0 || at >= length) at = at < 0 ? -at - 1 : 2 * length - 1 - at;
  return at;
}

/**
 * Kaldi-compatible log mel filterbank with dither 0: the input of the speaker-embedding models and
 * the base of the built-in tier's cepstra. Per frame: DC removed, pre-emphasis 0.97, the window,
 * a 512-point power spectrum, mel triangles, log floored at ε.
 */
export function fbank(samples: Float32Array, options: Partial<FbankOptions> = {}): Fbank {
  const { bins, window: kind, snipEdges, highHz, sampleScale } = { ...KALDI_FBANK, ...options };
  const numFrames = samples.length === 0 ? 0 : fbankFrameCount(samples.length, snipEdges);
  const data = new Float32Array(numFrames * bins);
  const filters = melFilters(bins, highHz);
  const window = analysisWindow(kind);
  const fft = new FFT(FFT_SIZE);
  const raw = new Float64Array(FBANK_FRAME_LENGTH);
  const frame = new Float64Array(FFT_SIZE);
  const spectrum = fft.createComplexArray() as number[];
  const power = new Float64Array(FFT_SIZE / 2);
  for (let f = 0; f < numFrames; f++) {
    const offset = frameStart(f, snipEdges);
    let mean = 0;
    for (let n = 0; n < FBANK_FRAME_LENGTH; n++) {
      const at = offset + n;
      raw[n] = samples[at >= 0 && at < samples.length ? at : reflect(at, samples.length)]! * sampleScale;
      mean += raw[n]!;
    }
    mean /= FBANK_FRAME_LENGTH;
    // Backwards, so each sample's pre-emphasis reads its unmodified predecessor.
    for (let n = FBANK_FRAME_LENGTH - 1; n >= 0; n--) {
      const current = raw[n]! - mean;
      const previous = n > 0 ? raw[n - 1]! - mean : current;
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

/** Subtracts each bin's mean over the frames (CMN without variance normalisation), in place. */
export function subtractBinMeans(features: Fbank): Fbank {
  const { data, numFrames, bins } = features;
  if (numFrames === 0) return features;
  const mean = new Float64Array(bins);
  for (let f = 0; f < numFrames; f++) for (let m = 0; m < bins; m++) mean[m]! += data[f * bins + m]!;
  for (let m = 0; m < bins; m++) mean[m]! /= numFrames;
  for (let f = 0; f < numFrames; f++) for (let m = 0; m < bins; m++) data[f * bins + m]! -= mean[m]!;
  return features;
}

// Runs on the audio rendering thread (AudioWorkletGlobalScope): microphone frames in, 16 kHz mono
// 16-bit PCM out in 100 ms chunks, each with its level for the meter. When the platform would not
// open the AudioContext at 16 kHz, it low-passes and resamples here.

declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare function registerProcessor(name: string, processor: new (options: { processorOptions?: unknown }) => AudioWorkletProcessor): void;

const TARGET_RATE = 16_000;
const CHUNK_SAMPLES = 1_600;

/** Capture chunks as posted to the page: `pcm` is 16-bit little-endian, `peak` its loudest sample (0…1). */
export interface CaptureChunk {
  pcm: ArrayBuffer;
  peak: number;
}

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly step = sampleRate / TARGET_RATE;
  /** Where the next output sample falls, in input samples from the start of the current block. */
  private position = 0;
  private previous = 0;
  private chunk = new Int16Array(CHUNK_SAMPLES);
  private filled = 0;
  private peak = 0;
  // A biquad low-pass (RBJ cookbook) at 7.2 kHz, only used when resampling.
  private readonly filter = lowPass(7_200, sampleRate);
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const frames = channels[0]!.length;
    const mono = new Float32Array(frames);
    for (const channel of channels) for (let i = 0; i < frames; i++) mono[i]! += channel[i]! / channels.length;
    if (this.step === 1) {
      for (let i = 0; i < frames; i++) this.emit(mono[i]!);
      return true;
    }
    const { b0, b1, b2, a1, a2 } = this.filter;
    for (let i = 0; i < frames; i++) {
      const x = mono[i]!;
      const y = b0 * x + b1 * this.x1 + b2 * this.x2 - a1 * this.y1 - a2 * this.y2;
      this.x2 = this.x1;
      this.x1 = x;
      this.y2 = this.y1;
      this.y1 = y;
      mono[i] = y;
    }
    // Linear interpolation between the filtered samples; `previous` is the last one of the block before.
    while (this.position < frames) {
      const index = Math.floor(this.position);
      const fraction = this.position - index;
      const before = index === 0 ? this.previous : mono[index - 1]!;
      this.emit(before + (mono[index]! - before) * fraction);
      this.position += this.step;
    }
    this.position -= frames;
    this.previous = mono[frames - 1]!;
    return true;
  }

  private emit(sample: number): void {
    const clamped = Math.max(-1, Math.min(1, sample));
    this.peak = Math.max(this.peak, Math.abs(clamped));
    this.chunk[this.filled++] = Math.round(clamped < 0 ? clamped * 32768 : clamped * 32767);
    if (this.filled < CHUNK_SAMPLES) return;
    const message: CaptureChunk = { pcm: this.chunk.buffer, peak: this.peak };
    this.port.postMessage(message, [this.chunk.buffer]);
    this.chunk = new Int16Array(CHUNK_SAMPLES);
    this.filled = 0;
    this.peak = 0;
  }
}

function lowPass(cutoff: number, rate: number): { b0: number; b1: number; b2: number; a1: number; a2: number } {
  const w = (2 * Math.PI * Math.min(cutoff, rate * 0.45)) / rate;
  const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  return { b0: (1 - cos) / 2 / a0, b1: (1 - cos) / a0, b2: (1 - cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

registerProcessor('verbatim-capture', CaptureProcessor);

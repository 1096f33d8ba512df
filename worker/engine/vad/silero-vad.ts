import ort from 'onnxruntime-node';
import { SAMPLE_RATE, type PcmFile } from '../audio/pcm-file';

/** Silero v6 scores 512-sample chunks (32 ms), each preceded by the previous chunk's last 64 samples. */
export const VAD_CHUNK = 512;
export const VAD_CONTEXT = 64;
export const VAD_FRAME_SEC = VAD_CHUNK / SAMPLE_RATE;
/** Frames read from disk at a time, per stream: bounded memory, few syscalls. */
const READ_FRAMES = 1_000;
/**
 * The recurrent state carries across frames, so one stream of audio runs one chunk per call, and
 * each call costs ~0.3 ms whatever its size. A long recording is cut into up to MAX_STREAMS spans
 * scored side by side, one batch row each (a 16-row call costs ~1.5 ms: 3× the throughput); each
 * span starts WARM_UP_FRAMES early so its state has settled by its first scored frame.
 */
const MAX_STREAMS = 16;
const MIN_STREAM_FRAMES = 625; // 20 s: shorter recordings run as one stream, exactly as Silero's own loop
const WARM_UP_FRAMES = 63; // 2 s
/** Steps between progress reports: a few a second (the worker throttles what it sends on). */
const PROGRESS_STEPS = 50;
/**
 * A chunk whose every sample is under −80 dBFS is digital silence (a muted track, a recorder left
 * running, padding): no microphone's noise floor is that quiet. Once every stream has been in it for
 * a second, its score has settled near 0, so further steps of it are not scored: they take that score
 * and the state is carried, and hours of silence cost only their reading. (The state itself drifts in
 * zeros for minutes, so this is not bit-exact; the regions it gives match Silero's own loop to a frame.)
 */
const DIGITAL_SILENCE = 1e-4;
const SETTLE_STEPS = 32;

/** Speech probability for every 32 ms frame of the recording. One thread is enough: it runs several hundred times realtime. */
export async function speechProbabilities(
  session: ort.InferenceSession,
  pcm: PcmFile,
  onProgress: (doneSec: number) => void,
  signal: AbortSignal,
): Promise<Float32Array> {
  const frames = Math.ceil(pcm.sampleCount / VAD_CHUNK);
  const probabilities = new Float32Array(frames);
  const streamCount = Math.max(1, Math.min(MAX_STREAMS, Math.floor(frames / MIN_STREAM_FRAMES)));
  const span = Math.ceil(frames / streamCount);
  const streams = Array.from({ length: streamCount }, (_, index) => {
    const first = index * span;
    const start = Math.max(0, first - WARM_UP_FRAMES);
    return { first, start, end: Math.min(frames, first + span), block: new Float32Array(0) as Float32Array, blockStart: start };
  });
  const steps = Math.max(...streams.map((stream) => stream.end - stream.start));
  const width = VAD_CONTEXT + VAD_CHUNK;
  const input = new Float32Array(streamCount * width);
  const inputTensor = new ort.Tensor('float32', input, [streamCount, width]);
  let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * streamCount * 128), [2, streamCount, 128]);
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
  let scores: Float32Array = new Float32Array(streamCount);
  let silentSteps = 0;

  for (let step = 0; step < steps; step++) {
    if (step % READ_FRAMES === 0) {
      // Skipped silence awaits nothing: hours of it would otherwise hold up the worker's heartbeat.
      await new Promise(setImmediate);
      signal.throwIfAborted();
      for (const stream of streams) {
        stream.blockStart = stream.start + step;
        stream.block = pcm.read(stream.blockStart * VAD_CHUNK, READ_FRAMES * VAD_CHUNK);
      }
    }
    let silent = true;
    streams.forEach((stream, row) => {
      const frame = stream.start + step;
      const at = row * width;
      // The previous chunk's tail is the context; a stream past its end repeats silence, unread.
      input.copyWithin(at, at + VAD_CHUNK, at + width);
      const offset = (frame - stream.blockStart) * VAD_CHUNK;
      const chunk = frame < stream.end ? stream.block.subarray(offset, offset + VAD_CHUNK) : new Float32Array(0);
      input.set(chunk, at + VAD_CONTEXT);
      if (chunk.length < VAD_CHUNK) input.fill(0, at + VAD_CONTEXT + chunk.length, at + width);
      silent &&= isDigitalSilence(chunk);
    });
    silentSteps = silent ? silentSteps + 1 : 0;
    if (silentSteps <= SETTLE_STEPS) {
      const out = await session.run({ input: inputTensor, state, sr });
      scores = out.output!.data as Float32Array;
      state = out.stateN as ort.Tensor;
    }
    streams.forEach((stream, row) => {
      const frame = stream.start + step;
      if (frame >= stream.first && frame < stream.end) probabilities[frame] = scores[row]!;
    });
    if ((step + 1) % PROGRESS_STEPS === 0 || step === steps - 1) onProgress(Math.min(pcm.durationSec, ((step + 1) / steps) * pcm.durationSec));
  }
  return probabilities;
}

function isDigitalSilence(chunk: Float32Array): boolean {
  for (let i = 0; i < chunk.length; i++) if (Math.abs(chunk[i]!) >= DIGITAL_SILENCE) return false;
  return true;
}

import ort from 'onnxruntime-node';
import { SAMPLE_RATE, type PcmFile } from '../audio/pcm-file';

/** Silero v6 scores 512-sample chunks (32 ms), each preceded by the previous chunk's last 64 samples. */
const CHUNK = 512;
const CONTEXT = 64;
export const VAD_FRAME_SEC = CHUNK / SAMPLE_RATE;
/** Samples read from disk at a time: bounded memory, few syscalls. */
const READ_BLOCK = CHUNK * 1_000;

/**
 * Speech probability for every 32 ms frame of the recording. The recurrent state carries across
 * frames, so it runs sequentially; one thread is enough, it is ~200× realtime.
 */
export async function speechProbabilities(
  session: ort.InferenceSession,
  pcm: PcmFile,
  onProgress: (doneSec: number) => void,
  signal: AbortSignal,
): Promise<Float32Array> {
  const frames = Math.ceil(pcm.sampleCount / CHUNK);
  const probabilities = new Float32Array(frames);
  let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
  const input = new Float32Array(CONTEXT + CHUNK);
  const inputTensor = new ort.Tensor('float32', input, [1, CONTEXT + CHUNK]);
  for (let blockStart = 0, frame = 0; blockStart < pcm.sampleCount; blockStart += READ_BLOCK) {
    signal.throwIfAborted();
    const block = pcm.read(blockStart, READ_BLOCK);
    for (let offset = 0; offset < block.length; offset += CHUNK, frame++) {
      input.copyWithin(0, CHUNK, CHUNK + CONTEXT);
      const chunk = block.subarray(offset, offset + CHUNK);
      input.set(chunk, CONTEXT);
      if (chunk.length < CHUNK) input.fill(0, CONTEXT + chunk.length);
      const out = await session.run({ input: inputTensor, state, sr });
      probabilities[frame] = (out.output!.data as Float32Array)[0]!;
      state = out.stateN as ort.Tensor;
    }
    onProgress(Math.min(pcm.durationSec, (blockStart + block.length) / SAMPLE_RATE));
  }
  return probabilities;
}

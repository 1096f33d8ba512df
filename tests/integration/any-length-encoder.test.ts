import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { anyLengthEncoder } from '../../worker/engine/whisper/any-length-encoder';
import { sharedModels } from '../helpers/media';
import { onnxModel } from '../helpers/onnx-models';

const encoderFile = (id: string) => path.join(sharedModels, 'Xenova', id, 'onnx/encoder_model_quantized.onnx');
const run = async (session: ort.InferenceSession, features: Float32Array, frames: number) =>
  (await session.run({ input_features: new ort.Tensor('float32', features, [1, 80, frames]) }, ['last_hidden_state'])).last_hidden_state!;

describe('Whisper’s encoder on audio shorter than 30 s', () => {
  it.each(['whisper-tiny', 'whisper-base'])('%s: the changed graph gives the same states on a full window, and takes any even length', async (id) => {
    const original = readFileSync(encoderFile(id));
    const changed = anyLengthEncoder(original);
    expect(changed).not.toBeNull();
    const [before, after] = await Promise.all([ort.InferenceSession.create(original), ort.InferenceSession.create(changed!)]);
    const features = Float32Array.from({ length: 80 * 3000 }, (_, i) => Math.sin(i * 0.37) * 0.8);
    const full = [await run(before, features, 3000), await run(after, features, 3000)];
    expect(full[1]!.dims).toEqual(full[0]!.dims);
    expect(Array.from(full[1]!.data as Float32Array)).toEqual(Array.from(full[0]!.data as Float32Array));
    // The original refuses anything but 3000 frames; the changed one gives half as many states as frames.
    await expect(run(before, features.subarray(0, 80 * 800), 800)).rejects.toThrow();
    const short = await run(after, features.subarray(0, 80 * 800), 800);
    expect(short.dims.slice(0, 2)).toEqual([1, 400]);
    expect(Array.from(short.data as Float32Array).every(Number.isFinite)).toBe(true);
    // Only the states are returned: every layer's attention maps, which nothing reads, are no longer kept.
    expect(after.outputNames).toEqual(['last_hidden_state']);
    expect(before.outputNames.length).toBeGreaterThan(1);
    await Promise.all([before.release(), after.release()]);
  });

  it('leaves a graph without a position table alone: null, and the caller keeps 30 s windows', () => {
    const plain = onnxModel({
      inputs: [{ name: 'x', dims: [1, 4] }],
      outputs: [{ name: 'y', dims: [1, 4] }],
      initializers: { bias: { dims: [1, 4], values: [1, 2, 3, 4] } },
      nodes: [{ op: 'Add', inputs: ['x', 'bias'], output: 'y' }],
    });
    expect(anyLengthEncoder(plain)).toBeNull();
    expect(anyLengthEncoder(new Uint8Array([0x3a, 0x02, 0x0a]))).toBeNull();
    // A graph field claiming more bytes than the file holds.
    expect(anyLengthEncoder(new Uint8Array([0x3a, 0x7f, 0x0a, 0x01, 0x41]))).toBeNull();
  });
});

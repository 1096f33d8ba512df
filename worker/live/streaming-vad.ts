import ort from 'onnxruntime-node';
import { SAMPLE_RATE } from '../engine/audio/pcm-file';
import { VAD_CHUNK, VAD_CONTEXT } from '../engine/vad/silero-vad';

/**
 * Silero VAD over audio as it arrives: one 32 ms frame per call, the recurrent state and the
 * 64-sample context carried from frame to frame exactly as over a file.
 */
export class StreamingVad {
  private readonly input = new Float32Array(VAD_CONTEXT + VAD_CHUNK);
  private readonly inputTensor = new ort.Tensor('float32', this.input, [1, VAD_CONTEXT + VAD_CHUNK]);
  private state: ort.Tensor = StreamingVad.freshState();
  private readonly sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);

  constructor(private readonly session: ort.InferenceSession) {}

  static readonly frameSamples = VAD_CHUNK;

  /** Speech probability of the next frame (VAD_CHUNK samples). */
  async score(frame: Float32Array): Promise<number> {
    this.input.copyWithin(0, VAD_CHUNK, VAD_CONTEXT + VAD_CHUNK);
    this.input.set(frame.subarray(0, VAD_CHUNK), VAD_CONTEXT);
    const out = await this.session.run({ input: this.inputTensor, state: this.state, sr: this.sr });
    this.state = out.stateN as ort.Tensor;
    return (out.output!.data as Float32Array)[0]!;
  }

  private static freshState(): ort.Tensor {
    return new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  }
}

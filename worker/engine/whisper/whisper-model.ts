import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WhisperFeatureExtractor, WhisperTokenizer } from '@huggingface/transformers';
import ort from 'onnxruntime-node';
import type { ProviderFallback } from '../../../contracts/domain';
import type { ExecutionProvider } from '../../../contracts/devices';
import { firstLine, openSession } from '../onnx/execution-providers';
import { anyLengthEncoder } from './any-length-encoder';
import { LogMel, MEL_FRAMES } from './log-mel';
import { specialTokens, type GenerationConfig, type SpecialTokens } from './special-tokens';

export interface WhisperModelFiles {
  /** Folder in the Hugging Face layout (config.json, tokenizer.json, onnx/…). */
  dir: string;
  /** File-name suffix of the weights: "" (fp32), "_quantized", "_fp16", "_q4", … */
  dtypeSuffix: string;
}

/**
 * Seconds of silence the encoder hears after a window's audio (see inputFrames). Measured by changing
 * this value and transcribing the 21 real utterances of ../shared/audio/read-speech through the CLI
 * (bench:peers' short workload): with 10 s whisper-tiny made 17 word errors and whisper-base 8, as
 * against 27 and 9 on full windows; with 2 s, whisper-tiny made 23. sherpa-onnx pads 10 s too.
 */
export const ENCODER_TAIL_SEC = 10;

interface Dimensions {
  layers: number;
  heads: number;
  headDim: number;
  model: number;
}

/**
 * One Whisper model opened for inference: the encoder and KV-cached decoder sessions, the
 * tokenizer and log-mel front end, and the control tokens. A provider that fails while running
 * (not only while opening) makes both sessions reopen on the next one, and the reason is kept.
 */
export class WhisperModel {
  readonly fallbacks: ProviderFallback[] = [];

  private constructor(
    private encoder: ort.InferenceSession,
    private decoder: ort.InferenceSession,
    public provider: ExecutionProvider,
    private readonly remaining: ExecutionProvider[],
    private readonly files: WhisperModelFiles,
    private readonly threads: number | undefined,
    readonly tokenizer: WhisperTokenizer,
    private readonly features: LogMel,
    readonly tokens: SpecialTokens,
    readonly dims: Dimensions,
    /** [layer, head] pairs whose cross-attention follows the words in time. */
    readonly alignmentHeads: ReadonlyArray<readonly [number, number]>,
    readonly multilingual: boolean,
    /** Whether the encoder takes less than a 30 s window (see anyLengthEncoder). */
    readonly anyLength: boolean,
  ) {}

  static async load(
    files: WhisperModelFiles,
    order: readonly ExecutionProvider[],
    threads?: number,
  ): Promise<WhisperModel> {
    const json = async <T>(name: string): Promise<T> => JSON.parse(await readFile(path.join(files.dir, name), 'utf8')) as T;
    const [config, generation, preprocessor, tokenizerJson, tokenizerConfig] = await Promise.all([
      json<Record<string, number>>('config.json'),
      json<GenerationConfig>('generation_config.json'),
      json<Record<string, unknown>>('preprocessor_config.json'),
      json<object>('tokenizer.json'),
      json<object>('tokenizer_config.json'),
    ]);
    const tokenizer = new WhisperTokenizer(tokenizerJson, tokenizerConfig);
    const vocabulary = tokenizer.get_vocab();
    const tokenId = (token: string): number | undefined => vocabulary.get(token);
    const dims: Dimensions = {
      layers: config.decoder_layers!,
      heads: config.decoder_attention_heads!,
      headDim: config.d_model! / config.decoder_attention_heads!,
      model: config.d_model!,
    };
    const { encoder, decoder, provider, fallbacks, remaining, anyLength } = await openPair(files, order, threads);
    const model = new WhisperModel(
      encoder,
      decoder,
      provider,
      remaining,
      files,
      threads,
      tokenizer,
      // The model's own mel filters, as its preprocessor config defines them (transformers.js computes them).
      new LogMel((new WhisperFeatureExtractor(preprocessor).config as { mel_filters: number[][] }).mel_filters),
      specialTokens(generation, tokenId, config.vocab_size!),
      dims,
      (generation.alignment_heads ?? defaultAlignmentHeads(dims)).map(([layer, head]) => [layer, head] as const),
      generation.is_multilingual ?? (generation.lang_to_id !== undefined),
      anyLength,
    );
    model.fallbacks.push(...fallbacks);
    return model;
  }

  /** Log-mel features of up to 30 s of audio, zero-padded to `frames` (10 ms each; the full window by default). */
  logMel(audio: Float32Array, frames = MEL_FRAMES): Float32Array {
    return this.features.compute(audio, frames);
  }

  /**
   * The mel frames the encoder is given for `sec` seconds of audio: the audio and some silence after
   * it, in whole seconds, or the full 30 s window where the encoder takes nothing else. The silence
   * matters: cut at the last word, Whisper often misses it or the end of text (sherpa-onnx pads 10 s).
   */
  inputFrames(sec: number): number {
    if (!this.anyLength) return MEL_FRAMES;
    return Math.min(MEL_FRAMES, Math.ceil(sec + ENCODER_TAIL_SEC) * 100);
  }

  get melBins(): number {
    return this.features.melBins;
  }

  /** Encodes windows (of equal length) one at a time (faster per window on CPU than a batch) into one [B, frames, d] tensor. */
  async encode(mels: readonly Float32Array[], batch = 1): Promise<ort.Tensor> {
    const frames = mels[0]!.length / this.melBins;
    const parts: Float32Array[] = [];
    let stateFrames = 0;
    for (let i = 0; i < mels.length; i += batch) {
      const group = mels.slice(i, i + batch);
      const input = new Float32Array(group.length * mels[0]!.length);
      group.forEach((mel, index) => input.set(mel, index * mel.length));
      const out = await this.run('encoder', { input_features: new ort.Tensor('float32', input, [group.length, this.melBins, frames]) }, ['last_hidden_state']);
      const hidden = out.last_hidden_state!;
      stateFrames = hidden.dims[1]!;
      parts.push(hidden.data as Float32Array);
    }
    const joined = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.length;
    }
    return new ort.Tensor('float32', joined, [mels.length, stateFrames, this.dims.model]);
  }

  decode(feeds: Record<string, ort.Tensor>, fetches: readonly string[]): Promise<ort.InferenceSession.ReturnType> {
    return this.run('decoder', feeds, fetches);
  }

  /** Words of the text tokens, as the tokenizer spells them. */
  text(ids: readonly number[]): string {
    return this.tokenizer.decode(ids as number[], { skip_special_tokens: true });
  }

  encodePrompt(prompt: string): number[] {
    return this.tokenizer.encode(` ${prompt.trim()}`, { add_special_tokens: false });
  }

  async release(): Promise<void> {
    await Promise.all([this.encoder.release(), this.decoder.release()]);
  }

  private async run(
    which: 'encoder' | 'decoder',
    feeds: Record<string, ort.Tensor>,
    fetches: readonly string[],
  ): Promise<ort.InferenceSession.ReturnType> {
    for (;;) {
      try {
        return await this[which].run(feeds, fetches as string[]);
      } catch (error) {
        if (this.provider === 'cpu' || this.remaining.length === 0) throw error;
        this.fallbacks.push({ provider: this.provider, reason: `failed while running: ${firstLine(error)}` });
        await this.release().catch(() => undefined);
        const reopened = await openPair(this.files, this.remaining, this.threads);
        this.encoder = reopened.encoder;
        this.decoder = reopened.decoder;
        this.provider = reopened.provider;
        this.fallbacks.push(...reopened.fallbacks);
        this.remaining.splice(0, this.remaining.length, ...reopened.remaining);
      }
    }
  }
}

async function openPair(files: WhisperModelFiles, order: readonly ExecutionProvider[], threads: number | undefined) {
  const onnx = (name: string): string => path.join(files.dir, 'onnx', `${name}${files.dtypeSuffix}.onnx`);
  const bytes = anyLengthEncoder(await readFile(onnx('encoder_model'))) ?? undefined;
  // Without the arena: a full window's attention (400 MB for base) is not kept after it (with the unread outputs
  // already gone, the worker's peak on bench:peers' long file went from 1.28 to 1.09 GB, same speed).
  const encoder = await openSession(onnx('encoder_model'), order, { threads, bytes, memoryArena: false });
  // The decoder must share the encoder's provider: mixing would copy the encoder states every step.
  const sameAndAfter = order.slice(order.indexOf(encoder.provider));
  const decoder = await openSession(onnx('decoder_model_merged'), sameAndAfter, { threads, foldQuantizedWeights: true });
  let pair = { encoder: encoder.session, decoder: decoder.session, provider: decoder.provider };
  if (decoder.provider !== encoder.provider) {
    await encoder.session.release();
    const cpuEncoder = await openSession(onnx('encoder_model'), [decoder.provider], { threads, bytes, memoryArena: false });
    pair = { ...pair, encoder: cpuEncoder.session };
  }
  return {
    ...pair,
    fallbacks: [...encoder.fallbacks, ...decoder.fallbacks],
    remaining: order.slice(order.indexOf(pair.provider) + 1),
    anyLength: bytes !== undefined,
  };
}

/** Models exported without alignment heads: OpenAI's fallback, every head of the upper half. */
function defaultAlignmentHeads(dims: Dimensions): Array<[number, number]> {
  const heads: Array<[number, number]> = [];
  for (let layer = Math.floor(dims.layers / 2); layer < dims.layers; layer++) {
    for (let head = 0; head < dims.heads; head++) heads.push([layer, head]);
  }
  return heads;
}

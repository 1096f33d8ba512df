import ort from 'onnxruntime-node';
import { applyTimestampRules, logSoftmax } from './logits-filter';
import { compressionRatio, QUALITY } from './quality';
import type { WhisperModel } from './whisper-model';
import { FRAME_SEC } from './word-alignment';

/** Whisper's text context is 448 tokens; half of it for new tokens, as OpenAI decodes. */
export const MAX_NEW_TOKENS = 224;
const MAX_INITIAL_TIMESTAMP_SEC = 1;
/** Looping is checked from this many tokens on (shorter texts compress poorly anyway), every few steps. */
const LOOP_CHECK_FROM = 48;
const LOOP_CHECK_EVERY = 16;

export interface DecodeInput {
  /** Encoder output for the batch, [B, frames, d]. */
  encoded: ort.Tensor;
  /** The same prompt for every item: tokens before the first sampled one. */
  prompt: readonly number[];
  /**
   * Per batch item: the audio it really holds (later timestamps are forbidden and attention is cut
   * there) and its sampling temperature (0: greedy).
   */
  items: ReadonlyArray<{ durationSec: number; temperature: number }>;
  /** Seeds the sampler for items with temperature > 0, so a rerun gives the same transcript. */
  seed: number;
  signal: AbortSignal;
  /** Where language detection left the decoder (see languageProbabilities): decoding goes on from there. */
  start?: DecoderStart;
}

/**
 * The decoder after the prompt up to <|startoftranscript|>, as language detection ran it: its cache
 * (the audio's cross-attention keys and values, the prompt's self-attention ones) and what it said.
 */
export interface DecoderStart {
  past: Record<string, ort.Tensor>;
  /** Prompt tokens already in the cache. */
  consumed: number;
  noSpeechProbs: number[];
}

export interface Decoded {
  /** Sampled tokens after the prompt, without the closing end-of-text. */
  tokens: number[];
  /** Log-probability of each sampled token (same length as tokens). */
  logprobs: number[];
  /** Sum over tokens and the end-of-text, as OpenAI's avg_logprob divides it. */
  sumLogprob: number;
  /** Probability of <|nospeech|> right after the prompt. */
  noSpeechProb: number;
  /**
   * Cross-attention of the alignment heads from the step that produced each text token, then the
   * end-of-text: rows × [heads × frames]; frames covers the item's audio only.
   */
  attention: Float32Array[];
  frames: number;
}

/**
 * Batched decoding with the merged, KV-cached decoder: one pass over the prompt, then one token
 * per step for the whole batch. Finished items keep feeding end-of-text (cheap, and the batch
 * keeps its shape); the loop ends when all are done.
 */
export async function decodeBatch(model: WhisperModel, input: DecodeInput): Promise<Decoded[]> {
  const { tokens: special, dims } = model;
  const batch = input.encoded.dims[0]!;
  const encoderFrames = input.encoded.dims[1]!;
  const random = mulberry32(input.seed);
  const sotIndex = input.prompt.indexOf(special.sot);
  const alignmentLayers = [...new Set(model.alignmentHeads.map(([layer]) => layer))];

  const results: Decoded[] = input.items.map(({ durationSec }) => ({
    tokens: [],
    logprobs: [],
    sumLogprob: 0,
    noSpeechProb: 0,
    attention: [],
    frames: Math.min(encoderFrames, Math.max(1, Math.ceil(durationSec / FRAME_SEC))),
  }));
  const done = new Array<boolean>(batch).fill(false);

  const { start } = input;
  const past = start ? { ...start.past } : emptyCache(model, batch);

  let inputIds = new BigInt64Array(batch * input.prompt.length);
  for (let b = 0; b < batch; b++) input.prompt.forEach((id, i) => (inputIds[b * input.prompt.length + i] = BigInt(id)));
  let stepLength = input.prompt.length;
  const decoderFetches = ['logits', ...alignmentLayers.map((layer) => `cross_attentions.${layer}`)];
  for (let layer = 0; layer < dims.layers; layer++) decoderFetches.push(`present.${layer}.decoder.key`, `present.${layer}.decoder.value`);
  const firstFetches = [...decoderFetches];
  if (!start) firstFetches.push(...cacheNames(model, 'present', 'encoder'));
  if (start) {
    results.forEach((result, b) => (result.noSpeechProb = start.noSpeechProbs[b] ?? 0));
    // The rest of the prompt, a token a step, as generation feeds the cached branch (it was exported for one).
    const presents = cacheNames(model, 'present', 'decoder');
    const pasts = cacheNames(model, 'past_key_values', 'decoder');
    for (let fed = start.consumed; fed < input.prompt.length - 1; fed++) {
      const out = await model.decode(
        { input_ids: new ort.Tensor('int64', new BigInt64Array(batch).fill(BigInt(input.prompt[fed]!)), [batch, 1]), encoder_hidden_states: input.encoded, use_cache_branch: new ort.Tensor('bool', [true], [1]), ...past },
        presents,
      );
      pasts.forEach((name, index) => (past[name] = out[presents[index]!]!));
    }
    inputIds = new BigInt64Array(batch).fill(BigInt(input.prompt[input.prompt.length - 1]!));
    stepLength = 1;
  }

  for (let step = 0; step <= MAX_NEW_TOKENS && !done.every(Boolean); step++) {
    input.signal.throwIfAborted();
    const out = await model.decode(
      {
        input_ids: new ort.Tensor('int64', inputIds, [batch, stepLength]),
        encoder_hidden_states: input.encoded,
        use_cache_branch: new ort.Tensor('bool', [step > 0 || start !== undefined], [1]),
        ...past,
      },
      step === 0 ? firstFetches : decoderFetches,
    );
    // The encoder half of the cache is computed once; in the cached branch it comes back empty.
    for (let layer = 0; layer < dims.layers; layer++) {
      for (const kind of ['key', 'value']) {
        past[`past_key_values.${layer}.decoder.${kind}`] = out[`present.${layer}.decoder.${kind}`]!;
        if (step === 0 && !start) past[`past_key_values.${layer}.encoder.${kind}`] = out[`present.${layer}.encoder.${kind}`]!;
      }
    }

    const logits = out.logits!;
    const vocab = logits.dims[2]!;
    const logitsData = logits.data as Float32Array;
    const next = new BigInt64Array(batch);
    for (let b = 0; b < batch; b++) {
      const result = results[b]!;
      if (done[b]) {
        next[b] = BigInt(special.eot);
        continue;
      }
      if (step === 0 && !start && special.noSpeech !== null && sotIndex >= 0) {
        const atSot = logSoftmax(logitsData.slice((b * stepLength + sotIndex) * vocab, (b * stepLength + sotIndex + 1) * vocab));
        result.noSpeechProb = Math.exp(atSot[special.noSpeech]!);
      }
      const row = logitsData.slice((b * stepLength + stepLength - 1) * vocab, (b * stepLength + stepLength) * vocab);
      applyTimestampRules(row, result.tokens, special, {
        maxTimestampIndex: Math.round(input.items[b]!.durationSec / FRAME_SEC),
        maxInitialTimestampIndex: Math.round(MAX_INITIAL_TIMESTAMP_SEC / FRAME_SEC),
      });
      const logprobs = logSoftmax(row);
      const { temperature } = input.items[b]!;
      const token = temperature > 0 ? sample(row, temperature, random) : argmax(row);
      result.sumLogprob += logprobs[token]!;
      const ended = token === special.eot || step === MAX_NEW_TOKENS;
      if (token < special.eot || ended) {
        result.attention.push(alignmentRow(out, model, b, stepLength - 1, encoderFrames, result.frames));
      }
      if (ended) {
        done[b] = true;
        if (token !== special.eot) {
          result.tokens.push(token);
          result.logprobs.push(logprobs[token]!);
        }
      } else {
        result.tokens.push(token);
        result.logprobs.push(logprobs[token]!);
        // A decode already repeating itself will be rejected; stop paying for the rest of the loop.
        if (result.tokens.length >= LOOP_CHECK_FROM && result.tokens.length % LOOP_CHECK_EVERY === 0) {
          const text = model.text(result.tokens.filter((id) => id < special.eot));
          if (compressionRatio(text) > QUALITY.maxCompressionRatio) done[b] = true;
        }
      }
      next[b] = BigInt(token);
    }
    inputIds = next;
    stepLength = 1;
  }
  return results;
}

/** The merged decoder's cache inputs before the first step: every layer's keys and values, zero long. */
function emptyCache(model: WhisperModel, batch: number): Record<string, ort.Tensor> {
  const { dims } = model;
  const cache: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < dims.layers; layer++) {
    for (const part of ['decoder', 'encoder'])
      for (const kind of ['key', 'value'])
        cache[`past_key_values.${layer}.${part}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [batch, dims.heads, 0, dims.headDim]);
  }
  return cache;
}

/** The alignment heads' attention of one query position, [heads × frames]. */
function alignmentRow(
  out: ort.InferenceSession.ReturnType,
  model: WhisperModel,
  item: number,
  position: number,
  encoderFrames: number,
  frames: number,
): Float32Array {
  const heads = model.alignmentHeads;
  const row = new Float32Array(heads.length * frames);
  heads.forEach(([layer, head], index) => {
    const attention = out[`cross_attentions.${layer}`]!;
    const [, headCount, queries] = attention.dims as [number, number, number, number];
    const offset = ((item * headCount + head) * queries + position) * encoderFrames;
    row.set((attention.data as Float32Array).subarray(offset, offset + frames), index * frames);
  });
  return row;
}

/** The decoder's cache inputs (past_key_values) or outputs (present) of one half, every layer's keys and values. */
function cacheNames(model: WhisperModel, prefix: 'present' | 'past_key_values', part: 'decoder' | 'encoder'): string[] {
  return Array.from({ length: model.dims.layers }, (_, layer) => [`${prefix}.${layer}.${part}.key`, `${prefix}.${layer}.${part}.value`]).flat();
}

/**
 * Each item's language probabilities: the language tokens' softmax right after <|startoftranscript|>,
 * from the decoder run over the prompt up to that token (`prefix`, which ends with it). That run is
 * also decoding's first step: decodeBatch goes on from it (`start`) rather than projecting the audio
 * again.
 */
export async function languageProbabilities(model: WhisperModel, encoded: ort.Tensor, prefix: readonly number[]): Promise<{ languages: Array<Map<string, number>>; start: DecoderStart }> {
  const { tokens: special } = model;
  const batch = encoded.dims[0]!;
  const ids = new BigInt64Array(batch * prefix.length);
  for (let b = 0; b < batch; b++) prefix.forEach((id, i) => (ids[b * prefix.length + i] = BigInt(id)));
  const presents = [...cacheNames(model, 'present', 'encoder'), ...cacheNames(model, 'present', 'decoder')];
  const pasts = [...cacheNames(model, 'past_key_values', 'encoder'), ...cacheNames(model, 'past_key_values', 'decoder')];
  const out = await model.decode(
    { input_ids: new ort.Tensor('int64', ids, [batch, prefix.length]), encoder_hidden_states: encoded, use_cache_branch: new ort.Tensor('bool', [false], [1]), ...emptyCache(model, batch) },
    ['logits', ...presents],
  );
  const logits = out.logits!.data as Float32Array;
  const vocab = out.logits!.dims[2]!;
  const noSpeechProbs: number[] = [];
  const languages = Array.from({ length: batch }, (_, b) => {
    const row = logits.subarray((b * prefix.length + prefix.length - 1) * vocab, (b * prefix.length + prefix.length) * vocab);
    noSpeechProbs.push(special.noSpeech === null ? 0 : Math.exp(logSoftmax(row.slice())[special.noSpeech]!));
    const masked = new Float32Array(vocab).fill(-Infinity);
    for (const id of special.languages.values()) masked[id] = row[id]!;
    const probabilities = logSoftmax(masked);
    return new Map([...special.languages].map(([language, id]) => [language, Math.exp(probabilities[id]!)]));
  });
  const past = Object.fromEntries(presents.map((name, index) => [pasts[index]!, out[name]!]));
  return { languages, start: { past, consumed: prefix.length, noSpeechProbs } };
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function sample(logits: Float32Array, temperature: number, random: () => number): number {
  let max = -Infinity;
  for (const value of logits) if (value > max) max = value;
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    weights[i] = Math.exp((logits[i]! - max) / temperature);
    total += weights[i]!;
  }
  let threshold = random() * total;
  for (let i = 0; i < weights.length; i++) {
    threshold -= weights[i]!;
    if (threshold <= 0 && weights[i]! > 0) return i;
  }
  return argmax(logits);
}

/** A small, seedable PRNG: reruns of the same audio sample the same tokens. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

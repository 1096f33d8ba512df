import ort from 'onnxruntime-node';
import type { ProviderFallback } from '../../../contracts/domain';
import { SAMPLE_RATE, type PcmFile } from '../audio/pcm-file';
import type { ExecutionProvider } from '../../../contracts/devices';
import { firstLine, openSession } from '../onnx/execution-providers';
import { absorbSmallClusters, centroids, clusterItems, nearestCentroid, type ClusterItem, type SpeakerCount } from './clustering';
import { fbank, fbankFrameCount, FBANK_FRAME_LENGTH, FBANK_FRAME_SHIFT, subtractBinMeans, type Fbank } from './fbank';
import { embeddingConvention, segmentationConvention, type EmbeddingConvention, type SegmentationConvention } from './model-conventions';
import { activityToTurns, aggregateWindows, cleanFrames, LOCAL_SPEAKERS, powersetToActivity, type WindowActivity } from './powerset';
import { appearanceOrder, tidyTurns, type SpeakerTurn } from './turns';

export interface NeuralModelPaths {
  segmentation: string;
  embedding: string;
}

export interface NeuralOptions {
  /**
   * Seconds between window starts. 5 s (half overlap: each moment judged by two windows) where
   * pyannote and sherpa-onnx step 1 s: a fifth of the work, which is what makes 60× realtime on two
   * cores with models of the real ones' size (30× at 2.5 s; docs/BENCHMARKS.md). Turns agree with
   * sherpa-onnx's to under 1 % DER either way (tests/integration/sherpa-reference.test.ts).
   */
  stepSec: number;
  /**
   * Average-linkage cosine distance between embeddings at which clustering stops. Same-voice pairs
   * sit near 0.3, different voices above 0.8 in WeSpeaker's published score distributions; not
   * tuned on real weights, which this project's machines cannot download (docs/BENCHMARKS.md).
   */
  clusterThreshold: number;
  /** Clusters with less clean speech than this (seconds) join the nearest. */
  minSpeakerSec: number;
  /** One speaker's turns closer than this are joined (sherpa-onnx's min_duration_off). */
  minGapSec: number;
  /** Shorter turns are dropped (sherpa-onnx's min_duration_on). */
  minTurnSec: number;
}

export const NEURAL_DEFAULTS: NeuralOptions = { stepSec: 5, clusterThreshold: 0.65, minSpeakerSec: 2, minGapSec: 0.1, minTurnSec: 0 };

const SEGMENTATION_BATCH = 8;
/**
 * At most this many fbank rows (6 s) go into one voice print, the middle ones: WeSpeaker trains on
 * 2 s chunks, and past a few seconds a print stops improving while its cost keeps growing.
 */
const MAX_EMBEDDING_ROWS = 600;
/** Less clean speech than this in a window gives an unreliable voice print: labelled by the nearest cluster instead. */
const MIN_CLEAN_SEC = 0.5;

export interface NeuralResult {
  turns: SpeakerTurn[];
  /** Each speaker's voice print: the unit mean of its windows' embeddings, by the speaker numbers of `turns`. */
  prints: Array<{ speaker: number; vector: Float32Array }>;
  provider: ExecutionProvider;
  fallbacks: ProviderFallback[];
}

/**
 * The neural tier, pyannote's recipe on onnxruntime: segmentation-3.0 over sliding 10 s windows →
 * local speakers and overlap per frame → one speaker embedding per (window, local speaker) from its
 * clean frames, with the features the embedding model's own code computes → clustering → one
 * timeline, overlap kept. Frames sit where pyannote (and sherpa-onnx) put them: frame j of a window
 * is the centre of its receptive field.
 */
export async function diarizeNeural(
  pcm: PcmFile,
  models: NeuralModelPaths,
  providers: readonly ExecutionProvider[],
  count: SpeakerCount,
  onProgress: (doneSec: number) => void,
  signal: AbortSignal,
  threads?: number,
  options: NeuralOptions = NEURAL_DEFAULTS,
): Promise<NeuralResult> {
  const framing = segmentationConvention(models.segmentation);
  const convention = embeddingConvention(models.embedding);
  const segmentation = await ResilientSession.open(models.segmentation, providers, threads);
  const embedding = await ResilientSession.open(models.embedding, providers, threads);
  try {
    const windowSamples = framing.windowSamples;
    const stepSamples = Math.round(options.stepSec * SAMPLE_RATE);
    const starts: number[] = [];
    for (let start = 0; ; start += stepSamples) {
      // The last window ends with the recording, so its end is judged by a whole window too.
      starts.push(Math.max(0, Math.min(start, pcm.sampleCount - windowSamples)));
      if (start + windowSamples >= pcm.sampleCount) break;
    }
    const frameSec = framing.receptiveFieldShift / SAMPLE_RATE;
    const windows: Array<WindowActivity & { frames: number }> = [];
    const items: Array<ClusterItem & { window: number; local: number }> = [];
    const unsure: Array<{ vector: Float32Array; window: number; local: number }> = [];
    for (let b = 0; b < starts.length; b += SEGMENTATION_BATCH) {
      signal.throwIfAborted();
      const batchStarts = starts.slice(b, b + SEGMENTATION_BATCH);
      // One read for the batch: its windows overlap, and all lie inside [first start, last start + window).
      const first = Math.min(...batchStarts);
      const span = pcm.read(first, Math.max(...batchStarts) + windowSamples - first);
      const input = new Float32Array(batchStarts.length * windowSamples);
      batchStarts.forEach((start, i) => input.set(span.subarray(start - first, start - first + windowSamples), i * windowSamples));
      const output = await segmentation.run({ [segmentation.inputName]: new ort.Tensor('float32', input, [batchStarts.length, 1, windowSamples]) });
      const [, frames, classes] = output.dims as [number, number, number];
      const featuresOf = batchFeatures(span, first, batchStarts, input, windowSamples, convention);
      for (let i = 0; i < batchStarts.length; i++) {
        const scores = (output.data as Float32Array).subarray(i * frames * classes, (i + 1) * frames * classes);
        const activity = powersetToActivity(scores, frames);
        const index = windows.length;
        windows.push({ start: batchStarts[i]! / SAMPLE_RATE, activity, speakers: [-1, -1, -1], frames });
        const features = featuresOf(i);
        for (let local = 0; local < LOCAL_SPEAKERS; local++) {
          const clean = cleanFrames(activity, frames, local);
          if (clean.length === 0 && !activity.some((on, at) => on === 1 && at % LOCAL_SPEAKERS === local)) continue;
          // No clean frame (always overlapped): the whole window stands in, labelled as unsure.
          const picked = fbankRowsAt(clean, framing, features.numFrames);
          const rows = middle(picked.length > 0 ? picked : allRows(features.numFrames), MAX_EMBEDDING_ROWS);
          const cleanSec = clean.length * frameSec;
          const vector = await embed(embedding, embeddingInput(features, rows, convention));
          if (cleanSec >= MIN_CLEAN_SEC) items.push({ vector, weight: cleanSec, window: index, local });
          else unsure.push({ vector, window: index, local });
        }
      }
      onProgress(Math.min(pcm.durationSec, (batchStarts.at(-1)! + windowSamples) / SAMPLE_RATE));
    }
    if (items.length === 0 && unsure.length === 0) return { turns: [], prints: [], provider: segmentation.provider, fallbacks: [...segmentation.fallbacks, ...embedding.fallbacks] };
    const clustered = items.length > 0 ? items : unsure.map((item) => ({ ...item, weight: MIN_CLEAN_SEC }));
    let labels = clusterItems(clustered, options.clusterThreshold, count, options.minSpeakerSec);
    labels = absorbSmallClusters(clustered, labels, options.minSpeakerSec, count);
    clustered.forEach((item, i) => ((windows[item.window]!.speakers as number[])[item.local] = labels[i]!));
    const centres = centroids(clustered, labels);
    if (clustered === items) {
      for (const item of unsure) (windows[item.window]!.speakers as number[])[item.local] = nearestCentroid(item.vector, centres);
    }
    const speakerCount = Math.max(...labels) + 1;
    const gridFrames = Math.ceil(pcm.durationSec / frameSec);
    const active = aggregateWindows(windows, windows[0]!.frames, frameSec, gridFrames, speakerCount);
    const centre = framing.receptiveFieldSize / 2 / SAMPLE_RATE;
    const found = activityToTurns(active, speakerCount, frameSec, options.minGapSec)
      .map((turn) => ({ ...turn, start: turn.start + centre, end: Math.min(turn.end + centre, pcm.durationSec) }))
      .filter((turn) => turn.end - turn.start > options.minTurnSec);
    const prints = [...appearanceOrder(found)].map(([label, speaker]) => ({ speaker, vector: unitVector(centres[label]!) }));
    return { turns: tidyTurns(found, options.minGapSec), prints, provider: embedding.provider, fallbacks: [...segmentation.fallbacks, ...embedding.fallbacks] };
  } finally {
    await segmentation.release();
    await embedding.release();
  }
}

/**
 * Each window's fbank, computed once for the batch's span: a window that starts a whole number of
 * 10 ms hops into the span has exactly the span's rows from there (edges are snipped, every frame
 * is its own). Others — the last window, pulled back to end with the recording — get their own.
 * `windows` holds the batch's windows back to back, zero-padded past the recording's end.
 */
function batchFeatures(span: Float32Array, first: number, starts: readonly number[], windows: Float32Array, windowSamples: number, convention: EmbeddingConvention): (index: number) => Fbank {
  const whole = (start: number): boolean => start - first + windowSamples <= span.length;
  const shared = starts.filter((start) => (start - first) % FBANK_FRAME_SHIFT === 0 && whole(start));
  const features = shared.length > 1 ? fbank(span.subarray(0, shared.at(-1)! - first + windowSamples), convention.fbank) : null;
  const rows = fbankFrameCount(windowSamples);
  return (index) => {
    const start = starts[index]!;
    if (!features || !shared.includes(start)) return fbank(windows.subarray(index * windowSamples, (index + 1) * windowSamples), convention.fbank);
    const offset = (start - first) / FBANK_FRAME_SHIFT;
    return { data: features.data.subarray(offset * features.bins, (offset + rows) * features.bins), numFrames: rows, bins: features.bins };
  };
}

/** The fbank rows (25 ms every 10 ms, edges snipped) whose centres fall inside the given segmentation frames' receptive-field steps. */
function fbankRowsAt(frames: readonly number[], framing: SegmentationConvention, rows: number): number[] {
  const picked: number[] = [];
  const half = framing.receptiveFieldShift / 2;
  for (const frame of frames) {
    const centre = frame * framing.receptiveFieldShift + framing.receptiveFieldSize / 2;
    // Row r's centre is r·shift + length/2 samples into the window.
    const from = Math.ceil((centre - half - FBANK_FRAME_LENGTH / 2) / FBANK_FRAME_SHIFT);
    const to = Math.ceil((centre + half - FBANK_FRAME_LENGTH / 2) / FBANK_FRAME_SHIFT);
    for (let r = Math.max(0, from, picked.length > 0 ? picked.at(-1)! + 1 : 0); r < Math.min(rows, to); r++) picked.push(r);
  }
  return picked;
}

function middle(rows: number[], most: number): number[] {
  if (rows.length <= most) return rows;
  const from = Math.floor((rows.length - most) / 2);
  return rows.slice(from, from + most);
}

function allRows(rows: number): number[] {
  return Array.from({ length: rows }, (_, i) => i);
}

/** What the embedding model is fed for the chosen fbank rows: those rows, mean-normalised over them where the model's convention says so. */
export function embeddingInput(features: Fbank, rows: readonly number[], convention: EmbeddingConvention): Fbank {
  const { data, bins } = features;
  const picked: Fbank = { data: new Float32Array(rows.length * bins), numFrames: rows.length, bins };
  rows.forEach((row, i) => picked.data.set(data.subarray(row * bins, (row + 1) * bins), i * bins));
  return convention.subtractMean ? subtractBinMeans(picked) : picked;
}

async function embed(session: ResilientSession, input: Fbank): Promise<Float32Array> {
  const output = await session.run({ [session.inputName]: new ort.Tensor('float32', input.data, [1, input.numFrames, input.bins]) });
  return Float32Array.from(output.data as Float32Array);
}

/** A session that moves down the provider order when a run fails (a GPU out of memory, say), saying why. */
class ResilientSession {
  private constructor(
    private session: ort.InferenceSession,
    public provider: ExecutionProvider,
    readonly fallbacks: ProviderFallback[],
    private readonly path: string,
    private readonly order: readonly ExecutionProvider[],
    private readonly threads: number | undefined,
  ) {}

  static async open(path: string, order: readonly ExecutionProvider[], threads?: number): Promise<ResilientSession> {
    const opened = await openSession(path, order, { threads });
    return new ResilientSession(opened.session, opened.provider, [...opened.fallbacks], path, order, threads);
  }

  get inputName(): string {
    return this.session.inputNames[0]!;
  }

  async run(feeds: Record<string, ort.Tensor>): Promise<ort.Tensor> {
    for (;;) {
      try {
        const output = await this.session.run(feeds);
        return output[this.session.outputNames[0]!]!;
      } catch (error) {
        const remaining = this.order.slice(this.order.indexOf(this.provider) + 1);
        if (remaining.length === 0) throw error;
        this.fallbacks.push({ provider: this.provider, reason: `failed while running: ${firstLine(error)}` });
        await this.session.release();
        const reopened = await openSession(this.path, remaining, { threads: this.threads });
        this.session = reopened.session;
        this.provider = reopened.provider;
        this.fallbacks.push(...reopened.fallbacks);
      }
    }
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

function unitVector(vector: Float32Array): Float32Array {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

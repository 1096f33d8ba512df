import ort from 'onnxruntime-node';
import type { ProviderFallback } from '../../../contracts/domain';
import { SAMPLE_RATE, type PcmFile } from '../audio/pcm-file';
import type { ExecutionProvider } from '../../../contracts/devices';
import { firstLine, openSession } from '../onnx/execution-providers';
import { absorbSmallClusters, centroids, clusterItems, nearestCentroid, type ClusterItem, type SpeakerCount } from './clustering';
import { fbank, FBANK_FRAME_SEC } from './fbank';
import { activityToTurns, aggregateWindows, cleanFrames, LOCAL_SPEAKERS, powersetToActivity, type WindowActivity } from './powerset';
import { tidyTurns, type SpeakerTurn } from './turns';

export interface NeuralModelPaths {
  segmentation: string;
  embedding: string;
}

/** What segmentation-3.0 was trained on: 10 s windows. */
const WINDOW_SAMPLES = 10 * SAMPLE_RATE;
/** 75 % overlap: each moment is judged by four windows (pyannote's default is 90 %; four quarters the embedding work). */
const STEP_SAMPLES = 2.5 * SAMPLE_RATE;
const SEGMENTATION_BATCH = 8;
/** Less clean speech than this in a window gives an unreliable voice print: labelled by the nearest cluster instead. */
const MIN_CLEAN_SEC = 0.5;
/**
 * Average-linkage cosine distance between WeSpeaker embeddings at which clustering stops. Same-voice
 * pairs sit near 0.3, different voices above 0.8 in WeSpeaker's published score distributions; not
 * tuned here, where the weights cannot be downloaded (see docs/BENCHMARKS.md).
 */
const CLUSTER_THRESHOLD = 0.65;
const MIN_SPEAKER_SEC = 2;

export interface NeuralResult {
  turns: SpeakerTurn[];
  provider: ExecutionProvider;
  fallbacks: ProviderFallback[];
}

/**
 * The neural tier, pyannote's recipe on onnxruntime: segmentation-3.0 over sliding 10 s windows →
 * local speakers and overlap per frame → one WeSpeaker embedding per (window, local speaker) from
 * its clean frames → clustering → one timeline, overlap kept.
 */
export async function diarizeNeural(
  pcm: PcmFile,
  models: NeuralModelPaths,
  providers: readonly ExecutionProvider[],
  count: SpeakerCount,
  onProgress: (doneSec: number) => void,
  signal: AbortSignal,
  threads?: number,
): Promise<NeuralResult> {
  const segmentation = await ResilientSession.open(models.segmentation, providers, threads);
  const embedding = await ResilientSession.open(models.embedding, providers, threads);
  try {
    const starts: number[] = [];
    for (let start = 0; ; start += STEP_SAMPLES) {
      // The last window ends with the recording, so its end is judged by a whole window too.
      starts.push(Math.max(0, Math.min(start, pcm.sampleCount - WINDOW_SAMPLES)));
      if (start + WINDOW_SAMPLES >= pcm.sampleCount) break;
    }
    const windows: Array<WindowActivity & { frames: number }> = [];
    const items: Array<ClusterItem & { window: number; local: number }> = [];
    const unsure: Array<{ vector: Float32Array; window: number; local: number }> = [];
    let frameSec = 0;
    for (let b = 0; b < starts.length; b += SEGMENTATION_BATCH) {
      signal.throwIfAborted();
      const batchStarts = starts.slice(b, b + SEGMENTATION_BATCH);
      const audio = batchStarts.map((start) => {
        const window = new Float32Array(WINDOW_SAMPLES);
        window.set(pcm.read(start, WINDOW_SAMPLES));
        return window;
      });
      const input = new Float32Array(audio.length * WINDOW_SAMPLES);
      audio.forEach((window, i) => input.set(window, i * WINDOW_SAMPLES));
      const output = await segmentation.run({ [segmentation.inputName]: new ort.Tensor('float32', input, [audio.length, 1, WINDOW_SAMPLES]) });
      const [, frames, classes] = output.dims as [number, number, number];
      frameSec = WINDOW_SAMPLES / SAMPLE_RATE / frames;
      for (let i = 0; i < audio.length; i++) {
        const scores = (output.data as Float32Array).subarray(i * frames * classes, (i + 1) * frames * classes);
        const activity = powersetToActivity(scores, frames);
        const index = windows.length;
        windows.push({ start: batchStarts[i]! / SAMPLE_RATE, activity, speakers: [-1, -1, -1], frames });
        const features = fbank(audio[i]!);
        for (let local = 0; local < LOCAL_SPEAKERS; local++) {
          const clean = cleanFrames(activity, frames, local);
          if (clean.length === 0 && !activity.some((on, at) => on === 1 && at % LOCAL_SPEAKERS === local)) continue;
          const rows = fbankRowsAt(clean, frameSec, features.numFrames);
          const cleanSec = clean.length * frameSec;
          const vector = await embed(embedding, features.data, rows.length > 0 ? rows : allRows(features.numFrames), features.bins);
          if (cleanSec >= MIN_CLEAN_SEC) items.push({ vector, weight: cleanSec, window: index, local });
          else unsure.push({ vector, window: index, local });
        }
      }
      onProgress(Math.min(pcm.durationSec, (batchStarts.at(-1)! + WINDOW_SAMPLES) / SAMPLE_RATE));
    }
    if (items.length === 0 && unsure.length === 0) return { turns: [], provider: segmentation.provider, fallbacks: [...segmentation.fallbacks, ...embedding.fallbacks] };
    const clustered = items.length > 0 ? items : unsure.map((item) => ({ ...item, weight: MIN_CLEAN_SEC }));
    let labels = clusterItems(clustered, CLUSTER_THRESHOLD, count);
    labels = absorbSmallClusters(clustered, labels, MIN_SPEAKER_SEC, count);
    clustered.forEach((item, i) => ((windows[item.window]!.speakers as number[])[item.local] = labels[i]!));
    if (clustered === items) {
      const centres = centroids(clustered, labels);
      for (const item of unsure) (windows[item.window]!.speakers as number[])[item.local] = nearestCentroid(item.vector, centres);
    }
    const speakerCount = Math.max(...labels) + 1;
    const gridFrames = Math.ceil(pcm.durationSec / frameSec);
    const active = aggregateWindows(windows, windows[0]!.frames, frameSec, gridFrames, speakerCount);
    const turns = tidyTurns(activityToTurns(active, speakerCount, frameSec, 0.1), 0.1).map((turn) => ({ ...turn, end: Math.min(turn.end, pcm.durationSec) }));
    const provider = embedding.provider;
    return { turns, provider, fallbacks: [...segmentation.fallbacks, ...embedding.fallbacks] };
  } finally {
    await segmentation.release();
    await embedding.release();
  }
}

/** The fbank rows (10 ms) whose centres fall in the given segmentation frames. */
function fbankRowsAt(frames: readonly number[], frameSec: number, rows: number): number[] {
  const picked = new Set<number>();
  for (const frame of frames) {
    const from = Math.floor((frame * frameSec) / FBANK_FRAME_SEC);
    const to = Math.ceil(((frame + 1) * frameSec) / FBANK_FRAME_SEC);
    for (let r = Math.max(0, from); r < Math.min(rows, to); r++) picked.add(r);
  }
  return [...picked].sort((a, b) => a - b);
}

function allRows(rows: number): number[] {
  return Array.from({ length: rows }, (_, i) => i);
}

/** A WeSpeaker voice print of the chosen fbank rows, mean-normalised as WeSpeaker was trained. */
async function embed(session: ResilientSession, data: Float32Array, rows: readonly number[], bins: number): Promise<Float32Array> {
  const feats = new Float32Array(rows.length * bins);
  const mean = new Float64Array(bins);
  rows.forEach((row, i) => {
    for (let m = 0; m < bins; m++) {
      feats[i * bins + m] = data[row * bins + m]!;
      mean[m]! += data[row * bins + m]! / rows.length;
    }
  });
  for (let i = 0; i < rows.length; i++) for (let m = 0; m < bins; m++) feats[i * bins + m]! -= mean[m]!;
  const output = await session.run({ [session.inputName]: new ort.Tensor('float32', feats, [1, rows.length, bins]) });
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

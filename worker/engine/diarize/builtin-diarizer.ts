import type { PcmFile } from '../audio/pcm-file';
import { SAMPLE_RATE } from '../audio/pcm-file';
import type { TimeSpan } from '../vad/speech-regions';
import { CEPSTRA, cepstra, FrameStatistics, standardise } from './cepstra';
import { absorbSmallClusters, centroids, clusterItems, nearestCentroid, type ClusterItem, type SpeakerCount } from './clustering';
import { fbank, FBANK_FRAME_LENGTH, FBANK_FRAME_SEC } from './fbank';
import { tidyTurns, type SpeakerTurn } from './turns';

export interface BuiltinOptions {
  /** Half-width of the spans compared either side of a candidate speaker change, in frames. */
  changeSpanFrames: number;
  /** Gaussian divergence between the two spans above which a peak is a speaker change. */
  changeThreshold: number;
  /** No two changes closer than this many frames. */
  minTurnFrames: number;
  /** Turns are cut into chunks of at most this many frames, each one voice print. */
  chunkFrames: number;
  /** Chunks shorter than this are too short to trust: labelled by the nearest cluster, not clustered. */
  minChunkFrames: number;
  /** Average-linkage cosine distance at which clustering stops. */
  clusterThreshold: number;
  /** Clusters with less speech than this (seconds) join the nearest. */
  minSpeakerSec: number;
  /**
   * Two clusters whose mean cepstra lie closer than this many times the chunks' typical distance
   * from their own cluster's mean are one voice split by chance (whitening makes any recording's
   * chunks look spread out), and are merged.
   */
  minSeparation: number;
}

export const BUILTIN_DEFAULTS: BuiltinOptions = {
  changeSpanFrames: 100,
  changeThreshold: 1.0,
  minTurnFrames: 100,
  chunkFrames: 300,
  minChunkFrames: 100,
  clusterThreshold: 1.0,
  minSpeakerSec: 6,
  minSeparation: 1.4,
};

interface Region {
  start: number;
  /** This region's frames in the recording-wide arrays: [from, to). */
  from: number;
  to: number;
}

interface Chunk {
  from: number;
  to: number;
  region: Region;
}

/**
 * The built-in speaker tier, no download: log-mel cepstra inside the speech regions, normalised
 * per recording; speaker changes where the cepstral statistics either side of a point diverge;
 * one mean-and-deviation voice print per chunk of each turn; average-linkage clustering.
 */
export function diarizeBuiltin(
  pcm: PcmFile,
  speech: readonly TimeSpan[],
  count: SpeakerCount,
  /** Told how far into the recording it has got, in seconds. */
  onProgress: (positionSec: number) => void = () => undefined,
  options: BuiltinOptions = BUILTIN_DEFAULTS,
): SpeakerTurn[] {
  const { regions, frames } = regionCepstra(pcm, speech, onProgress);
  if (regions.length === 0) return [];
  standardise(frames, CEPSTRA);
  const statistics = new FrameStatistics(frames, CEPSTRA);
  const chunks = regions.flatMap((region) => chunkRegion(region, speakerChanges(statistics, region, options), options.chunkFrames));
  const labels = labelChunks(statistics, chunks, count, options);
  const turns = chunks.map((chunk, i) => ({
    start: regionTime(chunk.region, chunk.from),
    end: regionTime(chunk.region, chunk.to) + (FBANK_FRAME_LENGTH / SAMPLE_RATE - FBANK_FRAME_SEC),
    speaker: labels[i]!,
  }));
  return tidyTurns(turns, 0.01);
}

function regionTime(region: Region, frame: number): number {
  return region.start + (frame - region.from) * FBANK_FRAME_SEC;
}

function regionCepstra(pcm: PcmFile, speech: readonly TimeSpan[], onProgress: (doneSec: number) => void): { regions: Region[]; frames: Float32Array } {
  const parts: Float32Array[] = [];
  const regions: Region[] = [];
  let total = 0;
  for (const span of speech) {
    const samples = pcm.read(span.start * SAMPLE_RATE, (span.end - span.start) * SAMPLE_RATE);
    const features = fbank(samples);
    onProgress(span.end);
    if (features.numFrames === 0) continue;
    parts.push(cepstra(features));
    regions.push({ start: span.start, from: total, to: total + features.numFrames });
    total += features.numFrames;
  }
  const frames = new Float32Array(total * CEPSTRA);
  let offset = 0;
  for (const part of parts) {
    frames.set(part, offset);
    offset += part.length;
  }
  return { regions, frames };
}

/** Frames in `region` where the voice changes: peaks of the divergence between the spans either side. */
export function speakerChanges(statistics: FrameStatistics, region: Region, options: BuiltinOptions): number[] {
  const { changeSpanFrames: span, minTurnFrames } = options;
  const step = 10;
  const candidates: Array<{ frame: number; score: number }> = [];
  for (let frame = region.from + minTurnFrames; frame <= region.to - minTurnFrames; frame += step) {
    const left = statistics.embedding(Math.max(region.from, frame - span), frame);
    const right = statistics.embedding(frame, Math.min(region.to, frame + span));
    candidates.push({ frame, score: gaussianDivergence(left, right) });
  }
  const changes: number[] = [];
  // Strongest first; each keeps the frames within minTurnFrames of it for itself.
  for (const candidate of [...candidates].sort((a, b) => b.score - a.score)) {
    if (candidate.score < options.changeThreshold) break;
    if (changes.every((frame) => Math.abs(frame - candidate.frame) >= minTurnFrames)) changes.push(candidate.frame);
  }
  return changes.sort((a, b) => a - b);
}

/** Mean over coefficients of (μ₁−μ₂)² / (σ₁σ₂): large when the two spans sound different. */
function gaussianDivergence(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let c = 0; c < CEPSTRA; c++) sum += (a[c]! - b[c]!) ** 2 / Math.max(a[CEPSTRA + c]! * b[CEPSTRA + c]!, 1e-6);
  return sum / CEPSTRA;
}

function chunkRegion(region: Region, changes: readonly number[], chunkFrames: number): Chunk[] {
  const bounds = [region.from, ...changes, region.to];
  const chunks: Chunk[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i]!;
    const length = bounds[i + 1]! - from;
    const pieces = Math.max(1, Math.round(length / chunkFrames));
    for (let p = 0; p < pieces; p++) {
      chunks.push({ from: from + Math.round((p * length) / pieces), to: from + Math.round(((p + 1) * length) / pieces), region });
    }
  }
  return chunks;
}

function labelChunks(statistics: FrameStatistics, chunks: readonly Chunk[], count: SpeakerCount, options: BuiltinOptions): number[] {
  const items: Array<ClusterItem & { means: Float32Array }> = chunks.map((chunk) => {
    const vector = statistics.embedding(chunk.from, chunk.to);
    return { vector, means: vector.slice(0, CEPSTRA), weight: (chunk.to - chunk.from) * FBANK_FRAME_SEC };
  });
  whiten(items);
  const longEnough = items.map((_, i) => chunks[i]!.to - chunks[i]!.from >= options.minChunkFrames);
  const clustered = longEnough.some(Boolean) ? items.filter((_, i) => longEnough[i]) : items;
  let labels = clusterItems(clustered, options.clusterThreshold, count);
  labels = absorbSmallClusters(clustered, labels, options.minSpeakerSec, count);
  const means = clustered.map((item) => item.means);
  labels = mergeIndistinct(means, labels, options.minSeparation, count);
  if (clustered === items) return labels;
  const centres = centroids(clustered, labels);
  let next = 0;
  return items.map((item, i) => (longEnough[i] ? labels[next++]! : nearestCentroid(item.vector, centres)));
}

/** Each dimension to zero mean and unit variance across the recording's voice prints, so means and deviations weigh alike. */
function whiten(items: ClusterItem[]): void {
  const width = items[0]?.vector.length ?? 0;
  const rows = new Float32Array(items.length * width);
  items.forEach((item, i) => rows.set(item.vector, i * width));
  standardise(rows, width);
  items.forEach((item, i) => (item.vector = rows.subarray(i * width, (i + 1) * width)));
}

/**
 * Merges the closest pair of clusters while they are not clearly apart in the unwhitened cepstral
 * means (see BuiltinOptions.minSeparation), unless the speaker count forbids it.
 */
function mergeIndistinct(means: readonly Float32Array[], labels: number[], minSeparation: number, count: SpeakerCount): number[] {
  const floor = count.exact ?? count.min ?? 1;
  let current = [...labels];
  for (;;) {
    const k = Math.max(-1, ...current) + 1;
    if (k <= floor) return current;
    const centres = Array.from({ length: k }, () => new Float64Array(CEPSTRA));
    const sizes = new Float64Array(k);
    means.forEach((row, i) => {
      sizes[current[i]!]! += 1;
      row.forEach((value, d) => (centres[current[i]!]![d]! += value));
    });
    centres.forEach((centre, c) => centre.forEach((value, d) => (centre[d] = value / sizes[c]!)));
    const distance = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
      let sum = 0;
      for (let d = 0; d < CEPSTRA; d++) sum += (a[d]! - b[d]!) ** 2;
      return Math.sqrt(sum);
    };
    const within = means.reduce((sum, row, i) => sum + distance(row, centres[current[i]!]!), 0) / means.length;
    let closest: [number, number] | null = null;
    let best = Infinity;
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const separation = distance(centres[a]!, centres[b]!) / Math.max(within, 1e-9);
        if (separation < best) [best, closest] = [separation, [a, b]];
      }
    }
    if (!closest || best >= minSeparation) return current;
    const [keep, drop] = closest;
    current = current.map((label) => (label === drop ? keep : label > drop ? label - 1 : label));
  }
}

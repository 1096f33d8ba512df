import type { PcmFile } from '../audio/pcm-file';
import { SAMPLE_RATE } from '../audio/pcm-file';
import type { TimeSpan } from '../vad/speech-regions';
import { CEPSTRA, cepstra, FrameStatistics, standardise } from './cepstra';
import type { SpeakerCount } from './clustering';
import { deltaBic, GaussianStats, type GaussianModel } from './gaussian';
import { fbank, FBANK_FRAME_LENGTH, FBANK_FRAME_SEC } from './fbank';
import { tidyTurns, type SpeakerTurn } from './turns';

export interface BuiltinOptions {
  /** Half-width of the spans compared either side of a candidate speaker change, in frames. */
  changeSpanFrames: number;
  /** Gaussian divergence between the two spans above which a peak is a speaker change. */
  changeThreshold: number;
  /** No two changes closer than this many frames. */
  minTurnFrames: number;
  /** Turns are cut into segments of about this many frames, each clustered as a whole. */
  chunkFrames: number;
  /** BIC's λ in the merge cost, which orders the clustering's merges (the count is chosen by voiceCost). */
  bicPenalty: number;
  /** Frames of the recording's own spread mixed into each covariance (see GaussianStats.model). */
  shrinkFrames: number;
  /** A speaker count that leaves some voice with less speech than this (seconds) is not chosen. */
  minSpeakerSec: number;
  /**
   * Log-likelihood per frame of speech that each voice must add to be counted. Per frame, not BIC's
   * log N, so an hour of two people is judged as ten minutes of them would be: under BIC the longer
   * recording "finds" more voices, each extra Gaussian absorbing some of one voice's variety.
   */
  voiceCost: number;
  /**
   * What each voice beyond the first must add per frame on top of voiceCost when there is little
   * speech: this much up to shortSpeechSec.full seconds of speech, falling to nothing at
   * shortSpeechSec.none. On a few hundred frames, Gaussians split one voice by what it says (vowels
   * from fricatives, a sentence's rise from its fall), each gaining 0.6–1.4 a frame, as much as a real
   * second voice gains; over longer speech that split stops paying, so the bar comes down again and
   * conversations keep their voices.
   */
  shortSpeechCost: number;
  shortSpeechSec: { full: number; none: number };
  /** The most speakers an automatic count considers. */
  maxSpeakers: number;
  /** Log-likelihood a frame-by-frame relabelling pays for each change of voice. */
  switchPenalty: number;
  /** Rounds of relabelling frames with the voices' Gaussians and refitting them. */
  resegmentRounds: number;
}

export const BUILTIN_DEFAULTS: BuiltinOptions = {
  changeSpanFrames: 100,
  changeThreshold: 1.0,
  minTurnFrames: 100,
  chunkFrames: 200,
  bicPenalty: 1.0,
  shrinkFrames: 30,
  minSpeakerSec: 2,
  voiceCost: 0.6,
  shortSpeechCost: 0.9,
  shortSpeechSec: { full: 8, none: 22 },
  maxSpeakers: 8,
  switchPenalty: 150,
  resegmentRounds: 2,
};

interface Region {
  start: number;
  /** This region's frames in the recording-wide arrays: [from, to). */
  from: number;
  to: number;
}

/** About 20 minutes of speech in 2 s chunks; beyond it chunks lengthen (clustering is quadratic in their number). */
const MAX_CHUNKS = 600;
/** A quarter of a second: the shortest piece a chunk is halved into to give every requested speaker a turn. */
const MIN_SPLIT_FRAMES = 25;

interface Chunk {
  from: number;
  to: number;
  region: Region;
}

/**
 * The built-in speaker tier, no download, classical diarization: mel cepstra inside the speech
 * regions, normalised per recording; segments cut at speaker changes and every ~2 s; agglomerative
 * clustering of their full-covariance Gaussians by ΔBIC; for each candidate speaker count every
 * frame relabelled by the voices' Gaussians (Viterbi, a penalty per change), so turn edges follow
 * the voices rather than the segment grid; the count whose relabelling explains the recording best.
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
  // A long recording gets longer chunks, so clustering's pairwise work stays bounded.
  const chunkFrames = Math.max(options.chunkFrames, Math.ceil(frames.length / CEPSTRA / MAX_CHUNKS));
  const chunks = enoughChunks(
    regions.flatMap((region) => chunkRegion(region, speakerChanges(statistics, region, options), chunkFrames)),
    count.exact ?? count.min ?? 1,
  );
  const frameLabels = chooseLabelling(frames, regions, chunks, count, options);
  const turns: SpeakerTurn[] = [];
  for (const region of regions) {
    let from = region.from;
    for (let f = region.from + 1; f <= region.to; f++) {
      if (f < region.to && frameLabels[f] === frameLabels[from]) continue;
      turns.push({
        start: regionTime(region, from),
        end: regionTime(region, f) + (f === region.to ? FBANK_FRAME_LENGTH / SAMPLE_RATE - FBANK_FRAME_SEC : 0),
        speaker: frameLabels[from]!,
      });
      from = f;
    }
  }
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

/** Halves the longest chunks until there are at least as many as the speakers asked for, where the speech allows. */
function enoughChunks(chunks: Chunk[], wanted: number): Chunk[] {
  const out = [...chunks];
  while (out.length < wanted) {
    const longest = out.reduce((best, chunk, i) => (chunk.to - chunk.from > out[best]!.to - out[best]!.from ? i : best), 0);
    const { from, to, region } = out[longest]!;
    if (to - from < 2 * MIN_SPLIT_FRAMES) break;
    const middle = Math.round((from + to) / 2);
    out.splice(longest, 1, { from, to: middle, region }, { from: middle, to, region });
  }
  return out;
}

/** Each recording-wide standardised dimension has unit variance: the floor covariances shrink towards. */
const unitFloor = (): Float64Array => new Float64Array(CEPSTRA).fill(1);

/**
 * Agglomerative clustering of the chunks' Gaussians, the pair whose merge costs least ΔBIC first,
 * down to one cluster. Returns the chunk labels at every cluster count up to `most`: index k − 1
 * holds the labels for k clusters.
 */
function clusterTree(frames: Float32Array, chunks: readonly Chunk[], most: number, options: BuiltinOptions): number[][] {
  const floor = unitFloor();
  const { shrinkFrames: shrink, bicPenalty: penalty } = options;
  const clusters: Array<{ stats: GaussianStats; members: number[] } | null> = chunks.map((chunk, i) => ({ stats: centredStats(frames, chunk), members: [i] }));
  const n = clusters.length;
  const cost = new Float64Array(n * n).fill(Infinity);
  const pairCost = (a: number, b: number): number => deltaBic(clusters[a]!.stats, clusters[b]!.stats, floor, shrink, penalty);
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) cost[a * n + b] = pairCost(a, b);
  const snapshot = (): number[] => {
    const labels = new Array<number>(n).fill(0);
    let label = 0;
    for (const cluster of clusters) {
      if (!cluster) continue;
      for (const member of cluster.members) labels[member] = label;
      label++;
    }
    return labels;
  };
  // Each cluster's cheapest partner, kept up to date, so a merge costs O(n) rather than a scan of all pairs.
  const partner = new Int32Array(n).fill(-1);
  const partnerCost = new Float64Array(n).fill(Infinity);
  const refresh = (a: number): void => {
    partner[a] = -1;
    partnerCost[a] = Infinity;
    for (let b = 0; b < n; b++) {
      if (b === a || !clusters[b]) continue;
      const c = cost[Math.min(a, b) * n + Math.max(a, b)]!;
      if (c < partnerCost[a]!) [partnerCost[a], partner[a]] = [c, b];
    }
  };
  for (let a = 0; a < n; a++) refresh(a);
  const cuts: number[][] = [];
  for (let live = n; live > 0; live--) {
    if (live <= most) cuts[live - 1] = snapshot();
    if (live === 1) break;
    let keep = -1;
    for (let a = 0; a < n; a++) if (clusters[a] && (keep < 0 || partnerCost[a]! < partnerCost[keep]!)) keep = a;
    const drop = Math.max(keep, partner[keep]!);
    keep = Math.min(keep, partner[keep]!);
    clusters[keep]!.stats.add(clusters[drop]!.stats);
    clusters[keep]!.members.push(...clusters[drop]!.members);
    clusters[drop] = null;
    for (let other = 0; other < n; other++) {
      if (other !== keep && clusters[other]) cost[Math.min(keep, other) * n + Math.max(keep, other)] = pairCost(Math.min(keep, other), Math.max(keep, other));
    }
    for (let a = 0; a < n; a++) {
      if (!clusters[a]) continue;
      if (a === keep || partner[a] === keep || partner[a] === drop) refresh(a);
      else {
        const c = cost[Math.min(a, keep) * n + Math.max(a, keep)]!;
        if (c < partnerCost[a]!) [partnerCost[a], partner[a]] = [c, keep];
      }
    }
  }
  return cuts;
}

/**
 * A chunk's Gaussian with its own mean removed: clustering compares how each voice's cepstra move
 * (the covariance), not where they sit, because the mean also carries the room and microphone, and
 * one person recorded in two places must not become two speakers. Resegmentation, on frames of one
 * recording, then uses the means again.
 */
function centredStats(frames: Float32Array, chunk: Chunk): GaussianStats {
  const length = chunk.to - chunk.from;
  const rows = frames.slice(chunk.from * CEPSTRA, chunk.to * CEPSTRA);
  for (let c = 0; c < CEPSTRA; c++) {
    let mean = 0;
    for (let f = 0; f < length; f++) mean += rows[f * CEPSTRA + c]!;
    mean /= length;
    for (let f = 0; f < length; f++) rows[f * CEPSTRA + c]! -= mean;
  }
  return new GaussianStats(CEPSTRA).addFrames(rows, 0, length);
}

interface Labelling {
  labels: Int32Array;
  /** Log-likelihood of every frame under its voice's Gaussian, less the switch penalties. */
  score: number;
  /** Seconds of speech of the least-heard voice. */
  leastSec: number;
}

/**
 * Relabels every frame: each voice's Gaussian is fitted to its frames, and a Viterbi pass per
 * speech region picks the likeliest sequence of voices, paying switchPenalty per change. Repeated
 * resegmentRounds times; a voice left with no frames keeps its last model, so the count holds. The
 * score is the last pass's.
 */
function resegment(frames: Float32Array, regions: readonly Region[], chunks: readonly Chunk[], chunkLabels: readonly number[], options: BuiltinOptions): Labelling {
  const total = frames.length / CEPSTRA;
  const labels = frameLabelsOf(chunks, chunkLabels, total);
  const k = Math.max(0, ...chunkLabels) + 1;
  const floor = unitFloor();
  let models = fitModels(frames, labels, k, floor, options.shrinkFrames);
  let score = 0;
  const scores = new Float64Array(total * k);
  const column = new Float64Array(total);
  for (let round = 0; round < options.resegmentRounds; round++) {
    models.forEach((model, s) => {
      model.logLikelihoods(frames, 0, total, column);
      for (let f = 0; f < total; f++) scores[f * k + s] = column[f]!;
    });
    score = 0;
    for (const region of regions) score += viterbi(scores, k, region.from, region.to, options.switchPenalty, labels);
    models = fitModels(frames, labels, k, floor, options.shrinkFrames, models);
  }
  const counts = new Float64Array(k);
  labels.forEach((label) => (counts[label]! += 1));
  return { labels, score, leastSec: Math.min(...counts) * FBANK_FRAME_SEC };
}

/**
 * The speaker count, when not fixed, is the one whose relabelled voices explain the recording best
 * (one full-covariance Gaussian per voice), less voiceCost per voice and frame (and, on short speech,
 * shortSpeechCost for each voice beyond the first): a global choice made on every frame, steadier than
 * stopping the merges at the first positive ΔBIC.
 */
function chooseLabelling(frames: Float32Array, regions: readonly Region[], chunks: readonly Chunk[], count: SpeakerCount, options: BuiltinOptions): Int32Array {
  const most = Math.min(chunks.length, count.exact ?? count.max ?? options.maxSpeakers);
  const least = Math.min(most, count.exact ?? count.min ?? 1);
  const cuts = clusterTree(frames, chunks, most, options);
  const total = frames.length / CEPSTRA;
  let best: Labelling | null = null;
  let bestScore = -Infinity;
  let bestK = least;
  for (let k = least; k <= most; k++) {
    let labelling = resegment(frames, regions, chunks, cuts[k - 1]!, options);
    // A count the user fixed is kept: if relabelling leaves a voice silent, the clustering's own labels stand.
    if (k === least && labelling.leastSec === 0 && least > 1) labelling = { labels: frameLabelsOf(chunks, cuts[k - 1]!, total), score: -Infinity, leastSec: 0 };
    const score = labelling.score - (options.voiceCost * k + shortSpeechCost(total * FBANK_FRAME_SEC, options) * (k - 1)) * total;
    // A voice heard for less than minSpeakerSec is a cough or a misfit, not a person — unless asked for.
    if (k > least && labelling.leastSec < options.minSpeakerSec) continue;
    if (score > bestScore) [bestScore, best, bestK] = [score, labelling, k];
    // Two more voices that did not help: more will not either (and each costs a full relabelling).
    else if (k >= bestK + 2) break;
  }
  return best!.labels;
}

/** The extra each voice beyond the first pays per frame in `speechSec` of speech (see BuiltinOptions.shortSpeechCost). */
export function shortSpeechCost(speechSec: number, options: BuiltinOptions): number {
  const { full, none } = options.shortSpeechSec;
  return options.shortSpeechCost * Math.min(1, Math.max(0, (none - speechSec) / (none - full)));
}

/** Each frame labelled with its chunk's label (frames between chunks keep 0; none are: chunks tile the regions). */
function frameLabelsOf(chunks: readonly Chunk[], chunkLabels: readonly number[], total: number): Int32Array {
  const labels = new Int32Array(total);
  chunks.forEach((chunk, i) => labels.fill(chunkLabels[i]!, chunk.from, chunk.to));
  return labels;
}

function fitModels(frames: Float32Array, labels: Int32Array, k: number, floor: Float64Array, shrink: number, previous?: GaussianModel[]): GaussianModel[] {
  const stats = Array.from({ length: k }, () => new GaussianStats(CEPSTRA));
  for (let from = 0, to = 1; from < labels.length; from = to++) {
    while (to < labels.length && labels[to] === labels[from]) to++;
    stats[labels[from]!]!.addFrames(frames, from, to);
  }
  return stats.map((stat, s) => (stat.count === 0 && previous ? previous[s]! : stat.model(floor, shrink)));
}

/** The likeliest label sequence over frames [from, to) of `scores` (frames × k), written into `labels`; returns its score. */
function viterbi(scores: Float64Array, k: number, from: number, to: number, penalty: number, labels: Int32Array): number {
  const length = to - from;
  if (length <= 0) return 0;
  const back = new Int32Array(length * k);
  let current = Float64Array.from({ length: k }, (_, s) => scores[from * k + s]!);
  let next = new Float64Array(k);
  for (let t = 1; t < length; t++) {
    let bestPrevious = 0;
    for (let s = 1; s < k; s++) if (current[s]! > current[bestPrevious]!) bestPrevious = s;
    const move = current[bestPrevious]! - penalty;
    for (let s = 0; s < k; s++) {
      const stay = current[s]!;
      const moves = move > stay;
      next[s] = (moves ? move : stay) + scores[(from + t) * k + s]!;
      back[t * k + s] = moves ? bestPrevious : s;
    }
    [current, next] = [next, current];
  }
  let state = 0;
  for (let s = 1; s < k; s++) if (current[s]! > current[state]!) state = s;
  const score = current[state]!;
  for (let t = length - 1; t >= 0; t--) {
    labels[from + t] = state;
    if (t > 0) state = back[t * k + state]!;
  }
  return score;
}

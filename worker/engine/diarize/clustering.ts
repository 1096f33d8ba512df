/** How many speakers to find: automatically (a distance threshold), exactly, or within bounds. */
export interface SpeakerCount {
  exact: number | null;
  min: number | null;
  max: number | null;
}

export const AUTOMATIC: SpeakerCount = { exact: null, min: null, max: null };

export interface ClusterItem {
  vector: Float32Array;
  /** How much it counts: seconds of speech. */
  weight: number;
}

interface Merge {
  a: number;
  b: number;
  distance: number;
}

export function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
}

/**
 * Every merge of weighted average linkage (UPGMA, weights = seconds) on cosine distance, by the
 * nearest-neighbour chain: O(n²) time and one n×n matrix, where the textbook loop is O(n³).
 * Average linkage is reducible, so the chain finds exactly the merges the textbook loop would.
 */
export function averageLinkage(items: readonly ClusterItem[]): Merge[] {
  const n = items.length;
  const distance = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = cosineDistance(items[i]!.vector, items[j]!.vector);
      distance[i * n + j] = d;
      distance[j * n + i] = d;
    }
  }
  const weight = Float64Array.from(items, (item) => Math.max(item.weight, 1e-6));
  const alive = new Uint8Array(n).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(alive.indexOf(1));
    const top = chain[chain.length - 1]!;
    const previous = chain.length > 1 ? chain[chain.length - 2]! : -1;
    let nearest = -1;
    let best = Infinity;
    for (let j = 0; j < n; j++) {
      if (!alive[j] || j === top) continue;
      const d = distance[top * n + j]!;
      // Ties go to the chain's previous element, or the chain could cycle.
      if (d < best || (d === best && j === previous)) {
        best = d;
        nearest = j;
      }
    }
    if (nearest !== previous) {
      chain.push(nearest);
      continue;
    }
    chain.length -= 2;
    // The merged cluster lives on in `previous`; `top` is retired.
    const [keep, drop] = [previous, top];
    merges.push({ a: keep, b: drop, distance: best });
    const total = weight[keep]! + weight[drop]!;
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === keep || k === drop) continue;
      const d = (weight[keep]! * distance[keep * n + k]! + weight[drop]! * distance[drop * n + k]!) / total;
      distance[keep * n + k] = d;
      distance[k * n + keep] = d;
    }
    weight[keep] = total;
    alive[drop] = 0;
    remaining--;
  }
  return merges.sort((x, y) => x.distance - y.distance);
}

/**
 * Cluster labels 0…k−1 (in order of first appearance): merges below `threshold` are applied, then
 * more or fewer as the speaker count demands. A count is of clusters holding at least `minWeight`
 * (pyannote's rule): an outlier — a window that caught a cough, half a word — does not take one of
 * the speakers asked for; absorbSmallClusters then gives it to the nearest real one.
 */
export function clusterItems(items: readonly ClusterItem[], threshold: number, count: SpeakerCount = AUTOMATIC, minWeight = 0): number[] {
  const n = items.length;
  if (n === 0) return [];
  const merges = averageLinkage(items);
  const clamp = (k: number): number => Math.min(Math.max(k, 1), n);
  const labelsAfter = (applied: number): number[] => {
    const parent = Int32Array.from({ length: n }, (_, i) => i);
    const root = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
      return i;
    };
    for (const merge of merges.slice(0, applied)) parent[root(merge.b)] = root(merge.a);
    const labelOf = new Map<number, number>();
    return items.map((_, i) => {
      const r = root(i);
      if (!labelOf.has(r)) labelOf.set(r, labelOf.size);
      return labelOf.get(r)!;
    });
  };
  const largeClusters = (labels: readonly number[]): number => {
    const weights = new Map<number, number>();
    labels.forEach((label, i) => weights.set(label, (weights.get(label) ?? 0) + items[i]!.weight));
    return [...weights.values()].filter((weight) => weight >= minWeight).length;
  };
  let applied = merges.filter((merge) => merge.distance < threshold).length;
  if (count.exact !== null) applied = n - clamp(count.exact);
  else {
    if (count.max !== null) applied = Math.max(applied, n - clamp(count.max));
    if (count.min !== null) applied = Math.min(applied, n - clamp(count.min));
  }
  const wanted = count.exact ?? count.min;
  let labels = labelsAfter(applied);
  // Undo merges until enough of the clusters are large enough to be people.
  while (wanted !== null && applied > 0 && largeClusters(labels) < clamp(wanted)) labels = labelsAfter(--applied);
  return labels;
}

/** The weighted mean vector of each cluster. */
export function centroids(items: readonly ClusterItem[], labels: readonly number[]): Float32Array[] {
  const k = Math.max(-1, ...labels) + 1;
  const width = items[0]?.vector.length ?? 0;
  const sums = Array.from({ length: k }, () => new Float32Array(width));
  items.forEach((item, i) => {
    const unit = Math.hypot(...item.vector) || 1;
    for (let d = 0; d < width; d++) sums[labels[i]!]![d]! += (item.weight * item.vector[d]!) / unit;
  });
  return sums;
}

/** The index of the centroid nearest to `vector`. */
export function nearestCentroid(vector: Float32Array, centres: readonly Float32Array[]): number {
  let best = 0;
  let bestDistance = Infinity;
  centres.forEach((centre, index) => {
    const d = cosineDistance(vector, centre);
    if (d < bestDistance) {
      bestDistance = d;
      best = index;
    }
  });
  return best;
}

/**
 * Clusters holding less than `minWeight` seconds are a cough or a misfit chunk, not a person: their
 * items join the nearest larger cluster. Labels are renumbered 0…k−1. A fixed speaker count is kept:
 * exactly that many clusters remain, the largest.
 */
export function absorbSmallClusters(items: readonly ClusterItem[], labels: readonly number[], minWeight: number, count: SpeakerCount = AUTOMATIC): number[] {
  const k = Math.max(-1, ...labels) + 1;
  const weights = new Float64Array(k);
  labels.forEach((label, i) => (weights[label]! += items[i]!.weight));
  const floor = count.exact ?? count.min ?? 1;
  const bySize = [...weights.keys()].sort((a, b) => weights[b]! - weights[a]!);
  // An exact count keeps exactly that many, the largest; otherwise every cluster big enough, and at least `floor`.
  const kept = new Set(bySize.filter((label, rank) => rank < floor || (count.exact === null && weights[label]! >= minWeight)));
  if (kept.size === k) return [...labels];
  const centres = centroids(items, labels);
  const keptLabels = [...kept];
  const keptCentres = keptLabels.map((label) => centres[label]!);
  const moved = labels.map((label, i) => (kept.has(label) ? label : keptLabels[nearestCentroid(items[i]!.vector, keptCentres)]!));
  const renumber = new Map<number, number>();
  return moved.map((label) => {
    if (!renumber.has(label)) renumber.set(label, renumber.size);
    return renumber.get(label)!;
  });
}

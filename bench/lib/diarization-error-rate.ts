/**
 * Diarization error rate, as NIST's md-eval and pyannote.metrics define it: over the scored time,
 * (missed speech + false alarm + speaker confusion) / total reference speech, with the one-to-one
 * mapping of hypothesis to reference speakers that maximises their shared time. Overlapped speech
 * counts once per speaker. Evaluated on a 10 ms grid.
 */

export interface Turn {
  file: string;
  start: number;
  end: number;
  speaker: string;
}

export interface ScoredRegion {
  start: number;
  end: number;
}

export interface DerOptions {
  /** Seconds either side of every reference turn boundary left unscored (0, or 0.25 by convention). */
  collar: number;
  /** Only these spans are scored; all of the reference's extent when omitted. */
  uem?: readonly ScoredRegion[];
}

export interface DerResult {
  /** Seconds of reference speech (per speaker) in the scored time. */
  total: number;
  missed: number;
  falseAlarm: number;
  confusion: number;
  der: number;
  /** Hypothesis speaker → reference speaker. */
  mapping: Map<string, string>;
}

const STEP = 0.01;

export function parseRttm(text: string): Turn[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[0] === 'SPEAKER')
    .map((fields) => {
      const start = Number(fields[3]);
      return { file: fields[1]!, start, end: start + Number(fields[4]), speaker: fields[7]! };
    });
}

export function formatRttm(turns: readonly Turn[]): string {
  return turns
    .map((turn) => `SPEAKER ${turn.file} 1 ${turn.start.toFixed(3)} ${(turn.end - turn.start).toFixed(3)} <NA> <NA> ${turn.speaker} <NA> <NA>\n`)
    .join('');
}

/** UEM lines: `file channel start end`. */
export function parseUem(text: string): Map<string, ScoredRegion[]> {
  const regions = new Map<string, ScoredRegion[]>();
  for (const line of text.split('\n')) {
    const [file, , start, end] = line.trim().split(/\s+/);
    if (!file || start === undefined || end === undefined) continue;
    regions.set(file, [...(regions.get(file) ?? []), { start: Number(start), end: Number(end) }]);
  }
  return regions;
}

export function diarizationErrorRate(reference: readonly Turn[], hypothesis: readonly Turn[], options: DerOptions): DerResult {
  const extent = Math.max(0, ...reference.map((turn) => turn.end), ...hypothesis.map((turn) => turn.end));
  const frames = Math.ceil(extent / STEP);
  const scored = new Uint8Array(frames);
  const uem = options.uem ?? [{ start: 0, end: Math.max(0, ...reference.map((turn) => turn.end)) }];
  for (const region of uem) fill(scored, region.start, region.end, 1);
  for (const turn of reference) {
    for (const boundary of [turn.start, turn.end]) fill(scored, boundary - options.collar, boundary + options.collar, 0);
  }

  const refSpeakers = [...new Set(reference.map((turn) => turn.speaker))];
  const hypSpeakers = [...new Set(hypothesis.map((turn) => turn.speaker))];
  const activity = (turns: readonly Turn[], speakers: string[]) =>
    speakers.map((speaker) => {
      const active = new Uint8Array(frames);
      for (const turn of turns) if (turn.speaker === speaker) fill(active, turn.start, turn.end, 1);
      return active;
    });
  const ref = activity(reference, refSpeakers);
  const hyp = activity(hypothesis, hypSpeakers);

  // Shared scored time of every (hypothesis, reference) pair, for the optimal mapping.
  const overlap = hypSpeakers.map(() => refSpeakers.map(() => 0));
  let total = 0;
  let missed = 0;
  let falseAlarm = 0;
  let paired = 0;
  for (let f = 0; f < frames; f++) {
    if (!scored[f]) continue;
    let r = 0;
    let h = 0;
    for (const active of ref) r += active[f]!;
    for (const active of hyp) h += active[f]!;
    total += r;
    missed += Math.max(0, r - h);
    falseAlarm += Math.max(0, h - r);
    paired += Math.min(r, h);
    for (let i = 0; i < hyp.length; i++) {
      if (!hyp[i]![f]) continue;
      for (let j = 0; j < ref.length; j++) if (ref[j]![f]) overlap[i]![j]! += 1;
    }
  }
  const assignment = maximumAssignment(overlap);
  let matched = 0;
  const mapping = new Map<string, string>();
  assignment.forEach((j, i) => {
    if (j < 0) return;
    matched += overlap[i]![j]!;
    mapping.set(hypSpeakers[i]!, refSpeakers[j]!);
  });
  const confusion = paired - matched;
  const seconds = (count: number) => Math.round(count * STEP * 1000) / 1000;
  return {
    total: seconds(total),
    missed: seconds(missed),
    falseAlarm: seconds(falseAlarm),
    confusion: seconds(confusion),
    der: total === 0 ? (falseAlarm > 0 ? 1 : 0) : (missed + falseAlarm + confusion) / total,
    mapping,
  };
}

function fill(frames: Uint8Array, start: number, end: number, value: number): void {
  frames.fill(value, Math.max(0, Math.round(start / STEP)), Math.max(0, Math.min(frames.length, Math.round(end / STEP))));
}

/**
 * The one-to-one assignment of rows to columns with the largest total weight (Hungarian method on
 * the negated, squared-up matrix). Returns each row's column, or -1 where a row stays unassigned.
 */
export function maximumAssignment(weights: readonly number[][]): number[] {
  const rows = weights.length;
  const cols = rows ? weights[0]!.length : 0;
  const n = Math.max(rows, cols);
  if (n === 0) return [];
  const max = Math.max(0, ...weights.flat());
  const cost = (i: number, j: number) => (i < rows && j < cols ? max - weights[i]![j]! : max);
  // Jonker-style O(n³) Hungarian algorithm with potentials, 1-based as in the classic formulation.
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0);
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const current = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (current < minv[j]!) {
          minv[j] = current;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0);
  }
  const result = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    const i = p[j]! - 1;
    if (i < rows && j - 1 < cols && weights[i]![j - 1]! > 0) result[i] = j - 1;
  }
  return result;
}

/** One speaker talking from start to end (seconds); turns of different speakers may overlap. */
export interface SpeakerTurn {
  start: number;
  end: number;
  /** 0-based speaker index, in order of first appearance. */
  speaker: number;
}

/**
 * Joins consecutive turns of one speaker separated by less than `maxGapSec`, after sorting, and
 * renumbers speakers 0…k−1 by first appearance so "Speaker 1" is whoever spoke first.
 */
export function tidyTurns(turns: readonly SpeakerTurn[], maxGapSec: number): SpeakerTurn[] {
  const sorted = [...turns].filter((turn) => turn.end > turn.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const open = new Map<number, SpeakerTurn>();
  const out: SpeakerTurn[] = [];
  for (const turn of sorted) {
    const last = open.get(turn.speaker);
    if (last && turn.start - last.end < maxGapSec) {
      last.end = Math.max(last.end, turn.end);
      continue;
    }
    const copy = { ...turn };
    open.set(turn.speaker, copy);
    out.push(copy);
  }
  const order = appearanceOrder(out);
  return out.map((turn) => ({ ...turn, speaker: order.get(turn.speaker)! }));
}

/** Each speaker's number once renumbered by first appearance, as tidyTurns numbers them. */
export function appearanceOrder(turns: readonly SpeakerTurn[]): Map<number, number> {
  const order = new Map<number, number>();
  for (const turn of [...turns].filter((each) => each.end > each.start).sort((a, b) => a.start - b.start || a.end - b.end)) {
    if (!order.has(turn.speaker)) order.set(turn.speaker, order.size);
  }
  return order;
}

/** Seconds each speaker overlaps [start, end). */
export function overlapBySpeaker(turns: readonly SpeakerTurn[], start: number, end: number): Map<number, number> {
  const overlap = new Map<number, number>();
  for (const turn of turns) {
    const shared = Math.min(end, turn.end) - Math.max(start, turn.start);
    if (shared > 0) overlap.set(turn.speaker, (overlap.get(turn.speaker) ?? 0) + shared);
  }
  return overlap;
}

/**
 * The speaker covering [start, end) the most; for a span no turn covers (a word in a pause the
 * speech detector dropped) the speaker of the nearest turn. null when there are no turns.
 */
export function dominantSpeaker(turns: readonly SpeakerTurn[], start: number, end: number): number | null {
  let best: number | null = null;
  let bestOverlap = 0;
  for (const [speaker, seconds] of overlapBySpeaker(turns, start, end)) {
    if (seconds > bestOverlap) {
      bestOverlap = seconds;
      best = speaker;
    }
  }
  if (best !== null) return best;
  let nearest = Infinity;
  for (const turn of turns) {
    const gap = Math.max(turn.start - end, start - turn.end);
    if (gap < nearest) {
      nearest = gap;
      best = turn.speaker;
    }
  }
  return best;
}

/**
 * pyannote segmentation-3.0 answers, per frame, one of 7 "powerset" classes over its 3 local
 * speakers with at most 2 at once: nobody, {0}, {1}, {2}, {0,1}, {0,2}, {1,2}.
 */
export const LOCAL_SPEAKERS = 3;
export const POWERSET_CLASSES: readonly (readonly number[])[] = [[], [0], [1], [2], [0, 1], [0, 2], [1, 2]];

/**
 * Multi-label activity (frames × LOCAL_SPEAKERS, 1 = speaking) from powerset scores
 * (frames × classes, any monotonic scale: logits or log-probabilities), by each frame's best class.
 */
export function powersetToActivity(scores: ArrayLike<number>, frames: number, classes: readonly (readonly number[])[] = POWERSET_CLASSES): Uint8Array {
  const width = classes.length;
  const activity = new Uint8Array(frames * LOCAL_SPEAKERS);
  for (let f = 0; f < frames; f++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (scores[f * width + c]! > scores[f * width + best]!) best = c;
    for (const speaker of classes[best]!) activity[f * LOCAL_SPEAKERS + speaker] = 1;
  }
  return activity;
}

/** Frames where `speaker` is the only one speaking: the clean audio its voice print is taken from. */
export function cleanFrames(activity: Uint8Array, frames: number, speaker: number): number[] {
  const clean: number[] = [];
  for (let f = 0; f < frames; f++) {
    let others = 0;
    for (let s = 0; s < LOCAL_SPEAKERS; s++) if (s !== speaker) others += activity[f * LOCAL_SPEAKERS + s]!;
    if (activity[f * LOCAL_SPEAKERS + speaker] && others === 0) clean.push(f);
  }
  return clean;
}

export interface WindowActivity {
  /** Window start in the recording, seconds. */
  start: number;
  activity: Uint8Array;
  /** Global speaker of each local speaker; −1 for a local speaker who never spoke. */
  speakers: readonly number[];
}

/**
 * One timeline from overlapping windows, as pyannote aggregates them: on a grid of `frameSec`,
 * the number of people speaking is the windows' average count (rounded), and that many speakers
 * with the most averaged activity are marked active. Returns grid × speakerCount activity.
 */
export function aggregateWindows(
  windows: readonly WindowActivity[],
  framesPerWindow: number,
  frameSec: number,
  gridFrames: number,
  speakerCount: number,
): Uint8Array {
  const score = new Float32Array(gridFrames * speakerCount);
  const count = new Float32Array(gridFrames);
  const covering = new Float32Array(gridFrames);
  for (const window of windows) {
    const offset = Math.round(window.start / frameSec);
    for (let f = 0; f < framesPerWindow; f++) {
      const g = offset + f;
      if (g < 0 || g >= gridFrames) continue;
      covering[g]! += 1;
      for (let s = 0; s < LOCAL_SPEAKERS; s++) {
        if (!window.activity[f * LOCAL_SPEAKERS + s]) continue;
        count[g]! += 1;
        const global = window.speakers[s]!;
        if (global >= 0) score[g * speakerCount + global]! += 1;
      }
    }
  }
  const active = new Uint8Array(gridFrames * speakerCount);
  const speakers = Array.from({ length: speakerCount }, (_, i) => i);
  for (let g = 0; g < gridFrames; g++) {
    if (covering[g] === 0) continue;
    const speaking = Math.min(speakerCount, Math.round(count[g]! / covering[g]!));
    if (speaking === 0) continue;
    // Ties go to the lower speaker index, whatever earlier frames did.
    const order = [...speakers].sort((a, b) => score[g * speakerCount + b]! - score[g * speakerCount + a]! || a - b);
    for (let k = 0; k < speaking; k++) if (score[g * speakerCount + order[k]!]! > 0) active[g * speakerCount + order[k]!] = 1;
  }
  return active;
}

/** Runs of activity per speaker as turns, bridging gaps shorter than `minGapSec`. */
export function activityToTurns(active: Uint8Array, speakerCount: number, frameSec: number, minGapSec: number): Array<{ start: number; end: number; speaker: number }> {
  const gridFrames = active.length / speakerCount;
  const turns: Array<{ start: number; end: number; speaker: number }> = [];
  for (let s = 0; s < speakerCount; s++) {
    let open = -1;
    let last = -1;
    for (let g = 0; g <= gridFrames; g++) {
      const on = g < gridFrames && active[g * speakerCount + s] === 1;
      if (on) {
        if (open >= 0 && g - last > 1 && (g - last - 1) * frameSec >= minGapSec) {
          turns.push({ start: open * frameSec, end: (last + 1) * frameSec, speaker: s });
          open = g;
        }
        if (open < 0) open = g;
        last = g;
      }
    }
    if (open >= 0) turns.push({ start: open * frameSec, end: (last + 1) * frameSec, speaker: s });
  }
  return turns;
}

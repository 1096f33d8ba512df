/** A span of the recording, in seconds. */
export interface TimeSpan {
  start: number;
  end: number;
}

export interface RegionOptions {
  /** Probability above which a frame starts speech. */
  threshold: number;
  /** Speech continues until the probability drops below this (hysteresis against flicker). */
  negThreshold: number;
  /** Shorter bursts are clicks, coughs or noise, not words. */
  minSpeechSec: number;
  /** Pauses shorter than this stay inside one region. */
  minSilenceSec: number;
  /** Added on both sides so the first and last phonemes are not clipped. */
  padSec: number;
  /** Longer regions are split, at the quietest moment, so each fits one Whisper window. */
  maxSpeechSec: number;
}

/**
 * Silero's and faster-whisper's defaults (400 ms of padding: the VAD's onset lags a word's first
 * consonant, and real speech starts and trails off quieter than the VAD's threshold), except a
 * shorter pause merge that keeps windows tight.
 */
export const DEFAULT_REGION_OPTIONS: RegionOptions = {
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeechSec: 0.25,
  minSilenceSec: 0.5,
  padSec: 0.4,
  maxSpeechSec: 28,
};

/**
 * Turns per-frame speech probabilities into speech regions: hysteresis thresholds, short pauses
 * bridged, short bursts dropped, padding added without overlapping neighbours, and regions longer
 * than maxSpeechSec split at their least speech-like frame.
 */
export function speechRegions(
  probabilities: ArrayLike<number>,
  frameSec: number,
  durationSec: number,
  options: RegionOptions = DEFAULT_REGION_OPTIONS,
): TimeSpan[] {
  const raw: Array<{ from: number; to: number }> = [];
  let start = -1;
  let lastSpeech = -1;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (p >= options.threshold) {
      if (start < 0) start = i;
      lastSpeech = i;
    } else if (start >= 0 && p < options.negThreshold && (i - lastSpeech) * frameSec >= options.minSilenceSec) {
      raw.push({ from: start, to: lastSpeech + 1 });
      start = -1;
    }
  }
  if (start >= 0) raw.push({ from: start, to: lastSpeech + 1 });

  const split = raw.flatMap((region) => splitLong(region, probabilities, frameSec, options.maxSpeechSec));
  const kept = split.filter((region) => (region.to - region.from) * frameSec >= options.minSpeechSec);
  return kept.map((region, index) => {
    const from = region.from * frameSec;
    const to = Math.min(durationSec, region.to * frameSec);
    // Padding stops halfway to a neighbour; the recording's own edges are no neighbour.
    const previousEnd = index > 0 ? kept[index - 1]!.to * frameSec : -Infinity;
    const nextStart = index + 1 < kept.length ? kept[index + 1]!.from * frameSec : Infinity;
    return {
      start: Math.max(0, from - options.padSec, (previousEnd + from) / 2),
      end: Math.min(durationSec, to + options.padSec, (to + nextStart) / 2),
    };
  });
}

function splitLong(
  region: { from: number; to: number },
  probabilities: ArrayLike<number>,
  frameSec: number,
  maxSpeechSec: number,
): Array<{ from: number; to: number }> {
  const maxFrames = Math.floor(maxSpeechSec / frameSec);
  const parts: Array<{ from: number; to: number }> = [];
  let from = region.from;
  while (region.to - from > maxFrames) {
    // Cut in the second half of the allowed span, where speech is least likely (the latest such
    // frame: windows as full as possible).
    let cut = from + maxFrames;
    let lowest = Infinity;
    for (let i = from + Math.floor(maxFrames / 2); i < from + maxFrames; i++) {
      if (probabilities[i]! <= lowest) {
        lowest = probabilities[i]!;
        cut = i;
      }
    }
    parts.push({ from, to: cut });
    from = cut;
  }
  parts.push({ from, to: region.to });
  return parts;
}

import { describe, expect, it } from 'vitest';
import { speechRegions, type RegionOptions } from '../../worker/engine/vad/speech-regions';

const options: RegionOptions = { threshold: 0.5, negThreshold: 0.35, minSpeechSec: 0.25, minSilenceSec: 0.5, padSec: 0.1, maxSpeechSec: 28 };
/** Frames of 0.1 s: `pattern` is one character per frame, '#' speech (0.9), '-' silence (0.05), '~' unsure (0.4). */
const frames = (pattern: string) => Array.from(pattern, (c) => (c === '#' ? 0.9 : c === '~' ? 0.4 : 0.05));

describe('speech regions from VAD probabilities', () => {
  it('finds each burst of speech, padded, in seconds', () => {
    const regions = speechRegions(frames('----#####----------####---'), 0.1, 2.6, options);
    expect(regions.map((r) => [r.start, r.end].map((x) => +x.toFixed(2)))).toEqual([
      [0.3, 1.0],
      [1.8, 2.4],
    ]);
  });

  it('bridges pauses shorter than minSilenceSec, and unsure frames do not end speech (hysteresis)', () => {
    const regions = speechRegions(frames('##--##~~~~##------'), 0.1, 1.8, options);
    expect(regions).toHaveLength(1);
    expect(regions[0]!.start).toBe(0);
    expect(regions[0]!.end).toBeCloseTo(1.3, 5);
  });

  it('drops clicks shorter than minSpeechSec; silence gives nothing', () => {
    expect(speechRegions(frames('-----##------------'), 0.1, 1.9, options)).toEqual([]);
    expect(speechRegions(frames('-'.repeat(100)), 0.1, 10, options)).toEqual([]);
  });

  it('splits a region longer than maxSpeechSec at its least speech-like frame', () => {
    const probabilities = Array.from({ length: 700 }, (_, i) => (i === 200 ? 0.51 : 0.95));
    const regions = speechRegions(probabilities, 0.1, 70, { ...options, padSec: 0 });
    // The dip at 20 s; then, with no dip, as late as allowed (28 s on).
    expect(regions.map((r) => +r.start.toFixed(1))).toEqual([0, 20, 47.9]);
    for (const region of regions) expect(region.end - region.start).toBeLessThanOrEqual(28);
  });

  it('pads the first and last region in full: the recording’s edges are not neighbours to share with', () => {
    // Speech from 0.3 s: the onset's padding reaches 0.2 s, not the midpoint between 0 and 0.3 (0.15 s would be half the pad).
    const regions = speechRegions(frames('---#####---'), 0.1, 1.1, { ...options, padSec: 0.1 });
    expect(regions.map((r) => [r.start, r.end].map((x) => +x.toFixed(2)))).toEqual([[0.2, 0.9]]);
    const early = speechRegions(frames('-#####----'), 0.1, 1.0, { ...options, padSec: 0.4 });
    expect(early[0]!.start).toBe(0);
    expect(early[0]!.end).toBeCloseTo(1.0, 5);
  });

  it('never pads a region into its neighbour', () => {
    const regions = speechRegions(frames('#####------#####'), 0.1, 1.6, { ...options, padSec: 1 });
    expect(regions[0]!.end).toBeLessThanOrEqual(regions[1]!.start);
  });
});

import { describe, expect, it } from 'vitest';
import type { Segment } from '../../contracts/domain';
import { assignSpeakers } from '../../worker/engine/diarize/assign-speakers';
import { absorbSmallClusters, clusterItems, type ClusterItem } from '../../worker/engine/diarize/clustering';
import { fbank, fbankFrameCount, melFilters } from '../../worker/engine/diarize/fbank';
import { activityToTurns, aggregateWindows, cleanFrames, powersetToActivity } from '../../worker/engine/diarize/powerset';
import { dominantSpeaker, tidyTurns } from '../../worker/engine/diarize/turns';

const tone = (hz: number, seconds: number, amplitude = 0.5): Float32Array =>
  Float32Array.from({ length: seconds * 16_000 }, (_, n) => amplitude * Math.sin((2 * Math.PI * hz * n) / 16_000));

describe('Kaldi filterbank', () => {
  it('frames 25 ms windows every 10 ms, whole windows only', () => {
    expect(fbankFrameCount(399)).toBe(0);
    expect(fbankFrameCount(400)).toBe(1);
    expect(fbankFrameCount(16_000)).toBe(98);
  });

  it('puts a tone in the mel band around its frequency', () => {
    const features = fbank(tone(1000, 1));
    const filters = melFilters(80);
    // FFT bin 32 is 1000 Hz at 16 kHz / 512; the loudest band must be one whose triangle holds it.
    const covering = filters.map((filter, band) => (32 >= filter.firstBin && 32 < filter.firstBin + filter.weights.length ? band : -1)).filter((band) => band >= 0);
    for (let frame = 0; frame < features.numFrames; frame += 20) {
      const row = Array.from(features.data.subarray(frame * 80, (frame + 1) * 80));
      expect(covering).toContain(row.indexOf(Math.max(...row)));
    }
  });

  it('agrees with a direct DFT of the same frame, and floors silence at log(ε)', () => {
    const samples = Float32Array.from({ length: 400 }, (_, n) => Math.sin(n * 0.37) * 0.2 + Math.cos(n * 1.9) * 0.1);
    const [ours] = [fbank(samples, { bins: 23 })];
    // Kaldi's recipe, spelled out: ×32768, remove DC, pre-emphasis 0.97, Povey window, |DFT|², mel triangles, log.
    const scaled = Array.from(samples, (x) => x * 32768);
    const mean = scaled.reduce((a, b) => a + b, 0) / 400;
    const centred = scaled.map((x) => x - mean);
    const emphasised = centred.map((x, n) => x - 0.97 * (n > 0 ? centred[n - 1]! : x));
    const windowed = emphasised.map((x, n) => x * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / 399)) ** 0.85);
    const power = Array.from({ length: 256 }, (_, k) => {
      let re = 0;
      let im = 0;
      windowed.forEach((x, n) => {
        re += x * Math.cos((2 * Math.PI * k * n) / 512);
        im -= x * Math.sin((2 * Math.PI * k * n) / 512);
      });
      return re * re + im * im;
    });
    melFilters(23).forEach((filter, band) => {
      const energy = Array.from(filter.weights).reduce((sum, weight, i) => sum + weight * power[filter.firstBin + i]!, 0);
      expect(ours.data[band]).toBeCloseTo(Math.log(energy), 3);
    });
    expect(fbank(new Float32Array(400), { bins: 23 }).data[0]).toBeCloseTo(Math.log(1.1920929e-7), 5);
  });
});

describe('powerset decoding and aggregation', () => {
  it('turns each frame\'s best class into the speakers it stands for', () => {
    // Frames: nobody, {0}, {0,1}, {2}, {1,2}; scores are log-probabilities with one clear winner.
    const winners = [0, 1, 4, 3, 6];
    const scores = winners.flatMap((winner) => Array.from({ length: 7 }, (_, c) => (c === winner ? -0.1 : -5)));
    const activity = powersetToActivity(scores, winners.length);
    expect(Array.from(activity)).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1]);
    expect(cleanFrames(activity, 5, 0)).toEqual([1]);
    expect(cleanFrames(activity, 5, 2)).toEqual([3]);
    expect(cleanFrames(activity, 5, 1)).toEqual([]);
  });

  it('counts speakers per frame from the windows covering it, then keeps the most active', () => {
    // Two 4-frame windows, the second starting 2 frames later; frame step 1 s for easy reading.
    // Window A: local 0 = global 0 on frames 0–3; local 1 = global 1 on frame 3 (overlap there).
    // Window B: local 0 = global 1 on frames 0–3 (grid 2–5).
    const a = { start: 0, activity: Uint8Array.from([1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0]), speakers: [0, 1, -1] };
    const b = { start: 2, activity: Uint8Array.from([1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]), speakers: [1, -1, -1] };
    const active = aggregateWindows([a, b], 4, 1, 6, 2);
    // Grid frame 2: A says 1 speaker (0), B says 1 (1): one speaker, a tie kept by order → speaker 0.
    // Grid frame 3: A says 2, B says 1 → round(1.5) = 2: both. Frames 4–5: only B → speaker 1.
    expect(Array.from(active)).toEqual([1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1]);
    expect(activityToTurns(active, 2, 1, 0)).toEqual([
      { start: 0, end: 4, speaker: 0 },
      { start: 3, end: 6, speaker: 1 },
    ]);
  });

  it('bridges gaps shorter than the minimum, and no others', () => {
    const active = Uint8Array.from([1, 1, 0, 1, 0, 0, 0, 1]);
    expect(activityToTurns(active, 1, 0.1, 0.15)).toEqual([
      { start: 0, end: expect.closeTo(0.4, 9), speaker: 0 },
      { start: expect.closeTo(0.7, 9), end: expect.closeTo(0.8, 9), speaker: 0 },
    ]);
  });
});

describe('clustering', () => {
  const item = (angle: number, weight = 2): ClusterItem => ({ vector: Float32Array.from([Math.cos(angle), Math.sin(angle)]), weight });
  // Three voices at 0°, 120° and 240°, each a tight group of three.
  const items = [0, 120, 240].flatMap((degrees) => [-3, 0, 3].map((jitter) => item(((degrees + jitter) * Math.PI) / 180)));

  it('stops at the distance threshold: three well-separated groups stay three', () => {
    expect(clusterItems(items, 0.5)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });

  it('honours an exact count, and min/max bounds around the threshold', () => {
    expect(new Set(clusterItems(items, 0.5, { exact: 2, min: null, max: null })).size).toBe(2);
    expect(new Set(clusterItems(items, 0.5, { exact: null, min: null, max: 2 })).size).toBe(2);
    expect(new Set(clusterItems(items, 0.5, { exact: null, min: 5, max: null })).size).toBe(5);
    expect(new Set(clusterItems(items, 0.5, { exact: 12, min: null, max: null })).size).toBe(9);
  });

  it('merges a cluster with too little speech into its nearest neighbour, unless the count is fixed', () => {
    const withCough = [...items, item((130 * Math.PI) / 180, 0.5)];
    const labels = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3];
    expect(absorbSmallClusters(withCough, labels, 1)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 1]);
    expect(absorbSmallClusters(withCough, labels, 1, { exact: 4, min: null, max: null })).toEqual(labels);
  });
});

describe('turns and word labels', () => {
  it('joins a speaker\'s close turns and numbers speakers by first appearance', () => {
    expect(
      tidyTurns(
        [
          { start: 5, end: 6, speaker: 3 },
          { start: 0, end: 2, speaker: 7 },
          { start: 2.05, end: 4, speaker: 7 },
        ],
        0.1,
      ),
    ).toEqual([
      { start: 0, end: 4, speaker: 0 },
      { start: 5, end: 6, speaker: 1 },
    ]);
  });

  it('labels a span by the speaker covering it most, or the nearest turn when none does', () => {
    const turns = [
      { start: 0, end: 2, speaker: 0 },
      { start: 1.5, end: 4, speaker: 1 },
    ];
    expect(dominantSpeaker(turns, 1.4, 2.4)).toBe(1);
    expect(dominantSpeaker(turns, 0.2, 1.6)).toBe(0);
    expect(dominantSpeaker(turns, 4.5, 5)).toBe(1);
    expect(dominantSpeaker([], 0, 1)).toBeNull();
  });

  it('splits a segment where the speaker changes, keeping each word\'s time', () => {
    const word = (text: string, start: number): Segment['words'][number] => ({ text, start, end: start + 0.4, probability: 0.9, speaker: null });
    const segment: Segment = {
      start: 0, end: 2, text: 'Yes. Thank you all.', avgLogprob: -0.2, noSpeechProb: 0, temperature: 0, speaker: null,
      words: [word('Yes.', 0), word('Thank', 0.8), word('you', 1.2), word('all.', 1.6)],
    };
    const [first, second] = assignSpeakers([segment], [
      { start: 0, end: 0.6, speaker: 0 },
      { start: 0.7, end: 2, speaker: 1 },
    ]);
    expect(first).toMatchObject({ start: 0, end: 0.4, text: 'Yes.', speaker: 0 });
    expect(second).toMatchObject({ start: 0.8, end: 2, text: 'Thank you all.', speaker: 1 });
    expect(second!.words.map((w) => w.speaker)).toEqual([1, 1, 1]);
  });
});

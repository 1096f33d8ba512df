import { describe, expect, it } from 'vitest';
import type { JobView, Segment } from '../../contracts/domain';
import { parseRange } from '../../core/audio/byte-ranges';
import { overallProgress } from '../../core/queue/overall-progress';
import { neighbourSegment, positionAt } from '../../renderer/src/transcript-position';

const segment = (start: number, end: number, words: Array<[number, number]>): Segment => ({
  start,
  end,
  text: '',
  avgLogprob: 0,
  noSpeechProb: 0,
  temperature: 0,
  speaker: null,
  words: words.map(([from, to]) => ({ start: from, end: to, text: 'w', probability: 1, speaker: null })),
});
const segments = [segment(0, 2, [[0, 1], [1.2, 2]]), segment(3, 5, [[3, 4]]), segment(6, 8, [])];

describe('the playing position', () => {
  it('finds the segment and word at a time, and nothing in the gaps', () => {
    expect(positionAt(segments, 0.5)).toEqual({ segment: 0, word: 0 });
    expect(positionAt(segments, 1.1)).toEqual({ segment: 0, word: null });
    expect(positionAt(segments, 1.5)).toEqual({ segment: 0, word: 1 });
    expect(positionAt(segments, 2.5)).toBeNull();
    expect(positionAt(segments, 4.5)).toEqual({ segment: 1, word: null });
    expect(positionAt(segments, 7)).toEqual({ segment: 2, word: null });
    expect(positionAt([], 1)).toBeNull();
  });

  it('jumps to the next and previous segment as media players do', () => {
    expect(neighbourSegment(segments, 0.5, 1)).toBe(1);
    expect(neighbourSegment(segments, 3.5, -1)).toBe(0); // within the first second: the one before
    expect(neighbourSegment(segments, 4.5, -1)).toBe(1); // later: back to this one's start
    expect(neighbourSegment(segments, 7, 1)).toBeNull();
    expect(neighbourSegment(segments, 2.5, 1)).toBe(1);
  });
});

describe('HTTP ranges for the player', () => {
  it('reads the forms browsers send and refuses ranges past the end', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-', 100)).toEqual([0, 99]);
    expect(parseRange('bytes=10-19', 100)).toEqual([10, 19]);
    expect(parseRange('bytes=90-200', 100)).toEqual([90, 99]);
    expect(parseRange('bytes=-10', 100)).toEqual([90, 99]);
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 100)).toBe('unsatisfiable');
  });
});

describe('overall progress for the dock and taskbar', () => {
  const job = (state: JobView['state'], progress: number, durationSec: number | null, kind: JobView['kind'] = 'process-media') =>
    ({ kind, state, progress, durationSec }) as JobView;
  it('weighs unfinished transcriptions by length and ignores the rest', () => {
    expect(overallProgress([])).toBeNull();
    expect(overallProgress([job('done', 1, 60), job('failed', 0.3, 60)])).toBeNull();
    // 30 min half done, 10 min waiting: 15 of 40 minutes.
    expect(overallProgress([job('running', 0.5, 1800), job('queued', 0, 600), job('done', 1, 600), job('running', 0.5, 10, 'export')])).toBeCloseTo(15 / 40);
    // A file not yet read counts as a minute.
    expect(overallProgress([job('running', 1, 60), job('queued', 0, null)])).toBeCloseTo(0.5);
  });
});

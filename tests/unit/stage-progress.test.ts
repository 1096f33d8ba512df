import { describe, expect, it } from 'vitest';
import type { WorkerProgress } from '../../contracts/worker-protocol';
import { stageContexts } from '../../worker/pipeline/stage-progress';

describe('stage progress', () => {
  it('maps each stage onto its share of the whole job', () => {
    const updates: WorkerProgress[] = [];
    const stages = stageContexts({ probe: 1, decode: 3 }, new AbortController().signal, (u) => updates.push(u));
    stages.probe.progress(1, 0);
    stages.decode.progress(0.5, 12);
    stages.decode.progress(2, 24); // overshoot is clamped
    expect(updates).toEqual([
      { stage: 'probe', progress: 0.25, processedSec: 0 },
      { stage: 'decode', progress: 0.625, processedSec: 12 },
      { stage: 'decode', progress: 1, processedSec: 24 },
    ]);
  });

  it('moves the bar forward, never back, when a later stage turns out cheaper (a file with little speech)', () => {
    const updates: WorkerProgress[] = [];
    const weights = { decode: 10, transcribe: 90 };
    const stages = stageContexts(weights, new AbortController().signal, (u) => updates.push(u));
    stages.decode.progress(1, 60);
    weights.transcribe = 10;
    stages.transcribe.progress(0, 0);
    stages.transcribe.progress(0.5, 30);
    expect(updates.map((u) => u.progress)).toEqual([0.1, 0.5, 0.75]);
  });
});

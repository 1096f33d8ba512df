import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../core/library/job-store';
import { Database } from '../../core/library/database';
import { SettingsStore } from '../../core/library/settings-store';
import { estimateLane, jobTimeLimitMs } from '../../core/queue/eta';
import { ModelSpeeds } from '../../core/queue/model-speeds';
import { ThroughputMeter } from '../../core/queue/throughput';

const now = 1_000_000;
let nextId = 1;
function job(fields: Partial<JobRecord>): JobRecord {
  return {
    id: nextId++, mediaId: 1, kind: 'process-media', lane: 'heavy', state: 'queued', priority: 0, attempts: 0,
    stage: null, progress: 0, error: null, errorCode: null, createdAt: now, queuedAt: now, startedAt: null, finishedAt: null,
    fileName: 'a.wav', path: '/a.wav', durationSec: null, sizeBytes: null, contentHash: null, engine: null, diarization: null,
    placement: 'auto', runsOn: null, decision: null, notice: null, live: false, options: {}, ...fields,
  };
}
const inputs = { speedOf: () => 10, bytesPerAudioSec: 16_000, now };

describe('queue position and ETA', () => {
  it('adds up the jobs ahead in the lane, at the measured speed', () => {
    const running = job({ state: 'running', startedAt: now - 2_000, durationSec: 100 });
    const second = job({ durationSec: 50 });
    const third = job({ sizeBytes: 16_000 * 30 }); // length unknown yet: estimated from its size
    const estimates = estimateLane([running], [second, third], inputs);
    expect(estimates.get(running.id)).toEqual({ position: 0, etaSec: 8 }); // 10 s expected, 2 s spent
    expect(estimates.get(second.id)).toEqual({ position: 1, etaSec: 13 });
    expect(estimates.get(third.id)).toEqual({ position: 2, etaSec: 16 });
  });

  it("trusts a running job's own pace once it has shown one", () => {
    const running = job({ state: 'running', startedAt: now - 30_000, durationSec: 100, progress: 0.25 });
    expect(estimateLane([running], [], inputs).get(running.id)!.etaSec).toBeCloseTo(90);
  });

  it('says unknown rather than guessing when a length ahead is unknown', () => {
    const mystery = job({});
    const after = job({ durationSec: 10 });
    const estimates = estimateLane([], [mystery, after], inputs);
    expect(estimates.get(mystery.id)).toEqual({ position: 1, etaSec: null });
    expect(estimates.get(after.id)).toEqual({ position: 2, etaSec: null });
  });
});

describe('speed per model', () => {
  it('estimates each file at its own model’s measured speed, and a model never run at all of them together', () => {
    const db = new Database(':memory:');
    const speeds = new ModelSpeeds(new SettingsStore(db), new ThroughputMeter(new SettingsStore(db), 'throughput.transcribe', 10));
    speeds.record('whisper-tiny', 300, 10);
    speeds.record('whisper-base', 100, 20);
    expect(speeds.of('whisper-tiny')).toBeCloseTo(30);
    expect(speeds.of('whisper-base')).toBeCloseTo(5);
    // Never run: the overall average, which both jobs moved from its starting 10.
    const overall = speeds.of('whisper-small');
    expect(overall).toBeGreaterThan(5);
    expect(overall).toBeLessThan(30);
    const tiny = job({ durationSec: 60, options: { model: 'whisper-tiny' } });
    const base = job({ durationSec: 60, options: { model: 'whisper-base' } });
    const estimates = estimateLane([], [tiny, base], { ...inputs, speedOf: (each) => speeds.of(each.options.model!) });
    expect(estimates.get(tiny.id)!.etaSec).toBeCloseTo(2);
    expect(estimates.get(base.id)!.etaSec).toBeCloseTo(14);
    // Measurements outlive a restart.
    expect(new ModelSpeeds(new SettingsStore(db), new ThroughputMeter(new SettingsStore(db), 'throughput.transcribe', 10)).of('whisper-base')).toBeCloseTo(5);
    db.close();
  });
});

describe('job time limit', () => {
  it('grows with the audio, so long recordings are never cut short', () => {
    expect(jobTimeLimitMs(60)).toBe(30 * 60_000 + 600_000);
    expect(jobTimeLimitMs(10 * 3600)).toBe(30 * 60_000 + 100 * 3600_000);
    // Unknown length: assume a long recording rather than a short one.
    expect(jobTimeLimitMs(null)).toBe(jobTimeLimitMs(6 * 3600));
  });
});

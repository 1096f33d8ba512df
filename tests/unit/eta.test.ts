import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../core/library/job-store';
import { Database } from '../../core/library/database';
import { SettingsStore } from '../../core/library/settings-store';
import { estimateLane, jobTimeLimitMs } from '../../core/queue/eta';
import { MachineSpeeds } from '../../core/queue/machine-speeds';

const now = 1_000_000;
let nextId = 1;
function job(fields: Partial<JobRecord>): JobRecord {
  return {
    id: nextId++, mediaId: 1, kind: 'process-media', lane: 'heavy', state: 'queued', priority: 0, attempts: 0,
    stage: null, progress: 0, error: null, errorCode: null, createdAt: now, queuedAt: now, startedAt: null, finishedAt: null,
    fileName: 'a.wav', path: '/a.wav', durationSec: null, speechSec: null, sizeBytes: null, contentHash: null, engine: null, diarization: null,
    placement: 'auto', runsOn: null, decision: null, notice: null, live: false, options: {}, ...fields,
  };
}
const inputs = { expectedSec: (_job: JobRecord, audioSec: number) => audioSec / 10, bytesPerAudioSec: 16_000, now };

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

describe('speeds measured here', () => {
  /** A run of `audioSec` with `speechSec` of speech: `scanSec` to decode and find it, `transcribeSec` after. */
  const run = (model: string, audioSec: number, speechSec: number, scanSec: number, transcribeSec: number) =>
    ({ model, audioSec, speechSec, scanSec, wallSec: scanSec + transcribeSec });

  it('estimates each file at its own model’s measured speed, and a model never run at all of them together', () => {
    const db = new Database(':memory:');
    const speeds = new MachineSpeeds(new SettingsStore(db), 10);
    // Decoding and speech detection at 200× realtime for both; then 30 and 5 speech seconds per second.
    for (let i = 0; i < 30; i++) {
      speeds.record(run('whisper-tiny', 200, 150, 1, 5));
      speeds.record(run('whisper-base', 200, 100, 1, 20));
    }
    expect(speeds.expectedSec({ model: 'whisper-tiny', audioSec: 200, speechSec: 150 })).toBeCloseTo(1 + 5, 1);
    expect(speeds.expectedSec({ model: 'whisper-base', audioSec: 200, speechSec: 150 })).toBeCloseTo(1 + 30, 1);
    // Never run: all models' speed, between the two.
    const unknown = speeds.expectedSec({ model: 'whisper-small', audioSec: 200, speechSec: 150 });
    expect(unknown).toBeGreaterThan(6);
    expect(unknown).toBeLessThan(31);
    const tiny = job({ durationSec: 200, speechSec: 150, options: { model: 'whisper-tiny' } });
    const base = job({ durationSec: 200, speechSec: 150, options: { model: 'whisper-base' } });
    const expectedSec = (each: JobRecord, audioSec: number) => speeds.expectedSec({ model: each.options.model!, audioSec, speechSec: each.speechSec });
    const estimates = estimateLane([], [tiny, base], { ...inputs, expectedSec });
    expect(estimates.get(tiny.id)!.etaSec).toBeCloseTo(6, 1);
    expect(estimates.get(base.id)!.etaSec).toBeCloseTo(37, 1);
    // Measurements outlive a restart.
    expect(new MachineSpeeds(new SettingsStore(db), 10).expectedSec({ model: 'whisper-base', audioSec: 200, speechSec: 150 })).toBeCloseTo(31, 1);
    db.close();
  });

  it('counts speech, not length: a silent two-hour file costs its decoding, and a file not looked at yet the usual share of speech', () => {
    const speeds = new MachineSpeeds(new SettingsStore(new Database(':memory:')), 10);
    for (let i = 0; i < 20; i++) speeds.record(run('whisper-tiny', 600, 300, 3, 60));
    // 200× realtime to decode and find speech, 5 speech seconds per second to transcribe.
    const silent = speeds.expectedSec({ model: 'whisper-tiny', audioSec: 7200, speechSec: 0 });
    expect(silent).toBeCloseTo(36, 0);
    const talk = speeds.expectedSec({ model: 'whisper-tiny', audioSec: 7200, speechSec: 7200 });
    expect(talk).toBeCloseTo(36 + 1440, 0);
    // Not looked at yet: the share of speech found in earlier files (half of each, here).
    for (let i = 0; i < 20; i++) speeds.speechFound(600, 300);
    expect(speeds.expectedSec({ model: 'whisper-tiny', audioSec: 7200, speechSec: null })).toBeCloseTo(36 + 720, 0);
    // A silent file found lowers that share, and a silent run leaves the transcription speed as it was.
    speeds.speechFound(7200, 0);
    speeds.record(run('whisper-tiny', 7200, 0, 36, 0.5));
    expect(speeds.expectedSec({ model: 'whisper-tiny', audioSec: 7200, speechSec: null })).toBeLessThan(36 + 720);
    expect(speeds.expectedSec({ model: 'whisper-tiny', audioSec: 7200, speechSec: 7200 })).toBeCloseTo(talk, 0);
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

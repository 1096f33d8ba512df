// Where a job runs (here or on the pool) and when the pool is given a rest: plain functions of
// measured numbers, walked through case by case.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../core/offload/circuit-breaker';
import { ASSUMED_UPLOAD_BYTES_PER_SEC, chooseWhere, type OffloadInputs } from '../../core/offload/offload-policy';
import { planPlacement, type PlanInputs, type WaitingJob } from '../../core/offload/placement-plan';

/** A 10-minute file (10 MB, a minute's work here) behind 3 minutes of local work, and an idle pool at 40× realtime. */
const busy: OffloadInputs = {
  mode: 'when-busy',
  placement: 'auto',
  live: false,
  poolAvailable: true,
  job: { audioSec: 600, sizeBytes: 10_000_000, localSec: 60 },
  localAheadSec: 180,
  pool: { waitSec: 0, audioSecPerSec: 40 },
  uploadBytesPerSec: 5_000_000,
};

describe('offload policy', () => {
  it('sends a waiting job to the pool when the pool, upload included, finishes it first', () => {
    const decision = chooseWhere(busy);
    expect(decision).toMatchObject({ where: 'pool', localEtaSec: 240, poolEtaSec: 17 });
    expect(decision.reason).toBe('The pool should finish it sooner (about 17 s against 240 s here).');
  });

  it('keeps it here when this machine is as quick: an empty local queue, a busy pool, or a slow uplink', () => {
    expect(chooseWhere({ ...busy, localAheadSec: 0 }).where).toBe('pool');
    expect(chooseWhere({ ...busy, localAheadSec: 0, pool: { waitSec: 60, audioSecPerSec: 40 } })).toMatchObject({ where: 'local', localEtaSec: 60, poolEtaSec: 77 });
    expect(chooseWhere({ ...busy, pool: { waitSec: 600, audioSecPerSec: 40 } }).where).toBe('local');
    // 10 MB at 20 kB/s is 500 s of upload.
    expect(chooseWhere({ ...busy, uploadBytesPerSec: 20_000 }).where).toBe('local');
    // Before any upload was measured, a modest uplink is assumed.
    expect(chooseWhere({ ...busy, uploadBytesPerSec: null }).poolEtaSec).toBe(15 + 10_000_000 / ASSUMED_UPLOAD_BYTES_PER_SEC);
  });

  it('never sends anything with offload off, nor a recording unless Always, nor against Run here', () => {
    expect(chooseWhere({ ...busy, mode: 'off', placement: 'pool' })).toMatchObject({ where: 'local', reason: 'Cloud offload is off.' });
    expect(chooseWhere({ ...busy, live: true, placement: 'pool' }).where).toBe('local');
    expect(chooseWhere({ ...busy, live: true, mode: 'always' }).where).toBe('pool');
    expect(chooseWhere({ ...busy, placement: 'local' })).toMatchObject({ where: 'local', reason: 'You chose Run here.' });
  });

  it('runs here while the breaker is open or the pool’s wait is unknown, except when the user chose the cloud', () => {
    expect(chooseWhere({ ...busy, poolAvailable: false }).where).toBe('local');
    expect(chooseWhere({ ...busy, mode: 'always', poolAvailable: false }).where).toBe('local');
    expect(chooseWhere({ ...busy, pool: { waitSec: null, audioSecPerSec: 40 } })).toMatchObject({ where: 'local', poolEtaSec: null });
    // A pool that has not measured itself is taken to be as fast as this machine: the job's 60 s here, plus 2 s of upload.
    expect(chooseWhere({ ...busy, pool: { waitSec: 0, audioSecPerSec: null } })).toMatchObject({ where: 'pool', poolEtaSec: 62 });
    expect(chooseWhere({ ...busy, pool: null, placement: 'pool' }).where).toBe('pool');
    expect(chooseWhere({ ...busy, mode: 'always', localAheadSec: 0, pool: { waitSec: 3600, audioSecPerSec: 1 } }).where).toBe('pool');
  });
});

describe('circuit breaker', () => {
  it('opens after three failures in a row, lets one probe through after the pause, and closes on its success', () => {
    const breaker = new CircuitBreaker({ failures: 3, openMs: 1_000 });
    breaker.failure(0);
    breaker.failure(10);
    expect(breaker.allow(20)).toBe(true);
    breaker.failure(20);
    expect(breaker.view(21)).toEqual({ state: 'open', retryInMs: 999 });
    expect(breaker.allow(500)).toBe(false);
    expect(breaker.allow(1_020)).toBe(true);
    // One probe at a time.
    expect(breaker.allow(1_021)).toBe(false);
    breaker.success();
    expect(breaker.view(1_022).state).toBe('closed');
    expect(breaker.allow(1_022)).toBe(true);
  });

  it('waits twice as long after each failed probe, up to the longest pause, and a success resets it', () => {
    const breaker = new CircuitBreaker({ failures: 1, openMs: 1_000, maxOpenMs: 3_000 });
    breaker.failure(0);
    expect(breaker.allow(1_000)).toBe(true);
    breaker.failure(1_000);
    expect(breaker.view(1_000)).toEqual({ state: 'open', retryInMs: 2_000 });
    expect(breaker.allow(3_000)).toBe(true);
    breaker.failure(3_000);
    expect(breaker.view(3_000).retryInMs).toBe(3_000);
    expect(breaker.allow(6_000)).toBe(true);
    breaker.success();
    breaker.failure(7_000);
    expect(breaker.view(7_000).retryInMs).toBe(1_000);
  });

  it('forgets failures that a success interrupts', () => {
    const breaker = new CircuitBreaker({ failures: 2 });
    breaker.failure(0);
    breaker.success();
    breaker.failure(1);
    expect(breaker.allow(2)).toBe(true);
  });
});

describe('placement plan', () => {
  const inputs: PlanInputs = {
    mode: 'when-busy',
    poolAvailable: true,
    poolKnown: true,
    pool: { waitSec: 0, audioSecPerSec: 10, workers: 1 },
    uploadBytesPerSec: 10_000_000,
    localBusySec: 60,
  };
  const waiting = (id: number, fields: Partial<WaitingJob> = {}): WaitingJob => ({ id, placement: 'auto', live: false, audioSec: 600, localSec: 60, sizeBytes: 1_000_000, notice: null, startedOnPool: false, ...fields });

  it('counts the work bound for each side ahead of the next job, so a batch splits between them', () => {
    // Here: 60 s busy, then 60 s per file. Pool: idle, 60 s per file, one worker.
    const plan = planPlacement([waiting(1), waiting(2), waiting(3), waiting(4)], inputs);
    expect([...plan.values()].map((job) => job.where)).toEqual(['pool', 'local', 'pool', 'local']);
    expect(plan.get(3)).toMatchObject({ localEtaSec: 180, poolEtaSec: 120.1 });
  });

  it('holds a job the user sent to the cloud while the pool is down, and work for a pool not heard from yet', () => {
    const down = planPlacement([waiting(1, { placement: 'pool' }), waiting(2)], { ...inputs, poolAvailable: false });
    expect(down.get(1)).toMatchObject({ where: 'pool', hold: true });
    expect(down.get(2)).toMatchObject({ where: 'local', hold: false });
    const unknown = planPlacement([waiting(1)], { ...inputs, mode: 'always', poolKnown: false, pool: null });
    expect(unknown.get(1)).toMatchObject({ where: 'pool', hold: true, reason: 'Asking the pool how it stands…' });
  });

  it('continues a job already on the pool there, unless offload is off or the user chose Run here', () => {
    const started = waiting(1, { startedOnPool: true, audioSec: 1 });
    expect(planPlacement([started], inputs).get(1)).toMatchObject({ where: 'pool', reason: 'It continues on the pool where it stopped.' });
    expect(planPlacement([started], { ...inputs, mode: 'off' }).get(1)!.where).toBe('local');
    expect(planPlacement([{ ...started, placement: 'local', notice: 'The pool failed it.' }], inputs).get(1)).toMatchObject({ where: 'local', reason: 'The pool failed it.' });
  });
});

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../contracts/domain';
import type { VerbatimCore } from '../../core/verbatim-core';
import { openCore, waitForJobs } from '../helpers/core';
import { longTone, probeDuration, scratchDir } from '../helpers/media';

/** Resolves with the worker's pid once the job is detecting speech: decoded, seconds from done. */
async function whenMidJob(core: VerbatimCore): Promise<number> {
  await waitForJobs(core, (jobs) => jobs.some((job) => job.stage === 'detect-speech'));
  const pid = core.supervisor.workerPid;
  if (pid === undefined) throw new Error('no worker running');
  return pid;
}

const only = (jobs: JobView[]): JobView => {
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
};

describe('worker supervisor', () => {
  let longFile: string;
  let core: VerbatimCore | undefined;

  beforeAll(() => {
    // Long enough that speech detection takes seconds, so the job can be interrupted mid-way.
    longFile = longTone(30);
  });

  afterEach(async () => {
    await core?.close();
    core = undefined;
  });

  it('re-runs a job whose worker was SIGKILLed mid-job; it completes on attempt 2', async () => {
    core = openCore(scratchDir('data'), { supervisor: { restartBackoffMs: 100 } });
    const crashes: string[] = [];
    core.supervisor.on('crash', (reason) => crashes.push(reason));
    await core.addFiles([longFile]);
    const pid = await whenMidJob(core);
    process.kill(pid, 'SIGKILL');

    const job = only(await waitForJobs(core, (jobs) => jobs[0]?.state === 'done', 60_000));
    expect(crashes).toEqual(['was killed (SIGKILL)']);
    expect(job.attempts).toBe(2);
    expect(job.error).toBeNull();
    expect(core.supervisor.workerPid).not.toBe(pid);
    expect(job.durationSec).toBeCloseTo(probeDuration(longFile), 1);
  });

  it('kills a worker that stops answering its heartbeat, and retries the job', async () => {
    core = openCore(scratchDir('data'), { supervisor: { heartbeatTimeoutMs: 1_500, restartBackoffMs: 100 } });
    await core.addFiles([longFile]);
    const pid = await whenMidJob(core);
    // A stopped process is alive but silent: exactly what a hung worker looks like.
    process.kill(pid, 'SIGSTOP');

    const job = only(await waitForJobs(core, (jobs) => jobs[0]?.state === 'done', 60_000));
    expect(job.attempts).toBe(2);
  });

  it('keeps a healthy worker when it was this process that stalled: heartbeats waiting to be read are not missed ones', async () => {
    core = openCore(scratchDir('data'), { supervisor: { heartbeatTimeoutMs: 1_500, restartBackoffMs: 100 } });
    const crashes: string[] = [];
    core.supervisor.on('crash', (reason) => crashes.push(reason));
    await core.addFiles([longFile]);
    const pid = await whenMidJob(core);
    // Busy here (a long synchronous call) while the worker goes on sending its heartbeats.
    const until = Date.now() + 4_000;
    while (Date.now() < until);

    const job = only(await waitForJobs(core, (jobs) => jobs[0]?.state === 'done', 60_000));
    expect(crashes).toEqual([]);
    expect(job.attempts).toBe(1);
    expect(core.supervisor.workerPid).toBe(pid);
  });

  it('cancels within a second even when the worker cannot answer: it is killed in time', async () => {
    core = openCore(scratchDir('data'));
    const [added] = await core.addFiles([longFile]);
    const pid = await whenMidJob(core);
    process.kill(pid, 'SIGSTOP');
    const canceledAt = Date.now();
    core.cancel(added!.jobId);
    await waitForJobs(core, (jobs) => jobs[0]?.state === 'canceled', 5_000);
    expect(Date.now() - canceledAt).toBeLessThan(1_000);
    await expect.poll(() => core!.supervisor.workerPid).not.toBe(pid);
  });

  it('fails a job that runs past its time limit, without retrying it', async () => {
    core = openCore(scratchDir('data'), { supervisor: { jobTimeoutMs: 300 } });
    await core.addFiles([longFile]);
    const job = only(await waitForJobs(core, (jobs) => jobs[0]?.state === 'failed'));
    expect(job.error).toBe('Stopped after 0.3 s: the job took longer than its time limit.');
    expect(job.attempts).toBe(1);
  });

  it('cancels a running job within a second, and the next job runs', async () => {
    core = openCore(scratchDir('data'));
    const [first] = await core.addFiles([longFile]);
    await whenMidJob(core);
    const canceledAt = Date.now();
    core.cancel(first!.jobId);
    await waitForJobs(core, (jobs) => jobs[0]?.state === 'canceled', 5_000);
    expect(Date.now() - canceledAt).toBeLessThan(1_000);
    expect(core.listJobs()[0]!.finishedAt).not.toBeNull();

    // The worker is still usable (or replaced): a retry runs to the end.
    await core.retry(first!.jobId);
    const job = only(await waitForJobs(core, (jobs) => jobs[0]?.state === 'done', 60_000));
    expect(job.attempts).toBe(1);
  });

  it('gives up after three crashes, with the reason', async () => {
    core = openCore(scratchDir('data'), { supervisor: { restartBackoffMs: 50 } });
    await core.addFiles([longFile]);
    let kills = 0;
    while (kills < 3) {
      process.kill(await whenMidJob(core), 'SIGKILL');
      kills++;
      await waitForJobs(core, (jobs) => jobs[0]?.state !== 'running' || jobs[0].attempts > kills);
    }
    const job = only(await waitForJobs(core, (jobs) => jobs[0]?.state === 'failed'));
    expect(job.attempts).toBe(3);
    expect(job.error).toBe('The engine process was killed (SIGKILL). Gave up after 3 attempts.');
  });
});

// Resuming mid-file: a worker killed during transcription carries on from its last saved batch of
// windows, on real read speech, and the transcript is the one an uninterrupted run gives.
import { afterEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../contracts/domain';
import type { TranscribeCheckpoint } from '../../contracts/worker-protocol';
import { JobStore } from '../../core/library/job-store';
import type { VerbatimCore } from '../../core/verbatim-core';
import { longRealSpeech } from '../../bench/lib/read-speech';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { scratchDir, sharedAudio } from '../helpers/media';

const OPTIONS = { diarization: 'off' } as const;

describe('resuming mid-file', () => {
  const cores: VerbatimCore[] = [];
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((core) => core.close()));
  });

  function open(): VerbatimCore {
    const core = openCore(scratchDir('data'), { supervisor: { restartBackoffMs: 50 } });
    cores.push(core);
    return core;
  }

  it('a worker killed mid-transcription carries on from its last saved windows: the same transcript as an uninterrupted run, the bar never back at zero, and kills after progress cost no attempt', async () => {
    // Five minutes of real read speech: three batches of four windows on a CPU.
    const { file } = longRealSpeech(sharedAudio, scratchDir('speech'), 5);

    const clean = open();
    const [uninterrupted] = await clean.addFiles([file], OPTIONS);
    await waitForJobs(clean, allFinished, 300_000);
    const expected = clean.editing.get(uninterrupted!.mediaId)!.segments;
    expect(expected.length).toBeGreaterThan(20);

    const core = open();
    const jobs = new JobStore(core.db);
    const [added] = await core.addFiles([file], OPTIONS);
    const id = added!.jobId;
    let lowestAfterKill = 1;
    let highestBeforeKill = 0;
    const job = (views: JobView[]): JobView => views.find((view) => view.id === id)!;
    /** Waits for a checkpoint past `after` (windows decoded), watching the bar meanwhile. */
    const nextCheckpoint = async (after: number): Promise<TranscribeCheckpoint> => {
      let found: TranscribeCheckpoint | null = null;
      await waitForJobs(core, (views) => {
        const view = job(views);
        if (view.state === 'running' && view.stage !== null) lowestAfterKill = Math.min(lowestAfterKill, view.progress);
        found = jobs.checkpoint(id);
        return found !== null && found.seed > after;
      }, 300_000);
      return found!;
    };
    const kill = (): void => {
      highestBeforeKill = Math.max(highestBeforeKill, job(core.listJobs()).progress);
      lowestAfterKill = 1;
      process.kill(core.supervisor.workerPid!, 'SIGKILL');
    };

    // Killed after its first batch: the next run starts from it.
    const first = await nextCheckpoint(0);
    kill();
    // Killed again before it could save anything new (re-reading the file): that crash counts.
    await waitForJobs(core, (views) => job(views).state === 'running' && job(views).stage === 'detect-speech', 120_000);
    kill();
    // Resumed: its next checkpoint follows the first, nothing decoded twice before it.
    const second = await nextCheckpoint(first.seed);
    expect(second.segments.slice(0, first.segments.length)).toEqual(first.segments);
    expect(lowestAfterKill).toBeGreaterThanOrEqual(highestBeforeKill - 0.05);
    kill();

    const [done] = (await waitForJobs(core, allFinished, 300_000)).filter((view) => view.id === id);
    expect(done).toMatchObject({ state: 'done', error: null });
    // Three kills: two came after progress and cost nothing; the one before any was an attempt.
    expect(done!.attempts).toBe(2);
    expect(core.editing.get(added!.mediaId)!.segments).toEqual(expected);
    expect(jobs.checkpoint(id)).toBeNull();
  }, 600_000);
});

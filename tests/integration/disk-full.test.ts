// A full disk holds the queue with one message saying how much to free, instead of failing every file in
// turn, and the queue carries on by itself once the space is back. The disk's free space is the one thing
// stood in for: a test cannot fill the machine's disk.
import { afterEach, describe, expect, it } from 'vitest';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { readSpeechTake } from '../helpers/live';
import { scratchDir } from '../helpers/media';

describe('a full disk', () => {
  let core: VerbatimCore | undefined;
  afterEach(async () => {
    await core?.close();
    core = undefined;
  });

  it('holds the queue saying how much to free, spends no attempt, and carries on when space returns', async () => {
    let free = 100e6;
    core = openCore(scratchDir('data'), { freeBytes: async () => free });
    const said: Array<string | null> = [];
    core.onApiEvent((event, payload) => event === 'queue.changed' && said.push((payload as { held: string | null }).held));
    await core.addFiles([readSpeechTake(2).wav, readSpeechTake(3).wav], { diarization: 'off' });

    await waitForJobs(core, () => core!.queueState().held !== null, 30_000);
    const held = core.queueState().held!;
    expect(held).toMatch(/^The disk is full: free \d+ MB on the disk that holds .+pcm and the queue carries on by itself\.$/);
    expect(said).toEqual([held]);
    // Held, not failed: both wait in their places, no attempt spent.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(core.listJobs().map((job) => [job.state, job.attempts, job.error])).toEqual([
      ['queued', 0, null],
      ['queued', 0, null],
    ]);

    free = 1e12;
    const jobs = await waitForJobs(core, allFinished, 120_000);
    expect(jobs.map((job) => job.state)).toEqual(['done', 'done']);
    expect(core.queueState().held).toBeNull();
    expect(said).toEqual([held, null]);
  });
});

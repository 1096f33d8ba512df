import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../contracts/domain';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { ffmpeg, longTone, scratchDir } from '../helpers/media';

describe('jobs.changed events', () => {
  let core: VerbatimCore | undefined;
  afterAll(async () => core?.close());

  it('arrive at most ten a second, carry only what changed, and add up to the true state', async () => {
    const dir = scratchDir('events');
    const long = longTone(30);
    // Thirty short, distinct recordings queued behind the long one.
    const tones = Array.from({ length: 30 }, (_, i) => {
      const file = path.join(dir, `tone-${i}.wav`);
      ffmpeg('-f', 'lavfi', '-i', `sine=frequency=${200 + 10 * i}:duration=1`, file);
      return file;
    });
    core = openCore(scratchDir('data'));
    const events: { at: number; jobs: JobView[] }[] = [];
    core.on('jobs.changed', (jobs) => events.push({ at: Date.now(), jobs }));
    await core.addFiles([long, ...tones]);
    const final = await waitForJobs(core, (jobs) => jobs.length === 31 && allFinished(jobs), 60_000);
    // The last change reaches listeners with the coalescer's next flush, up to 100 ms later.
    await new Promise((resolve) => setTimeout(resolve, 250));

    // Rate: never more than ten events in any one second.
    for (const { at } of events) expect(events.filter((e) => e.at >= at && e.at < at + 1_000).length).toBeLessThanOrEqual(10);

    // While the long file is worked on, most events carry it alone, not the thirty jobs behind it.
    const decoding = events.filter(({ jobs }) =>
      jobs.some((job) => job.path === long && job.state === 'running' && job.stage === 'detect-speech'),
    );
    expect(decoding.length).toBeGreaterThanOrEqual(3);
    const sizes = decoding.map(({ jobs }) => jobs.length).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThanOrEqual(2);

    // Nothing is lost: replaying the events gives exactly the state the core holds.
    const replayed = new Map<number, JobView>();
    for (const { jobs } of events) for (const job of jobs) replayed.set(job.id, job);
    const strip = (job: JobView) => ({ id: job.id, state: job.state, progress: job.progress, error: job.error, position: job.position });
    expect([...replayed.values()].map(strip).sort((a, b) => a.id - b.id)).toEqual(final.map(strip));
  });
});

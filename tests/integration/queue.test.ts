import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobKind } from '../../contracts/domain';
import { JobError } from '../../core/errors';
import { Database } from '../../core/library/database';
import { JobStore, type JobRecord } from '../../core/library/job-store';
import { MediaStore } from '../../core/library/media-store';
import { JobQueue, type JobRunner, type RunContext } from '../../core/queue/job-queue';
import { MediaIntake } from '../../core/queue/media-intake';
import { scratchDir } from '../helpers/media';

/** A runner the test drives by hand: each started job waits until the test settles it. */
class ManualRunner {
  readonly started: JobRecord[] = [];
  private readonly pending = new Map<number, { resolve(): void; reject(error: unknown): void; context: RunContext }>();

  readonly run: JobRunner = (job, context) =>
    new Promise<void>((resolve, reject) => {
      this.started.push(job);
      this.pending.set(job.id, { resolve, reject, context });
      context.signal.addEventListener('abort', () => reject(new Error('aborted')));
    });

  finish(id: number): void {
    this.take(id).resolve();
  }

  fail(id: number, error: unknown): void {
    this.take(id).reject(error);
  }

  context(id: number): RunContext {
    return this.pending.get(id)!.context;
  }

  private take(id: number) {
    const entry = this.pending.get(id);
    if (!entry) throw new Error(`job ${id} is not running`);
    this.pending.delete(id);
    return entry;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

function setup(file = path.join(scratchDir('queue'), 'library.sqlite')) {
  const db = new Database(file, { log: () => undefined });
  const store = new JobStore(db);
  const media = new MediaStore(db);
  const runner = new ManualRunner();
  const queue = new JobQueue(store, { runners: { 'process-media': runner.run, export: runner.run }, onChange: () => undefined });
  const addJob = (name: string, priority = 0, kind: JobKind = 'process-media'): number => {
    const { id } = media.upsert({ path: `/recordings/${name}`, contentHash: name, sizeBytes: 1000 });
    const jobId = store.create(id, kind);
    if (priority !== 0) store.setPriority(jobId, priority);
    return jobId;
  };
  return { db, store, media, runner, queue, addJob, file };
}

describe('job queue', () => {
  const opened: Database[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });
  const open = (file?: string) => {
    const env = setup(file);
    opened.push(env.db);
    return env;
  };

  it('runs one heavy job at a time, highest priority first, then first come first served', async () => {
    const { store, runner, queue, addJob } = open();
    const a = addJob('a.wav');
    const b = addJob('b.wav');
    const urgent = addJob('urgent.wav', 5);
    queue.start();
    expect(runner.started.map((job) => job.id)).toEqual([urgent]);
    expect(store.get(a)!.state).toBe('queued');

    runner.finish(urgent);
    await settle();
    expect(runner.started.map((job) => job.id)).toEqual([urgent, a]);
    queue.setPriority(b, 10);
    runner.finish(a);
    await settle();
    runner.finish(b);
    await settle();
    expect(store.list().map((job) => [job.id, job.state, job.attempts])).toEqual([
      [a, 'done', 1],
      [b, 'done', 1],
      [urgent, 'done', 1],
    ]);
  });

  it('lets the light lane run while the heavy lane is busy', async () => {
    const { runner, queue, addJob } = open();
    const heavy = addJob('long-interview.wav');
    const waiting = addJob('next-interview.wav');
    const light = addJob('interview.wav', 0, 'export');
    queue.start();
    expect(runner.started.map((job) => [job.id, job.lane])).toEqual([
      [heavy, 'heavy'],
      [light, 'light'],
    ]);
    expect(runner.started.map((job) => job.id)).not.toContain(waiting);
  });

  it('cancels queued jobs at once and running jobs through their abort signal', async () => {
    const { store, runner, queue, addJob } = open();
    const running = addJob('a.wav');
    const waiting = addJob('b.wav');
    queue.start();
    queue.cancel(waiting);
    expect(store.get(waiting)!.state).toBe('canceled');

    expect(runner.context(running).signal.aborted).toBe(false);
    queue.cancel(running);
    expect(runner.context(running).signal.aborted).toBe(true);
    await settle();
    expect(store.get(running)).toMatchObject({ state: 'canceled', error: null });
    expect(runner.started.map((job) => job.id)).toEqual([running]);

    queue.retry(waiting);
    expect(runner.started.map((job) => job.id)).toEqual([running, waiting]);
    expect(store.get(waiting)).toMatchObject({ state: 'running', attempts: 1 });
  });

  it('retries crashes up to three attempts, but fails bad input at once', async () => {
    const { store, runner, queue, addJob } = open();
    const crashy = addJob('crashy.wav');
    const bad = addJob('bad.wav');
    queue.start();
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(store.get(crashy)).toMatchObject({ state: 'running', attempts: attempt });
      runner.fail(crashy, new JobError('The engine process was killed (SIGKILL).', 'worker-crashed', true));
      await settle();
    }
    expect(store.get(crashy)).toMatchObject({
      state: 'failed',
      attempts: 3,
      error: 'The engine process was killed (SIGKILL). Gave up after 3 attempts.',
    });
    runner.fail(bad, new JobError('“bad.wav” is empty (0 bytes).', 'empty'));
    await settle();
    expect(store.get(bad)).toMatchObject({ state: 'failed', attempts: 1, error: '“bad.wav” is empty (0 bytes).' });
  });

  it('puts jobs a crash left running back in the queue on the next start, the crash costing them no attempt', async () => {
    const first = open();
    const a = first.addJob('a.wav');
    const b = first.addJob('b.wav');
    first.queue.start();
    expect(first.store.get(a)!.state).toBe('running');
    // The app dies here: no stop(), the database is simply opened again by the next launch.
    const second = open(first.file);
    expect(second.store.get(a)!.state).toBe('running');
    second.queue.start();
    expect(second.runner.started.map((job) => [job.id, job.attempts])).toEqual([[a, 1]]);
    second.runner.finish(a);
    await settle();
    second.runner.finish(b);
    await settle();
    expect(second.store.list().map((job) => job.state)).toEqual(['done', 'done']);
  });

  it('on a clean stop, interrupts running jobs without spending an attempt', async () => {
    const { store, runner, queue, addJob } = open();
    const a = addJob('a.wav');
    queue.start();
    expect(runner.started).toHaveLength(1);
    await queue.stop();
    expect(store.get(a)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('records progress on the running job only, clamped to 0…1', async () => {
    const { store, runner, queue, addJob } = open();
    const a = addJob('a.wav');
    queue.start();
    runner.context(a).progress({ stage: 'decode', progress: 1.7 });
    expect(store.get(a)).toMatchObject({ stage: 'decode', progress: 1 });
    runner.context(a).progress({ stage: 'decode', progress: 0.4 });
    expect(store.get(a)!.progress).toBe(0.4);
  });

  it('a job whose recording is removed while it runs ends quietly, finished or failed, and the next one runs', async () => {
    const { db, store, runner, queue, addJob } = open();
    const a = addJob('a.wav');
    const b = addJob('b.wav');
    const c = addJob('c.wav');
    queue.start();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): number => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // Removing a recording deletes its jobs (media.remove); the runner's outcome comes afterwards.
      db.run('DELETE FROM media WHERE id = ?', [store.get(a)!.mediaId]);
      runner.finish(a);
      await settle();
      expect(runner.started.map((job) => job.id)).toEqual([a, b]);
      db.run('DELETE FROM media WHERE id = ?', [store.get(b)!.mediaId]);
      runner.fail(b, new JobError('The file is gone.', 'bad-input'));
      await settle();
      expect(runner.started.map((job) => job.id)).toEqual([a, b, c]);
      expect(store.get(c)!.state).toBe('running');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('transcribing again: a running job refuses before anything changes, a waiting one takes the new options, a finished one gets a new job with them', async () => {
    const { store, media, runner, queue, addJob } = open();
    const changed: number[][] = [];
    const intake = new MediaIntake({ media, jobs: store, queue, mark: () => undefined, changed: (ids) => changed.push(ids) });
    const first = addJob('first.wav');
    const second = addJob('second.wav');
    queue.start();
    const [firstMedia, secondMedia] = [store.get(first)!.mediaId, store.get(second)!.mediaId];
    const english = { language: 'en', speakers: { exact: 2, min: null, max: null } };
    expect(() => intake.retranscribe([secondMedia, firstMedia], english)).toThrow('“first.wav” is being transcribed right now');
    expect(store.get(second)!.options).toEqual({});
    expect(changed).toEqual([]);

    expect(intake.retranscribe([secondMedia], english).map((outcome) => outcome.jobId)).toEqual([second]);
    expect(store.get(second)!.options).toEqual(english);
    runner.finish(first);
    await settle();
    expect(runner.started.at(-1)).toMatchObject({ id: second, options: english });
    runner.finish(second);
    await settle();

    const [again] = intake.retranscribe([firstMedia], { diarization: 'off' });
    expect(again!.jobId).not.toBe(first);
    expect(runner.started.at(-1)).toMatchObject({ id: again!.jobId, mediaId: firstMedia, options: { diarization: 'off' } });
    expect(() => intake.retranscribe([9999], {})).toThrow('There is no media 9999.');
  });
});

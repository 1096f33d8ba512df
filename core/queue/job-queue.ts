import type { JobKind, Lane, RunsOn, Stage } from '../../contracts/domain';
import { BackToQueueError, CanceledError, JobError, oneLine } from '../errors';
import type { JobRecord, JobStore } from '../library/job-store';
import { DiskFullError } from './disk-space';
import { isFinished } from './job-state';

export interface ProgressUpdate {
  stage: Stage;
  progress: number;
}

export interface RunContext {
  /** Aborted when the user cancels; the runner must settle within a second. */
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
}

export type JobRunner = (job: JobRecord, context: RunContext) => Promise<void>;

/** The abort reason when the app closes, not the user canceling: work elsewhere (the pool) carries on and is picked up again. */
export const CLOSING = new Error('Verbatim is closing.');

/**
 * Somewhere besides this machine that takes jobs (the cloud pool). Its jobs run beside the lane's
 * local ones, up to its own capacity.
 */
export interface RemoteDispatch {
  /** Where each of the lane's waiting jobs (in their order) should run, asked again before every start; a job left out waits. */
  plan(lane: Lane, waiting: readonly JobRecord[]): ReadonlyMap<number, RunsOn>;
  runner: JobRunner;
  capacity: number;
}

export interface JobQueueOptions {
  runners: Record<JobKind, JobRunner>;
  remote?: RemoteDispatch;
  /** How many jobs each lane runs at once. */
  concurrency?: Partial<Record<Lane, number>>;
  /** A job whose worker crashes this many times fails for good. */
  maxAttempts?: number;
  onChange(jobId: number): void;
  /** A lane's waiting jobs changed (added, reordered, canceled, retried): the engine's look ahead follows. */
  onWaitingChanged?(lane: Lane): void;
  onFinished?(job: JobRecord): void;
  /** The heavy lane held (the disk is full) or let go again: null. */
  onHeld?(reason: string | null): void;
  log?(message: string): void;
}

const LANES: readonly Lane[] = ['heavy', 'light'];

/**
 * The persistent queue. SQLite holds every job's state, so a restart (or a crash) loses nothing:
 * jobs found running at start-up go back to the queue. Two lanes keep quick work from waiting
 * behind a long transcription.
 */
export class JobQueue {
  private readonly running = new Map<number, { lane: Lane; on: RunsOn; controller: AbortController; settled: Promise<void> }>();
  private readonly concurrency: Record<Lane, number>;
  private readonly maxAttempts: number;
  private stopped = true;
  /** Why the heavy lane starts nothing now (the disk is full); null while it runs. */
  private heldFor: string | null = null;

  constructor(
    private readonly store: JobStore,
    private readonly options: JobQueueOptions,
  ) {
    this.concurrency = { heavy: 1, light: 2, ...options.concurrency };
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  /** Recovers jobs a crash left running, then starts working. */
  start(): void {
    for (const job of this.store.inState('running')) {
      // The app itself stopped (a crash, a power cut): not the job's doing, so it costs no attempt.
      this.store.apply(job.id, 'requeue', { error: 'Interrupted when Verbatim closed; resuming.', refundAttempt: true });
      this.options.log?.(`[queue] job ${job.id} was running when the app stopped; queued again`);
    }
    this.stopped = false;
    for (const lane of LANES) this.pump(lane);
  }

  /**
   * Stops dispatching and interrupts running jobs without counting the interruption against them;
   * they run again on the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const interrupted = [...this.running.entries()];
    for (const [, run] of interrupted) run.controller.abort(CLOSING);
    await Promise.all(interrupted.map(([, run]) => run.settled));
    for (const [id] of interrupted) {
      if (this.store.get(id)?.state === 'running') this.store.apply(id, 'requeue', { refundAttempt: true });
    }
  }

  get held(): string | null {
    return this.heldFor;
  }

  /** Starts nothing more in the heavy lane until release(): what runs finishes, what waits keeps its place. */
  hold(reason: string): void {
    this.heldFor = reason;
    this.options.onHeld?.(reason);
  }

  release(): void {
    if (this.heldFor === null) return;
    this.heldFor = null;
    this.options.onHeld?.(null);
    this.pump('heavy');
  }

  /** Call after adding jobs. */
  wake(): void {
    for (const lane of LANES) {
      this.pump(lane);
      this.options.onWaitingChanged?.(lane);
    }
  }

  cancel(jobId: number): void {
    const job = this.requireJob(jobId);
    const run = this.running.get(jobId);
    if (run) {
      run.controller.abort();
      return;
    }
    if (isFinished(job.state)) return;
    this.store.apply(jobId, 'cancel');
    this.options.onChange(jobId);
    this.options.onWaitingChanged?.(job.lane);
  }

  retry(jobId: number): void {
    const job = this.store.apply(this.requireJob(jobId).id, 'retry');
    this.options.onChange(jobId);
    this.pump(job.lane);
    this.options.onWaitingChanged?.(job.lane);
  }

  setPriority(jobId: number, priority: number): void {
    const job = this.requireJob(jobId);
    this.store.setPriority(jobId, priority);
    for (const queued of this.store.queued(job.lane)) this.options.onChange(queued.id);
    this.options.onWaitingChanged?.(job.lane);
  }

  /**
   * Puts waiting jobs in the given order by giving them descending priorities, first highest. Jobs
   * that are not waiting (they started meanwhile) are skipped; waiting jobs not named keep theirs.
   */
  reorder(jobIds: readonly number[]): void {
    const waiting = jobIds.map((id) => this.requireJob(id)).filter((job) => job.state === 'queued');
    this.store.transaction(() => waiting.forEach((job, index) => this.store.setPriority(job.id, waiting.length - index)));
    for (const lane of new Set(waiting.map((job) => job.lane))) {
      for (const queued of this.store.queued(lane)) this.options.onChange(queued.id);
      this.options.onWaitingChanged?.(lane);
    }
  }

  private pump(lane: Lane): void {
    const { remote } = this.options;
    while (!this.stopped && !(lane === 'heavy' && this.heldFor !== null)) {
      const waiting = this.store.queued(lane);
      if (!waiting.length) return;
      const plan = remote?.plan(lane, waiting);
      // A job the plan leaves out waits for a side that cannot take it now.
      const where = (job: JobRecord): RunsOn | undefined => (plan ? plan.get(job.id) : 'local');
      const toPool = remote && this.countRunning(lane, 'pool') < remote.capacity ? waiting.find((job) => where(job) === 'pool') : undefined;
      const toLocal = this.countRunning(lane, 'local') < this.concurrency[lane] ? waiting.find((job) => where(job) === 'local') : undefined;
      const next = toPool ?? toLocal;
      if (!next) return;
      this.execute(this.store.apply(next.id, 'start', { runsOn: next === toPool ? 'pool' : 'local' }));
    }
  }

  private execute(job: JobRecord): void {
    const controller = new AbortController();
    const on = job.runsOn ?? 'local';
    const settled = this.runToOutcome(job, controller.signal).finally(() => {
      this.running.delete(job.id);
      this.options.onChange(job.id);
      for (const queued of this.store.queued(job.lane)) this.options.onChange(queued.id);
      this.pump(job.lane);
    });
    this.running.set(job.id, { lane: job.lane, on, controller, settled });
    this.options.onChange(job.id);
  }

  private async runToOutcome(job: JobRecord, signal: AbortSignal): Promise<void> {
    const context: RunContext = {
      signal,
      progress: ({ stage, progress }) => {
        this.store.saveProgress(job.id, stage, Math.min(1, Math.max(0, progress)));
        this.options.onChange(job.id);
      },
    };
    // A job removed with its recording while it ran (media.remove) has no row left to record an outcome in.
    const gone = (): boolean => this.store.get(job.id) === undefined;
    const runner = job.runsOn === 'pool' && this.options.remote ? this.options.remote.runner : this.options.runners[job.kind];
    try {
      await runner(job, context);
      if (!gone()) this.finishWith(this.store.apply(job.id, 'complete'));
    } catch (error) {
      if (this.stopped || gone()) return;
      if (error instanceof DiskFullError && !signal.aborted) {
        this.options.log?.(`[queue] job ${job.id} waits: ${error.message}`);
        this.store.apply(job.id, 'requeue', { refundAttempt: true });
        this.hold(error.message);
      } else if (error instanceof BackToQueueError && !signal.aborted) {
        this.options.log?.(`[queue] job ${job.id} back in line: ${error.message}`);
        this.store.apply(job.id, 'requeue', { refundAttempt: true });
      } else if (signal.aborted || error instanceof CanceledError) {
        this.finishWith(this.store.apply(job.id, 'cancel'));
      } else if (error instanceof JobError && error.retryable && job.attempts < this.maxAttempts) {
        this.options.log?.(`[queue] job ${job.id} attempt ${job.attempts} failed (${error.message}); retrying`);
        this.store.apply(job.id, 'requeue', { error: `Attempt ${job.attempts} failed: ${error.message} Retrying.` });
      } else {
        const message =
          error instanceof JobError && error.retryable
            ? `${error.message} Gave up after ${job.attempts} attempts.`
            : oneLine(error);
        if (!(error instanceof JobError)) this.options.log?.(`[queue] job ${job.id} failed: ${String(error)}`);
        this.finishWith(this.store.apply(job.id, 'fail', { error: message, errorCode: error instanceof JobError ? error.code : null }));
      }
    }
  }

  private finishWith(job: JobRecord): void {
    this.options.onFinished?.(job);
  }

  private countRunning(lane: Lane, on: RunsOn): number {
    let count = 0;
    for (const run of this.running.values()) if (run.lane === lane && run.on === on) count++;
    return count;
  }

  private requireJob(jobId: number): JobRecord {
    const job = this.store.get(jobId);
    if (!job) throw new JobError(`There is no job ${jobId}.`, 'not-found');
    return job;
  }
}

import { EventEmitter } from 'node:events';
import {
  FromWorker,
  type ProcessMediaInput,
  type ProcessMediaOutput,
  type SpeechFound,
  type TranscribeCheckpoint,
  type WorkerProgress,
} from '../../contracts/worker-protocol';
import type { JobKind, Segment, Transcript } from '../../contracts/domain';
import { CanceledError, JobError, JobTimeoutError, WorkerCrashError } from '../errors';
import { watchSilence } from './silence-watch';
import { describeExit, type WorkerExit, type WorkerHandle, type WorkerSpawner } from './worker-handle';

export interface SupervisorOptions {
  spawn: WorkerSpawner;
  /** A worker silent for this long is stuck and gets killed. */
  heartbeatTimeoutMs?: number;
  /** The longest one job may run, unless its run request says otherwise. */
  jobTimeoutMs?: number;
  /** How long a canceled job may take to stop before its worker is killed. */
  cancelGraceMs?: number;
  /** A worker with nothing to do for this long is shut down to give its memory back. */
  idleShutdownMs?: number;
  /** First delay before restarting after a crash; doubles with each crash in a row. */
  restartBackoffMs?: number;
  maxRestartBackoffMs?: number;
  readyTimeoutMs?: number;
}

export interface RunRequest {
  jobId: number;
  kind: JobKind;
  input: ProcessMediaInput;
  signal: AbortSignal;
  onProgress(update: WorkerProgress): void;
  /** The transcript before diarization, for the caller to keep. */
  onTranscript?(transcript: Transcript): void;
  /** Where transcription stands after each batch of windows (asked for with `input.checkpoints`). */
  onCheckpoint?(checkpoint: TranscribeCheckpoint): void;
  /** Each batch of windows' new segments, while transcription runs. */
  onSegments?(segments: Segment[]): void;
  /** This job's time limit; defaults to the supervisor's. */
  timeoutMs?: number;
  /** The files queued next, in order: the worker decodes them, and may transcribe them, while this job runs. */
  ahead?: ProcessMediaInput[];
}

export interface RunResult {
  output: ProcessMediaOutput;
  maxRssBytes: number;
  modelsOpened: number;
}

interface ActiveJob {
  jobId: number;
  settle(outcome: { result: RunResult } | { error: Error }): void;
  onProgress(update: WorkerProgress): void;
  onTranscript?(transcript: Transcript): void;
  onCheckpoint?(checkpoint: TranscribeCheckpoint): void;
  onSegments?(segments: Segment[]): void;
}

interface LiveWorker {
  handle: WorkerHandle;
  ready: Promise<void>;
  lastHeartbeat: number;
  /** Set when we end the worker on purpose, so its exit is not taken for a crash. */
  expectedExit: boolean;
  active?: ActiveJob;
}

type SupervisorEvents = {
  spawn: [pid: number | undefined];
  crash: [reason: string];
  log: [message: string];
  /** How much of a file is speech: the job's own, or a queued one the worker looked at ahead. */
  'speech-found': [cacheKey: string, found: SpeechFound];
};

/**
 * Starts the engine worker on demand, runs one job at a time in it, and keeps it honest: a
 * heartbeat watchdog, a per-job time limit, cancel with a hard deadline, and restarts with backoff
 * after a crash. A crash fails the current job with a retryable error; the queue decides whether
 * to run it again.
 */
export class WorkerSupervisor extends EventEmitter<SupervisorEvents> {
  private worker: LiveWorker | undefined;
  private crashesInARow = 0;
  private restartNotBefore = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private disposed = false;
  private yielding = false;
  private readonly o: Required<Omit<SupervisorOptions, 'spawn'>>;

  constructor(private readonly options: SupervisorOptions) {
    super();
    this.o = {
      heartbeatTimeoutMs: 10_000,
      jobTimeoutMs: 6 * 3600_000,
      // Cancel is promised within a second: the kill, and marking the job, must fit in that second too.
      cancelGraceMs: 700,
      idleShutdownMs: 60_000,
      restartBackoffMs: 250,
      maxRestartBackoffMs: 15_000,
      readyTimeoutMs: 20_000,
      ...stripUndefined(options),
    };
  }

  /**
   * While a recording's captions are behind, the engine pauses between batches of windows (and
   * resumes when this is cleared); a worker started meanwhile is told as soon as it is ready.
   */
  setYield(yielding: boolean): void {
    if (this.yielding === yielding) return;
    this.yielding = yielding;
    this.worker?.handle.send({ type: 'yield', yielding });
  }

  get workerPid(): number | undefined {
    return this.worker?.handle.pid;
  }

  async run(request: RunRequest): Promise<RunResult> {
    if (this.worker?.active) throw new Error('The engine is already running a job.');
    clearTimeout(this.idleTimer);
    await this.waitForRestartBackoff(request.signal);
    const worker = this.ensureWorker();
    await abortable(worker.ready, request.signal);
    // It may have died after saying it was ready; nobody would then answer the run message.
    if (this.worker !== worker) throw new WorkerCrashError('stopped before the job could start');

    return new Promise<RunResult>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const onAbort = (): void => {
        worker.handle.send({ type: 'cancel', jobId: request.jobId });
        timers.push(
          setTimeout(() => {
            this.emit('log', `[supervisor] job ${request.jobId} did not stop within ${this.o.cancelGraceMs} ms; killing the worker`);
            this.killOnPurpose(worker);
            active.settle({ error: new CanceledError() });
          }, this.o.cancelGraceMs),
        );
      };
      const active: ActiveJob = {
        jobId: request.jobId,
        onProgress: request.onProgress,
        onTranscript: request.onTranscript,
        onCheckpoint: request.onCheckpoint,
        onSegments: request.onSegments,
        settle: (outcome) => {
          if (worker.active !== active) return;
          worker.active = undefined;
          timers.forEach(clearTimeout);
          request.signal.removeEventListener('abort', onAbort);
          this.scheduleIdleShutdown();
          if ('result' in outcome) {
            this.crashesInARow = 0;
            resolve(outcome.result);
          } else reject(outcome.error);
        },
      };
      worker.active = active;
      const timeoutMs = request.timeoutMs ?? this.o.jobTimeoutMs;
      timers.push(
        setTimeout(() => {
          this.killOnPurpose(worker);
          active.settle({ error: new JobTimeoutError(timeoutMs) });
        }, timeoutMs),
      );
      request.signal.addEventListener('abort', onAbort, { once: true });
      worker.handle.send({ type: 'run', jobId: request.jobId, kind: request.kind, input: request.input });
      if (request.ahead?.length) worker.handle.send({ type: 'ahead', inputs: request.ahead });
    });
  }

  /** The files now queued after the running job: the worker drops those no longer among them and looks at the new ones. */
  planAhead(inputs: ProcessMediaInput[]): void {
    if (this.worker?.active) this.worker.handle.send({ type: 'ahead', inputs });
  }

  /** Ends the worker; the supervisor can be used no more. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.idleTimer);
    clearInterval(this.watchdog);
    const worker = this.worker;
    if (!worker) return;
    worker.expectedExit = true;
    worker.active?.settle({ error: new CanceledError() });
    worker.handle.send({ type: 'shutdown' });
    // A worker busy in native code may not read the shutdown message.
    setTimeout(() => worker.handle.kill(), 2_000).unref();
    this.worker = undefined;
  }

  private ensureWorker(): LiveWorker {
    if (this.disposed) throw new JobError('Verbatim is shutting down.', 'shutting-down');
    if (this.worker) return this.worker;
    const handle = this.options.spawn();
    let markReady!: () => void;
    let failReady!: (error: Error) => void;
    const worker: LiveWorker = {
      handle,
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failReady = reject;
      }),
      lastHeartbeat: Date.now(),
      expectedExit: false,
    };
    // Nobody may be awaiting `ready` when it fails (e.g. an idle worker crashing).
    worker.ready.catch(() => undefined);
    const readyTimer = setTimeout(() => {
      failReady(new WorkerCrashError('did not start in time'));
      this.killOnPurpose(worker);
    }, this.o.readyTimeoutMs);

    handle.onMessage((raw) => {
      const parsed = FromWorker.safeParse(raw);
      if (!parsed.success) {
        this.emit('log', `[supervisor] ignored an invalid message from the worker: ${parsed.error.message}`);
        return;
      }
      worker.lastHeartbeat = Date.now();
      const message = parsed.data;
      switch (message.type) {
        case 'ready':
          clearTimeout(readyTimer);
          if (this.yielding) handle.send({ type: 'yield', yielding: true });
          markReady();
          break;
        case 'heartbeat':
          break;
        case 'progress':
          if (worker.active?.jobId === message.jobId) worker.active.onProgress(message.update);
          break;
        case 'checkpoint':
          if (worker.active?.jobId === message.jobId) worker.active.onCheckpoint?.(message.checkpoint);
          break;
        case 'segments':
          if (worker.active?.jobId === message.jobId) worker.active.onSegments?.(message.segments);
          break;
        case 'transcript':
          if (worker.active?.jobId === message.jobId) worker.active.onTranscript?.(message.transcript);
          break;
        case 'speech-found':
          this.emit('speech-found', message.cacheKey, message.found);
          break;
        case 'done':
          if (worker.active?.jobId === message.jobId)
            worker.active.settle({ result: { output: message.output, maxRssBytes: message.maxRssBytes, modelsOpened: message.modelsOpened } });
          break;
        case 'failed':
          if (worker.active?.jobId === message.jobId)
            worker.active.settle({ error: new JobError(message.error.message, message.error.code) });
          break;
        case 'canceled':
          if (worker.active?.jobId === message.jobId) worker.active.settle({ error: new CanceledError() });
          break;
      }
    });

    handle.onExit((exit) => {
      clearTimeout(readyTimer);
      if (this.worker === worker) this.worker = undefined;
      if (!this.worker) clearInterval(this.watchdog);
      if (worker.expectedExit) return;
      this.onCrash(worker, exit, failReady);
    });

    this.worker = worker;
    this.startWatchdog();
    this.emit('spawn', handle.pid);
    return worker;
  }

  private onCrash(worker: LiveWorker, exit: WorkerExit, failReady: (error: Error) => void): void {
    const reason = describeExit(exit);
    this.crashesInARow++;
    const backoff = Math.min(this.o.maxRestartBackoffMs, this.o.restartBackoffMs * 2 ** (this.crashesInARow - 1));
    this.restartNotBefore = Date.now() + backoff;
    this.emit('crash', reason);
    this.emit('log', `[supervisor] worker ${worker.handle.pid ?? '?'} ${reason}; next start in ${backoff} ms`);
    const error = new WorkerCrashError(reason);
    failReady(error);
    worker.active?.settle({ error });
  }

  private startWatchdog(): void {
    clearInterval(this.watchdog);
    this.watchdog = watchSilence(
      () => this.worker?.lastHeartbeat,
      this.o.heartbeatTimeoutMs,
      () => {
        const worker = this.worker!;
        this.emit('log', `[supervisor] worker ${worker.handle.pid ?? '?'} missed its heartbeat; killing it`);
        // Not on purpose: its exit is handled as a crash, so the job is retried.
        worker.handle.kill();
      },
    );
  }

  private killOnPurpose(worker: LiveWorker): void {
    worker.expectedExit = true;
    if (this.worker === worker) this.worker = undefined;
    worker.handle.kill();
  }

  private scheduleIdleShutdown(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const worker = this.worker;
      if (!worker || worker.active) return;
      worker.expectedExit = true;
      worker.handle.send({ type: 'shutdown' });
      this.worker = undefined;
    }, this.o.idleShutdownMs);
    this.idleTimer.unref();
  }

  private async waitForRestartBackoff(signal: AbortSignal): Promise<void> {
    const wait = this.restartNotBefore - Date.now();
    if (wait > 0) await abortable(new Promise((resolve) => setTimeout(resolve, wait)), signal);
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new CanceledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CanceledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// Errors that decide what happens to a job. Their messages are shown to people as they are, so
// each is one plain sentence.

export class JobError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** True when running the job again may well succeed (the worker died, not the input). */
    readonly retryable = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class CanceledError extends JobError {
  constructor() {
    super('Canceled.', 'canceled');
  }
}

export class WorkerCrashError extends JobError {
  constructor(reason: string) {
    super(`The engine process ${reason}.`, 'worker-crashed', true);
  }
}

export class JobTimeoutError extends JobError {
  constructor(limitMs: number) {
    const seconds = (limitMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 });
    super(`Stopped after ${seconds} s: the job took longer than its time limit.`, 'timeout');
  }
}

/**
 * The job cannot run where it was sent (the pool refused it, lost it twice, or cannot be reached):
 * it goes back to its place in line, the attempt not counted, to run where the queue sends it next.
 */
export class BackToQueueError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'BackToQueueError';
  }
}

/** Reduces any error to one readable line; stack traces stay in the log. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((line) => line.trim() !== '') ?? 'Something went wrong.';
  return first.trim().slice(0, 500);
}

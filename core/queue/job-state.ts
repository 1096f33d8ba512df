// The job state machine, explicit as in BullMQ: every change of state goes through `transition`,
// so an impossible move (finishing a queued job, cancelling a done one) is an error, not a quiet bug.
import type { JobState } from '../../contracts/domain';

export type JobEvent =
  | 'start' // queued → running
  | 'complete' // running → done
  | 'fail' // running → failed, or queued → failed when it cannot even start
  | 'cancel' // queued | running → canceled
  | 'requeue' // running → queued: the worker died or the app crashed mid-job
  | 'retry'; // failed | canceled | done → queued, by the user (done: transcribe again, with other settings)

const transitions: Record<JobEvent, Partial<Record<JobState, JobState>>> = {
  start: { queued: 'running' },
  complete: { running: 'done' },
  fail: { running: 'failed', queued: 'failed' },
  cancel: { queued: 'canceled', running: 'canceled' },
  requeue: { running: 'queued' },
  retry: { failed: 'queued', canceled: 'queued', done: 'queued' },
};

export class InvalidTransitionError extends Error {
  readonly code = 'invalid-transition';
  constructor(from: JobState, event: JobEvent) {
    super(`A ${from} job cannot ${event}.`);
  }
}

export function transition(from: JobState, event: JobEvent): JobState {
  const to = transitions[event][from];
  if (!to) throw new InvalidTransitionError(from, event);
  return to;
}

export function canTransition(from: JobState, event: JobEvent): boolean {
  return transitions[event][from] !== undefined;
}

export const isFinished = (state: JobState): boolean => state === 'done' || state === 'failed' || state === 'canceled';

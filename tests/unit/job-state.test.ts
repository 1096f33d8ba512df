import { describe, expect, it } from 'vitest';
import { JOB_STATES, type JobState } from '../../contracts/domain';
import { InvalidTransitionError, transition, type JobEvent } from '../../core/queue/job-state';

const allowed: [JobState, JobEvent, JobState][] = [
  ['queued', 'start', 'running'],
  ['running', 'complete', 'done'],
  ['running', 'fail', 'failed'],
  ['queued', 'fail', 'failed'],
  ['queued', 'cancel', 'canceled'],
  ['running', 'cancel', 'canceled'],
  ['running', 'requeue', 'queued'],
  ['failed', 'retry', 'queued'],
  ['canceled', 'retry', 'queued'],
  ['done', 'retry', 'queued'],
];
const events: JobEvent[] = ['start', 'complete', 'fail', 'cancel', 'requeue', 'retry'];

describe('job state machine', () => {
  it.each(allowed)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  it('refuses every other move', () => {
    const refused = JOB_STATES.flatMap((from) =>
      events.filter((event) => !allowed.some(([f, e]) => f === from && e === event)).map((event) => [from, event] as const),
    );
    expect(refused).toHaveLength(JOB_STATES.length * events.length - allowed.length);
    for (const [from, event] of refused) expect(() => transition(from, event)).toThrow(InvalidTransitionError);
  });

  it('a done job stays done unless the user runs it again', () => {
    for (const event of events.filter((e) => e !== 'retry')) expect(() => transition('done', event)).toThrow(`A done job cannot ${event}.`);
  });
});

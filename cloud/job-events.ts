// Every change of a job, as a Redis stream per job (what SSE's Last-Event-ID resumes from) and a
// message on one channel (what each gateway fans out to its subscribers).
import type { Redis } from 'ioredis';
import { PoolJobView } from '../contracts/cloud-api';
import { REDIS_PREFIX } from './queues';

const CHANNEL = `${REDIS_PREFIX}:job-events`;
/** Events kept per job for clients that reconnect; older ones are summarized by the newest. */
const KEPT = 200;
const KEPT_SEC = 7 * 24 * 3600;

export interface JobEvent {
  /** The stream entry's id: SSE's `id:` line. */
  id: string;
  view: PoolJobView;
}

const streamKey = (jobId: string): string => `${REDIS_PREFIX}:job-events:${jobId}`;

export async function publishJobEvent(redis: Redis, view: PoolJobView): Promise<string> {
  const key = streamKey(view.id);
  const data = JSON.stringify(view);
  const id = (await redis.xadd(key, 'MAXLEN', '~', String(KEPT), '*', 'view', data))!;
  await redis.multi().expire(key, KEPT_SEC).publish(CHANNEL, JSON.stringify({ id, view })).exec();
  return id;
}

/** What happened after `lastId` (null: only the newest event, the job as it is now). */
export async function eventsSince(redis: Redis, jobId: string, lastId: string | null): Promise<JobEvent[]> {
  const key = streamKey(jobId);
  const entries = lastId && /^\d+-\d+$/.test(lastId) ? await redis.xrange(key, `(${lastId}`, '+') : await redis.xrevrange(key, '+', '-', 'COUNT', 1);
  return entries.flatMap(([id, fields]) => {
    const parsed = PoolJobView.safeParse(JSON.parse(fields[1] ?? 'null'));
    return parsed.success ? [{ id, view: parsed.data }] : [];
  });
}

export async function forgetJobEvents(redis: Redis, jobId: string): Promise<void> {
  await redis.del(streamKey(jobId));
}

/** One subscription per gateway, fanned out in memory: 500 watchers cost one Redis connection, not 500. */
export class JobEventHub {
  private readonly listeners = new Map<string, Set<(event: JobEvent) => void>>();

  constructor(private readonly subscriber: Redis) {
    subscriber.on('message', (_channel: string, message: string) => {
      let event: JobEvent;
      try {
        event = JSON.parse(message) as JobEvent;
      } catch {
        return;
      }
      for (const listener of this.listeners.get(event.view?.id) ?? []) listener(event);
    });
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(CHANNEL);
  }

  listen(jobId: string, listener: (event: JobEvent) => void): () => void {
    const set = this.listeners.get(jobId) ?? new Set();
    set.add(listener);
    this.listeners.set(jobId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(jobId);
    };
  }

  get watchers(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber.quit().catch(() => undefined);
  }
}

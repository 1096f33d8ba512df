// Where a job stands, as the client sees it: its record, its place in the queue, and an ETA from
// the speed the pool has measured on its recent jobs.
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { PoolJobView } from '../contracts/cloud-api';
import { ahead, jobView, measuredSpeed, type JobRow } from './db/jobs';
import { REDIS_PREFIX } from './queues';

/** A worker that has not said it is alive for this long is not counted. */
const WORKER_ALIVE_MS = 15_000;

const workersKey = (queue: string): string => `${REDIS_PREFIX}:workers:${queue}`;

export async function heartbeat(redis: Redis, queue: string, workerId: string): Promise<void> {
  const now = Date.now();
  await redis.multi().zadd(workersKey(queue), now, workerId).zremrangebyscore(workersKey(queue), '-inf', now - 10 * WORKER_ALIVE_MS).exec();
}

export async function leave(redis: Redis, queue: string, workerId: string): Promise<void> {
  await redis.zrem(workersKey(queue), workerId);
}

export async function liveWorkers(redis: Redis, queue: string): Promise<number> {
  return redis.zcount(workersKey(queue), Date.now() - WORKER_ALIVE_MS, '+inf');
}

/**
 * The pool's speed and size change slowly, and every status answer needs them: each process reads
 * them at most once a second, so a thousand polls a second cost a thousand queries, not three thousand.
 */
const SHARED_MS = 1_000;
const shared = new Map<string, { at: number; value: Promise<number | null> }>();

function recent(key: string, read: () => Promise<number | null>): Promise<number | null> {
  const now = Date.now();
  const cached = shared.get(key);
  if (cached && now - cached.at < SHARED_MS) return cached.value;
  const value = read();
  shared.set(key, { at: now, value });
  value.catch(() => shared.delete(key));
  return value;
}

export function poolSpeed(db: pg.Pool, queue: string): Promise<number | null> {
  return recent(`speed:${queue}`, () => measuredSpeed(db, queue));
}

export async function poolWorkers(redis: Redis, queue: string): Promise<number> {
  return (await recent(`workers:${queue}`, () => liveWorkers(redis, queue))) ?? 0;
}

export async function describeJob(db: pg.Pool, redis: Redis, row: JobRow): Promise<PoolJobView> {
  if (row.state === 'queued') {
    const [{ position, audioSec }, speed, workers] = await Promise.all([ahead(db, row), poolSpeed(db, row.queue), poolWorkers(redis, row.queue)]);
    const etaSec = speed ? (audioSec + row.durationSec) / (speed * Math.max(1, workers)) : null;
    return jobView(row, { position, etaSec });
  }
  if (row.state === 'running') {
    const speed = await poolSpeed(db, row.queue);
    return jobView(row, { position: null, etaSec: speed ? (row.durationSec * (1 - row.progress)) / speed : null });
  }
  return jobView(row, { position: null, etaSec: null });
}

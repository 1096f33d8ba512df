// The pool's BullMQ queues: a heavy transcribe queue per GPU class (one job per GPU at a time) and
// a light one for quick work, so probing and cleanup never wait behind an hour of transcription.
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { PoolPriority } from '../contracts/cloud-api';
import type { PoolConfig } from './config';
import type { JobRow } from './db/jobs';

export const LIGHT_QUEUE = 'light';
/** Every key the pool keeps in Redis starts with this. */
export const REDIS_PREFIX = 'verbatim';

export function transcribeQueue(gpuClass: string): string {
  return `transcribe-${gpuClass}`;
}

/** BullMQ runs lower numbers first. */
export const PRIORITY: Record<PoolPriority, number> = { high: 1, normal: 5, low: 10 };

/** A transcribe job's data: the pool job it runs. Its BullMQ id is the job's idempotency key. */
export const TranscribeJobData = z.object({ jobId: z.string().uuid() });
export type TranscribeJobData = z.infer<typeof TranscribeJobData>;

export const LightJobData = z.discriminatedUnion('kind', [
  /** Reads a finished upload's audio length (the quota and the time limit need it), or says it is not audio. */
  z.object({ kind: z.literal('probe'), uploadId: z.string() }),
  /** A job ended: its upload is deleted. */
  z.object({ kind: z.literal('cleanup'), uploadId: z.string() }),
  /** Repeating: results past their TTL are deleted, and jobs Redis lost are queued again. */
  z.object({ kind: z.literal('sweep') }),
]);
export type LightJobData = z.infer<typeof LightJobData>;

export const ProbeResult = z.union([z.object({ durationSec: z.number().nonnegative() }), z.object({ error: z.object({ code: z.string(), message: z.string() }) })]);
export type ProbeResult = z.infer<typeof ProbeResult>;

/**
 * A Redis connection as BullMQ needs it: commands wait through a reconnect instead of failing, so
 * a Redis restart is a pause, not lost work.
 */
export function redisConnection(url: string, name: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name, retryStrategy: (times) => Math.min(times * 200, 2_000) });
}

/** BullMQ's id for a pool job: its idempotency key, so adding the same job twice adds it once. */
export function queueJobId(idempotencyKey: string): string {
  return `job-${idempotencyKey}`;
}

/** Puts the job in its queue; a job BullMQ already holds is left as it is. */
export function enqueue(queue: Queue, config: PoolConfig, row: JobRow): Promise<unknown> {
  return queue.add(
    'transcribe',
    { jobId: row.id },
    {
      jobId: queueJobId(row.idempotencyKey),
      priority: row.priority,
      attempts: config.attempts,
      backoff: { type: 'exponential', delay: config.backoffMs, jitter: 0.5 },
      removeOnComplete: true,
      removeOnFail: true,
    },
  );
}

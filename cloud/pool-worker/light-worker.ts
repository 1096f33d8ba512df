// The light queue's worker: quick jobs that must never wait behind a transcription. Probing an
// upload, deleting a finished job's upload, and a sweep every minute that ends retention and puts
// back any job Redis lost.
import { Queue, Worker, type Job } from 'bullmq';
import type pg from 'pg';
import type pino from 'pino';
import { MediaError } from '../../worker/pipeline/media-error';
import { probeMedia } from '../../worker/pipeline/probe';
import { resolveTools } from '../../worker/pipeline/ffmpeg-tools';
import { toolPathsFromEnv } from '../../contracts/worker-protocol';
import type { PoolConfig } from '../config';
import { deleteJob, expiredJobs, uploadExists, failJob, markUploadDeleted, orphanUploads, queuedJobs, requeueJob } from '../db/jobs';
import { forgetJobEvents, publishJobEvent } from '../job-events';
import { describeJob } from '../job-status';
import { enqueue, LIGHT_QUEUE, LightJobData, REDIS_PREFIX, queueJobId, redisConnection, transcribeQueue, type ProbeResult } from '../queues';
import { sweepUnfinishedUploads, uploadPath, uploadStore } from '../gateway/uploads';

/** An upload no job took is kept this long for its client to submit it. */
const ORPHAN_UPLOAD_SEC = 24 * 3600;

export async function startLightWorker(config: PoolConfig, db: pg.Pool, log: pino.Logger): Promise<{ shutdown(): Promise<void> }> {
  const redis = redisConnection(config.redisUrl, 'light-worker');
  const store = uploadStore(config, redis);
  const transcribe = new Queue(transcribeQueue(config.gpuClass), { connection: redis, prefix: REDIS_PREFIX });
  const light = new Queue(LIGHT_QUEUE, { connection: redis, prefix: REDIS_PREFIX });
  const tools = resolveTools(toolPathsFromEnv(process.env));

  const removeUpload = async (uploadId: string) => {
    await store.remove(uploadId).catch(() => undefined);
    await markUploadDeleted(db, uploadId);
  };

  const run = async (job: Job): Promise<ProbeResult | null> => {
    const data = LightJobData.parse(job.data);
    switch (data.kind) {
      case 'probe':
        try {
          const info = await probeMedia(uploadPath(config.storageDir, data.uploadId), tools);
          return { durationSec: info.durationSec };
        } catch (error) {
          if (error instanceof MediaError) return { error: { code: error.code, message: error.message.replace(/“[^”]*”/, 'The file') } };
          throw error;
        }
      case 'cleanup':
        await removeUpload(data.uploadId);
        return null;
      case 'sweep':
        await sweep();
        return null;
    }
  };

  const sweep = async () => {
    for (const job of await expiredJobs(db, 500)) {
      if (job.uploadId) await removeUpload(job.uploadId);
      await forgetJobEvents(redis, job.id);
      await deleteJob(db, job.id);
    }
    for (const uploadId of await orphanUploads(db, ORPHAN_UPLOAD_SEC)) await removeUpload(uploadId);
    const expired = await sweepUnfinishedUploads(config, store, (uploadId) => uploadExists(db, uploadId));
    if (expired) log.info({ expired }, 'unfinished uploads expired');
    // PostgreSQL is the record: a job it holds as waiting or running that BullMQ does not (Redis lost it,
    // or BullMQ gave up on it after its workers kept dying) is queued again, up to its attempts.
    for (const row of await queuedJobs(db)) {
      if (await transcribe.getJob(queueJobId(row.idempotencyKey))) continue;
      if (row.attempts >= config.attempts) {
        const reason = { code: 'worker-lost', message: `The pool's workers stopped while running this job ${row.attempts} times; it will not be tried again.` };
        const failed = await failJob(db, row.id, reason, config.resultTtlSec);
        if (failed) await publishJobEvent(redis, await describeJob(db, redis, failed));
        if (row.uploadId) await removeUpload(row.uploadId);
        log.warn({ jobId: row.id, attempts: row.attempts }, 'job failed: its workers kept stopping');
        continue;
      }
      if (row.state === 'running') await requeueJob(db, row.id, null);
      await enqueue(transcribe, config, row);
      log.warn({ jobId: row.id }, 'job was missing from the queue; queued again');
    }
  };

  const worker = new Worker(LIGHT_QUEUE, run, { connection: redisConnection(config.redisUrl, 'light-worker-bullmq'), prefix: REDIS_PREFIX, concurrency: 4 });
  worker.on('error', (error) => log.warn({ err: error }, 'queue connection error'));
  worker.on('failed', (job, error) => log.warn({ kind: job?.data?.kind, err: error }, 'light job failed'));
  await light.upsertJobScheduler('sweep', { every: config.sweepIntervalMs }, { name: 'sweep', data: { kind: 'sweep' }, opts: { removeOnComplete: true, removeOnFail: 10 } });
  return {
    shutdown: async () => {
      await worker.close();
      await Promise.allSettled([transcribe.close(), light.close()]);
      await redis.quit().catch(() => undefined);
    },
  };
}

// A pool worker: takes one transcribe job at a time from its GPU class's queue and runs it in the
// same engine process the desktop uses. The engine runs outside this event loop, so BullMQ's lock
// renewal never starves and an hour-long job never looks stalled; a worker that dies stops renewing,
// and BullMQ gives its job to another (ack-late). Each attempt resumes from the last checkpoint.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type pg from 'pg';
import type pino from 'pino';
import type { PoolJobView } from '../../contracts/cloud-api';
import type { DiarizationMode } from '../../contracts/domain';
import { toolPathsFromEnv, type TranscribeCheckpoint, type WorkerProgress } from '../../contracts/worker-protocol';
import { CanceledError, JobError, oneLine } from '../../core/errors';
import { jobTimeLimitMs } from '../../core/queue/eta';
import { ModelManager } from '../../core/models/model-manager';
import { SpeakerModels } from '../../core/models/speaker-models';
import { childProcessSpawner } from '../../core/node/child-process-worker';
import { resourcePaths } from '../../core/paths';
import { WorkerSupervisor } from '../../core/supervisor/worker-supervisor';
import type { PoolConfig } from '../config';
import { completeJob, failJob, requeueJob, saveCheckpoint, saveEngine, saveProgress, startJob, type JobRow } from '../db/jobs';
import { publishJobEvent } from '../job-events';
import { describeJob, heartbeat, leave } from '../job-status';
import { LIGHT_QUEUE, REDIS_PREFIX, TranscribeJobData, redisConnection, transcribeQueue } from '../queues';
import { CANCEL_CHANNEL } from '../gateway/jobs-routes';
import { WorkerMetrics } from './worker-metrics';
import { uploadPath } from '../gateway/uploads';


/** Progress reaches PostgreSQL and watchers at most this often. */
const PROGRESS_MS = 500;
const HEARTBEAT_MS = 5_000;

export interface PoolWorkerOptions {
  /** The engine bundle (dist/worker/worker-main.cjs). */
  engineEntry: string;
  resourcesDir: string;
}

export interface PoolWorker {
  id: string;
  /** Stops taking jobs; the current one may finish within the grace period, else it is handed back. */
  shutdown(): Promise<void>;
}

async function uploadName(db: pg.Pool, uploadId: string): Promise<string | null> {
  const { rows } = await db.query<{ filename: string | null }>('SELECT filename FROM uploads WHERE id = $1', [uploadId]);
  return rows[0]?.filename ?? null;
}

export async function startTranscribeWorker(config: PoolConfig, db: pg.Pool, log: pino.Logger, options: PoolWorkerOptions): Promise<PoolWorker> {
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const queue = transcribeQueue(config.gpuClass);
  const redis = redisConnection(config.redisUrl, `worker-${id}`);
  const cancels = redisConnection(config.redisUrl, `worker-${id}-cancels`);
  const light = new Queue(LIGHT_QUEUE, { connection: redis, prefix: REDIS_PREFIX });
  const resources = resourcePaths(options.resourcesDir);
  const models = new ModelManager({
    catalogPath: resources.catalog,
    modelsDir: path.join(config.workDir, 'models'),
    externalDir: config.modelsDir,
    bundledDir: resources.bundledModels,
  });
  const speakerModels = new SpeakerModels(models, (message) => log.info(message));
  const cacheDir = path.join(config.workDir, 'cache');
  mkdirSync(cacheDir, { recursive: true });
  const supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(options.engineEntry), idleShutdownMs: 10 * 60_000 });
  supervisor.on('log', (message) => log.info(message));
  const running = new Map<string, AbortController>();
  const metrics = new WorkerMetrics();
  if (config.workerMetricsPort) await metrics.listen(config.workerMetricsPort);
  let engineRuns = 0;
  let handingBack = false;

  await cancels.subscribe(CANCEL_CHANNEL);
  cancels.on('message', (_channel: string, jobId: string) => running.get(jobId)?.abort(new CanceledError()));

  const publish = async (row: JobRow): Promise<PoolJobView> => {
    const view = await describeJob(db, redis, row);
    await publishJobEvent(redis, view);
    return view;
  };

  const runJob = async (job: Job, token?: string): Promise<void> => {
    const { jobId } = TranscribeJobData.parse(job.data);
    const row = await startJob(db, jobId, id);
    // Canceled, or finished by an earlier attempt whose acknowledgement was lost: nothing to do.
    if (!row) return;
    const jobLog = log.child({ jobId, attempt: row.attempts, tenant: row.tenantId });
    jobLog.info({ resumeFrom: row.checkpoint?.doneSec ?? 0 }, 'job started');
    await publish(row);
    const controller = new AbortController();
    running.set(jobId, controller);
    const started = Date.now();
    let lastProgress = 0;
    let lastStage: WorkerProgress['stage'] | null = null;
    let writes = Promise.resolve();
    const later = (work: () => Promise<unknown>) => (writes = writes.then(work).then(() => undefined, (error) => jobLog.warn({ err: error }, 'could not save progress')));
    try {
      const signal = controller.signal;
      const options = row.options;
      const onDownload = () => undefined;
      const model = await models.ensure(options.model, onDownload, signal);
      const diarize = await speakerModels.settings(options.diarization as DiarizationMode, { speakers: options.speakers, device: 'auto' }, onDownload, signal);
      const result = await supervisor.run({
        jobId: ++engineRuns,
        kind: 'process-media',
        input: {
          path: uploadPath(config.storageDir, row.uploadId ?? ''),
          cacheDir,
          cacheKey: jobId,
          tools: toolPathsFromEnv(process.env),
          // Charged for what its probe measured: a file that holds more than that is refused, not transcribed for free.
          maxDecodedSec: row.durationSec > 0 ? row.durationSec * 1.05 + 1 : null,
          transcribe: {
            model: { id: model.id, dir: model.dir, dtypeSuffix: model.dtypeSuffix },
            vadModelPath: resources.vadModel,
            language: options.language,
            languageFallback: null,
            task: options.task,
            initialPrompt: null,
            device: 'auto',
          },
          diarize,
          resume: row.checkpoint ?? undefined,
          checkpoints: true,
        },
        signal,
        timeoutMs: jobTimeLimitMs(row.durationSec),
        onProgress: (update: WorkerProgress) => {
          if (update.engine) later(() => saveEngine(db, jobId, update.engine!));
          const now = Date.now();
          // A new stage is always told (a fast one can start and end within one interval); progress within one, at most every PROGRESS_MS.
          if (update.stage === lastStage && now - lastProgress < PROGRESS_MS && update.progress < 1) return;
          lastProgress = now;
          lastStage = update.stage;
          later(async () => {
            await saveProgress(db, jobId, update.stage, update.progress);
            await publishJobEvent(redis, await describeJob(db, redis, { ...row, state: 'running', stage: update.stage, progress: update.progress }));
          });
        },
        onCheckpoint: (checkpoint: TranscribeCheckpoint) => later(() => saveCheckpoint(db, jobId, checkpoint)),
      });
      await writes;
      const transcript = result.output.transcript!;
      const workSec = (Date.now() - started) / 1000;
      const audioSec = result.output.decodedSec;
      const done = await completeJob(db, jobId, transcript, { gpuSec: workSec, provider: transcript.engine.provider, audioSec }, config.resultTtlSec);
      metrics.attempt(queue, 'done', workSec);
      metrics.finished(queue, transcript.engine.provider, audioSec, workSec);
      if (done) {
        await publish(done);
        jobLog.info({ workSec, audioSec, provider: transcript.engine.provider, segments: transcript.segments.length }, 'job done');
      }
      if (row.uploadId) await light.add('cleanup', { kind: 'cleanup', uploadId: row.uploadId }, { removeOnComplete: true, removeOnFail: 100 });
    } catch (error) {
      await writes;
      if (handingBack && token) {
        // SIGTERM's grace ran out: back to the queue for another worker, not counted as a failure.
        const requeued = await requeueJob(db, jobId, null);
        if (requeued) await publish(requeued);
        await job.moveToWait(token);
        metrics.attempt(queue, 'handed-back', (Date.now() - started) / 1000);
        jobLog.info('job handed back on shutdown');
        throw new WaitingError();
      }
      if (controller.signal.reason instanceof CanceledError) {
        metrics.attempt(queue, 'canceled', (Date.now() - started) / 1000);
        jobLog.info('job canceled while running');
        return;
      }
      const retryable = !(error instanceof JobError) || error.retryable;
      const final = !retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // The engine names the file it read, which in the pool is the upload's id: the tenant knows it by its own name.
      const named = row.uploadId ? oneLine(error).replaceAll(row.uploadId, (await uploadName(db, row.uploadId)) ?? 'the upload') : oneLine(error);
      const reason = { code: error instanceof JobError ? error.code : 'internal', message: named };
      const updated = final ? await failJob(db, jobId, reason, config.resultTtlSec) : await requeueJob(db, jobId, reason);
      if (updated) await publish(updated);
      metrics.attempt(queue, final ? 'failed' : 'retry', (Date.now() - started) / 1000);
      jobLog.warn({ reason, final }, final ? 'job failed' : 'attempt failed; it will run again');
      if (final && row.uploadId) await light.add('cleanup', { kind: 'cleanup', uploadId: row.uploadId }, { removeOnComplete: true, removeOnFail: 100 });
      throw retryable ? error : new UnrecoverableError(reason.message);
    } finally {
      running.delete(jobId);
    }
  };

  const worker = new Worker(queue, runJob, {
    connection: redisConnection(config.redisUrl, `worker-${id}-bullmq`),
    prefix: REDIS_PREFIX,
    // One job per GPU, and none fetched ahead: a job waits in the queue, where any free worker can take it.
    concurrency: 1,
    lockDuration: config.lockMs,
    stalledInterval: config.stalledIntervalMs,
    // A job whose worker died is run again this many times before it counts as failed.
    maxStalledCount: config.attempts,
  });
  worker.on('error', (error) => log.warn({ err: error }, 'queue connection error'));
  const beat = async () => heartbeat(redis, queue, id).catch(() => undefined);
  await beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  log.info({ worker: id, queue }, 'pool worker ready');

  return {
    id,
    shutdown: async () => {
      clearInterval(timer);
      await leave(redis, queue, id).catch(() => undefined);
      const grace = setTimeout(() => {
        handingBack = true;
        for (const controller of running.values()) controller.abort();
      }, config.shutdownGraceMs);
      await worker.close();
      clearTimeout(grace);
      supervisor.dispose();
      metrics.close();
      await Promise.allSettled([light.close(), cancels.quit(), redis.quit()]);
    },
  };
}

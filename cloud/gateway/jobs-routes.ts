// /v1/jobs: submit (idempotent), look, list, watch (SSE), cancel, and fetch the transcript.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FileStore } from '@tus/file-store';
import { API_PREFIX, JobSubmission, type JobOptions, type PoolJobView } from '../../contracts/cloud-api';
import type { ModelEntry } from '../../contracts/models';
import { cancelJob, findUpload, getJob, getResult, jobByKey, listJobs, submitJob, type JobRow } from '../db/jobs';
import type { Caller } from '../db/tenants';
import { eventsSince, publishJobEvent, type JobEvent } from '../job-events';
import { describeJob } from '../job-status';
import { enqueue, PRIORITY, queueJobId, REDIS_PREFIX } from '../queues';
import type { GatewayContext } from './context';
import { HttpError } from './http-error';
import type { Limits } from './limits';
import { finishUpload } from './uploads';

/** A watched job that is waiting gets its place and ETA refreshed this often. */
const REFRESH_MS = 5_000;
const KEEPALIVE_MS = 15_000;
export const CANCEL_CHANNEL = `${REDIS_PREFIX}:cancel`;

/** The tenant, the audio and the options (defaults filled in, keys in schema order): equal inputs, equal key. */
export function idempotencyKey(tenantId: string, contentSha256: string, options: JobOptions): string {
  return createHash('sha256').update(JSON.stringify(['v1', tenantId, contentSha256, options])).digest('hex');
}

interface Routes {
  context: GatewayContext;
  store: FileStore;
  limits: Limits;
  whisperModels: readonly ModelEntry[];
  callerOf(request: FastifyRequest): Caller;
}

export function jobRoutes(app: FastifyInstance, { context, store, limits, whisperModels, callerOf }: Routes): void {
  const { db, redis, config } = context;
  const found = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<JobRow> => {
    const row = await getJob(db, callerOf(request).tenant.id, request.params.id);
    if (!row) throw new HttpError(404, 'not-found', 'There is no such job.');
    return row;
  };

  app.post(`${API_PREFIX}/jobs`, async (request, reply) => {
    const caller = callerOf(request);
    const submission = JobSubmission.parse(request.body);
    const { options } = submission;
    if (!whisperModels.some((model) => model.id === options.model)) {
      throw new HttpError(400, 'unknown-model', `There is no speech model "${options.model}"; choose one of ${whisperModels.map((m) => m.id).join(', ')}.`);
    }
    let upload = await findUpload(db, caller.tenant.id, submission.uploadId);
    if (!upload) {
      // Finished, but its finishing answer may have been lost; or not finished; or not this tenant's.
      const tus = await store.getUpload(submission.uploadId).catch(() => null);
      if (!tus || tus.metadata?.tenant !== caller.tenant.id) throw new HttpError(404, 'upload-not-found', 'There is no such upload.');
      if (tus.size === undefined || tus.offset < tus.size) throw new HttpError(409, 'upload-unfinished', `The upload has ${tus.offset} of its ${tus.size ?? '?'} bytes; finish it first.`);
      upload = await finishUpload(context, store, tus).catch((refusal: { status_code?: number; body?: string }) => {
        throw new HttpError(refusal.status_code ?? 422, 'upload-rejected', (refusal.body ?? String(refusal)).trim());
      });
    }
    const key = idempotencyKey(caller.tenant.id, upload.sha256, options);
    const existing = await jobByKey(db, key);
    if (!existing || existing.state === 'failed' || existing.state === 'canceled') await limits.newJob(caller, upload.durationSec, context.transcribe.name);
    const { row, created, requeued } = await submitJob(db, {
      tenantId: caller.tenant.id,
      idempotencyKey: key,
      upload,
      options,
      queue: context.transcribe.name,
      priority: PRIORITY[options.priority],
    });
    // Also for a job that exists: if Redis lost it, this puts it back; if not, BullMQ ignores the repeat.
    if (row.state === 'queued') await enqueue(context.transcribe, config, row);
    const view = await describeJob(db, redis, row);
    if (created || requeued) {
      await publishJobEvent(redis, view);
      request.log.info({ jobId: row.id, uploadId: upload.id, requeued }, 'job submitted');
    } else if (row.uploadId !== upload.id) {
      // The same audio again, for a job that has its own copy (or is done): this one is not needed.
      await context.light.add('cleanup', { kind: 'cleanup', uploadId: upload.id }, { removeOnComplete: true, removeOnFail: 100 });
    }
    return reply.code(created ? 201 : 200).send({ job: view, created });
  });

  app.get(`${API_PREFIX}/jobs`, async (request) => {
    const query = request.query as { limit?: string };
    const limit = Math.min(500, Math.max(1, Number(query.limit) || 100));
    const rows = await listJobs(db, callerOf(request).tenant.id, limit);
    return { jobs: await Promise.all(rows.map((row) => describeJob(db, redis, row))) };
  });

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/jobs/:id`, async (request) => describeJob(db, redis, await found(request)));

  app.delete<{ Params: { id: string } }>(`${API_PREFIX}/jobs/:id`, async (request) => {
    const row = await found(request);
    const canceled = await cancelJob(db, row.tenantId, row.id, config.resultTtlSec);
    if (!canceled) return describeJob(db, redis, row);
    // Waiting: it leaves the queue. Running: its worker hears it and stops.
    const queued = await context.transcribe.getJob(queueJobId(row.idempotencyKey));
    await queued?.remove().catch(() => undefined);
    await redis.publish(CANCEL_CHANNEL, row.id);
    if (row.uploadId) await context.light.add('cleanup', { kind: 'cleanup', uploadId: row.uploadId }, { removeOnComplete: true, removeOnFail: 100 });
    const view = await describeJob(db, redis, canceled);
    await publishJobEvent(redis, view);
    request.log.info({ jobId: row.id }, 'job canceled');
    return view;
  });

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/jobs/:id/result`, async (request) => {
    const row = await found(request);
    if (row.state !== 'done') throw new HttpError(409, 'not-done', `The job is ${row.state}; its transcript exists once it is done.`);
    const transcript = await getResult(db, row.tenantId, row.id);
    if (!transcript) throw new HttpError(404, 'expired', 'The transcript has been deleted: its retention time ended.');
    return { jobId: row.id, transcript };
  });

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/jobs/:id/events`, async (request, reply) => {
    const row = await found(request);
    const header = request.headers['last-event-id'];
    const given = (Array.isArray(header) ? header[0] : header) ?? (request.query as { lastEventId?: string }).lastEventId;
    await streamEvents(context, reply, row, given && /^\d{1,20}-\d{1,20}$/.test(given) ? given : null);
  });
}

const FINAL = new Set(['done', 'failed', 'canceled']);

async function streamEvents(context: GatewayContext, reply: FastifyReply, row: JobRow, lastId: string | null): Promise<void> {
  const { db, redis, hub } = context;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let newest = lastId;
  let ended = false;
  const timers: NodeJS.Timeout[] = [];
  const end = () => {
    if (ended) return;
    ended = true;
    stop();
    timers.forEach(clearInterval);
    raw.end();
  };
  let waiting = row.state === 'queued';
  const send = (view: PoolJobView, id: string | null) => {
    if (ended) return;
    waiting = view.state === 'queued';
    // Without an id the client keeps its last one: a refresh of place and ETA is not an event to resume after.
    raw.write(`${id ? `id: ${id}\n` : ''}event: status\ndata: ${JSON.stringify(view)}\n\n`);
    if (FINAL.has(view.state)) end();
  };
  const deliver = (event: JobEvent) => {
    if (newest && compareIds(event.id, newest) <= 0) return;
    newest = event.id;
    send(event.view, event.id);
  };
  // Listening before reading the backlog, so nothing falls between the two.
  const buffered: JobEvent[] = [];
  let replaying = true;
  const stop = hub.listen(row.id, (event) => (replaying ? buffered.push(event) : deliver(event)));
  // The response's close, not the request's: a GET's request stream closes as soon as it has been read.
  raw.on('close', end);
  let backlog = await eventsSince(redis, row.id, lastId);
  if (backlog.length === 0 && !lastId) {
    // Never evented (or its events expired): the job as it is now starts the stream.
    const view = await describeJob(db, redis, row);
    backlog = [{ id: await publishJobEvent(redis, view), view }];
  }
  for (const event of backlog) deliver(event);
  replaying = false;
  for (const event of buffered) deliver(event);
  // Resumed after the final event: there is nothing more to say.
  if (FINAL.has(row.state) && !ended) end();
  if (ended) return;
  timers.push(setInterval(() => !ended && raw.write(': keep-alive\n\n'), KEEPALIVE_MS));
  timers.push(
    setInterval(async () => {
      // Only a waiting job's place and ETA drift between events; a running one's arrive as progress.
      if (!waiting) return;
      const current = await getJob(db, row.tenantId, row.id).catch(() => null);
      if (current?.state === 'queued') send(await describeJob(db, redis, current), null);
    }, REFRESH_MS),
  );
}

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}

// Jobs, their uploads, results and usage: the durable truth about every job. BullMQ carries the
// work; this says what each job is, whose it is, and where it stands.
import type pg from 'pg';
import type { JobOptions, PoolError, PoolJobState, PoolJobView } from '../../contracts/cloud-api';
import type { DiarizationRun, EngineRun, Stage, Transcript } from '../../contracts/domain';
import type { TranscribeCheckpoint } from '../../contracts/worker-protocol';

export interface UploadRecord {
  id: string;
  tenantId: string;
  filename: string | null;
  sizeBytes: number;
  sha256: string;
  durationSec: number;
}

export interface JobRow {
  id: string;
  tenantId: string;
  idempotencyKey: string;
  uploadId: string | null;
  contentSha256: string;
  options: JobOptions;
  queue: string;
  priority: number;
  state: PoolJobState;
  stage: Stage | null;
  progress: number;
  durationSec: number;
  attempts: number;
  engine: EngineRun | null;
  diarization: DiarizationRun | null;
  errorCode: string | null;
  errorMessage: string | null;
  checkpoint: TranscribeCheckpoint | null;
  createdAt: Date;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  expiresAt: Date | null;
}

const COLUMNS = `id, tenant_id AS "tenantId", idempotency_key AS "idempotencyKey", upload_id AS "uploadId",
  content_sha256 AS "contentSha256", options, queue, priority, state, stage, progress, duration_sec AS "durationSec",
  attempts, engine, diarization, error_code AS "errorCode", error_message AS "errorMessage", checkpoint,
  created_at AS "createdAt", queued_at AS "queuedAt", started_at AS "startedAt", finished_at AS "finishedAt", expires_at AS "expiresAt"`;

type Db = pg.Pool | pg.PoolClient;

export async function recordUpload(db: Db, upload: UploadRecord): Promise<void> {
  await db.query(
    `INSERT INTO uploads (id, tenant_id, filename, size_bytes, sha256, duration_sec) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO NOTHING`,
    [upload.id, upload.tenantId, upload.filename, upload.sizeBytes, upload.sha256, upload.durationSec],
  );
}

/** The tenant's finished upload; another tenant's is as absent as one that never was. */
export async function findUpload(db: Db, tenantId: string, id: string): Promise<UploadRecord | null> {
  const { rows } = await db.query<UploadRecord>(
    `SELECT id, tenant_id AS "tenantId", filename, size_bytes::float8 AS "sizeBytes", sha256, duration_sec AS "durationSec"
       FROM uploads WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
    [id, tenantId],
  );
  return rows[0] ?? null;
}

export async function markUploadDeleted(db: Db, id: string): Promise<void> {
  await db.query('UPDATE uploads SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL', [id]);
}

export interface NewJob {
  tenantId: string;
  idempotencyKey: string;
  upload: UploadRecord;
  options: JobOptions;
  queue: string;
  priority: number;
}

/**
 * The job for this tenant, audio and options: made now, or the one that already is. One that
 * failed or was canceled is queued again (same id), since asking again means wanting it done.
 */
export async function submitJob(db: pg.Pool, job: NewJob): Promise<{ row: JobRow; created: boolean; requeued: boolean }> {
  const inserted = await db.query<JobRow>(
    `INSERT INTO jobs (tenant_id, idempotency_key, upload_id, content_sha256, options, queue, priority, state, duration_sec)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${COLUMNS}`,
    [job.tenantId, job.idempotencyKey, job.upload.id, job.upload.sha256, job.options, job.queue, job.priority, job.upload.durationSec],
  );
  if (inserted.rows[0]) return { row: inserted.rows[0], created: true, requeued: false };
  const again = await db.query<JobRow>(
    `UPDATE jobs SET state = 'queued', stage = NULL, progress = 0, attempts = 0, error_code = NULL, error_message = NULL,
            upload_id = $2, queued_at = clock_timestamp(), started_at = NULL, finished_at = NULL, expires_at = NULL
      WHERE idempotency_key = $1 AND state IN ('failed', 'canceled') RETURNING ${COLUMNS}`,
    [job.idempotencyKey, job.upload.id],
  );
  if (again.rows[0]) return { row: again.rows[0], created: false, requeued: true };
  const existing = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE idempotency_key = $1`, [job.idempotencyKey]);
  return { row: existing.rows[0]!, created: false, requeued: false };
}

/** Scoped to the tenant: another tenant's job is not found. */
export async function getJob(db: Db, tenantId: string, id: string): Promise<JobRow | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1 AND tenant_id = $2`, [id, tenantId]);
  return rows[0] ?? null;
}

/** For the pool's own workers, which act on any tenant's job by its queue key. */
export async function jobByKey(db: Db, idempotencyKey: string): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE idempotency_key = $1`, [idempotencyKey]);
  return rows[0] ?? null;
}

export async function listJobs(db: Db, tenantId: string, limit: number): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [tenantId, limit]);
  return rows;
}

/** Taken by a worker: counts the attempt. Null when the job is no longer waiting to run (canceled, or already finished). */
export async function startJob(db: Db, id: string, worker: string): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(
    `UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = now(), worker = $2, stage = 'probe', progress = GREATEST(progress, 0)
      WHERE id = $1 AND state IN ('queued', 'running') RETURNING ${COLUMNS}`,
    [id, worker],
  );
  return rows[0] ?? null;
}

export async function saveProgress(db: Db, id: string, stage: Stage, progress: number): Promise<void> {
  await db.query("UPDATE jobs SET stage = $2, progress = $3 WHERE id = $1 AND state = 'running'", [id, stage, progress]);
}

export async function saveEngine(db: Db, id: string, engine: EngineRun): Promise<void> {
  await db.query('UPDATE jobs SET engine = $2 WHERE id = $1', [id, engine]);
}

export async function saveCheckpoint(db: Db, id: string, checkpoint: TranscribeCheckpoint | null): Promise<void> {
  await db.query("UPDATE jobs SET checkpoint = $2 WHERE id = $1 AND state = 'running'", [id, checkpoint]);
}

/** The result, the usage and the state in one transaction: a job is done with its transcript, or not done. */
export async function completeJob(
  db: pg.Pool,
  id: string,
  transcript: Transcript,
  /** audioSec: what was decoded, which is what is charged, whatever the file's header stated. */
  usage: { gpuSec: number; provider: string; audioSec: number },
  resultTtlSec: number,
): Promise<JobRow | null> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<JobRow>(
      `UPDATE jobs SET state = 'done', stage = NULL, progress = 1, engine = $2, diarization = $3, checkpoint = NULL,
              finished_at = now(), expires_at = now() + make_interval(secs => $4), duration_sec = $5
        WHERE id = $1 AND state = 'running' RETURNING ${COLUMNS}`,
      [id, transcript.engine, transcript.diarization, resultTtlSec, usage.audioSec],
    );
    const row = rows[0];
    if (!row) {
      await client.query('ROLLBACK');
      return null;
    }
    await client.query('INSERT INTO results (job_id, transcript) VALUES ($1, $2) ON CONFLICT (job_id) DO NOTHING', [id, transcript]);
    await client.query(
      `INSERT INTO usage (job_id, tenant_id, queue, audio_sec, gpu_sec, provider) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (job_id) DO NOTHING`,
      [id, row.tenantId, row.queue, row.durationSec, usage.gpuSec, usage.provider],
    );
    await client.query('COMMIT');
    return row;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** A failed attempt that will run again: back to waiting, keeping its checkpoint. */
export async function requeueJob(db: Db, id: string, error: PoolError | null): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(
    `UPDATE jobs SET state = 'queued', stage = NULL, error_code = $2, error_message = $3, worker = NULL
      WHERE id = $1 AND state IN ('queued', 'running') RETURNING ${COLUMNS}`,
    [id, error?.code ?? null, error?.message ?? null],
  );
  return rows[0] ?? null;
}

export async function failJob(db: Db, id: string, error: PoolError, ttlSec: number): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(
    `UPDATE jobs SET state = 'failed', stage = NULL, error_code = $2, error_message = $3, checkpoint = NULL,
            finished_at = now(), expires_at = now() + make_interval(secs => $4)
      WHERE id = $1 AND state IN ('queued', 'running') RETURNING ${COLUMNS}`,
    [id, error.code, error.message, ttlSec],
  );
  return rows[0] ?? null;
}

export async function cancelJob(db: Db, tenantId: string, id: string, ttlSec: number): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(
    `UPDATE jobs SET state = 'canceled', stage = NULL, checkpoint = NULL, finished_at = now(), expires_at = now() + make_interval(secs => $3)
      WHERE id = $1 AND tenant_id = $2 AND state IN ('queued', 'running') RETURNING ${COLUMNS}`,
    [id, tenantId, ttlSec],
  );
  return rows[0] ?? null;
}

export async function getResult(db: Db, tenantId: string, id: string): Promise<Transcript | null> {
  const { rows } = await db.query<{ transcript: Transcript }>(
    'SELECT r.transcript FROM results r JOIN jobs j ON j.id = r.job_id WHERE r.job_id = $1 AND j.tenant_id = $2',
    [id, tenantId],
  );
  return rows[0]?.transcript ?? null;
}

/** Audio seconds the tenant submitted since midnight UTC (canceled jobs are not counted). */
export async function usedTodaySec(db: Db, tenantId: string): Promise<number> {
  const { rows } = await db.query<{ used: number }>(
    `SELECT coalesce(sum(duration_sec), 0)::float8 AS used FROM jobs
      WHERE tenant_id = $1 AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AND state <> 'canceled'`,
    [tenantId],
  );
  return rows[0]!.used;
}

export interface QueueLoad {
  queued: number;
  running: number;
  /** Audio still to transcribe: every queued job's, and what running jobs have left. */
  audioAheadSec: number;
}

export async function queueLoad(db: Db, queue: string): Promise<QueueLoad> {
  const { rows } = await db.query<QueueLoad>(
    `SELECT count(*) FILTER (WHERE state = 'queued')::int AS queued, count(*) FILTER (WHERE state = 'running')::int AS running,
            coalesce(sum(CASE WHEN state = 'queued' THEN duration_sec ELSE duration_sec * (1 - progress) END), 0)::float8 AS "audioAheadSec"
       FROM jobs WHERE queue = $1 AND state IN ('queued', 'running')`,
    [queue],
  );
  return rows[0]!;
}

/** The jobs that run before this one, and their audio (running jobs' remaining part included). */
export async function ahead(db: Db, row: JobRow): Promise<{ position: number; audioSec: number }> {
  const { rows } = await db.query<{ position: number; audioSec: number; running: number }>(
    `SELECT count(*) FILTER (WHERE state = 'queued')::int AS position,
            coalesce(sum(CASE WHEN state = 'queued' THEN duration_sec ELSE duration_sec * (1 - progress) END), 0)::float8 AS "audioSec"
       FROM jobs
      WHERE queue = $1 AND id <> $4 AND (state = 'running' OR (state = 'queued' AND (priority, queued_at) < ($2, $3)))`,
    [row.queue, row.priority, row.queuedAt, row.id],
  );
  return { position: rows[0]!.position, audioSec: rows[0]!.audioSec };
}

/** Audio seconds per second of one worker's time, over the queue's last 50 jobs; null before any. */
export async function measuredSpeed(db: Db, queue: string): Promise<number | null> {
  const { rows } = await db.query<{ audio: number | null; gpu: number | null }>(
    `SELECT sum(audio_sec)::float8 AS audio, sum(gpu_sec)::float8 AS gpu
       FROM (SELECT audio_sec, gpu_sec FROM usage WHERE queue = $1 ORDER BY recorded_at DESC LIMIT 50) recent`,
    [queue],
  );
  const { audio, gpu } = rows[0]!;
  return audio && gpu && gpu > 0 ? audio / gpu : null;
}

/** Jobs whose retention has ended, with the uploads they still hold; deleted by the caller after the files. */
export async function expiredJobs(db: Db, limit: number): Promise<Array<{ id: string; uploadId: string | null }>> {
  const { rows } = await db.query('SELECT id, upload_id AS "uploadId" FROM jobs WHERE expires_at < now() ORDER BY expires_at LIMIT $1', [limit]);
  return rows;
}

export async function deleteJob(db: Db, id: string): Promise<void> {
  await db.query('DELETE FROM jobs WHERE id = $1', [id]);
}

/** Uploads no job points at any more and older than the grace: abandoned, or their job expired. */
export async function orphanUploads(db: Db, graceSec: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT u.id FROM uploads u
      WHERE u.deleted_at IS NULL AND u.finished_at < now() - make_interval(secs => $1)
        AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.upload_id = u.id AND j.state IN ('queued', 'running'))`,
    [graceSec],
  );
  return rows.map((row) => row.id);
}

/** Whether the pool accepted this upload (hashed and probed), whoever it belongs to and whether or not it is deleted since. */
export async function uploadExists(db: Db, uploadId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM uploads WHERE id = $1', [uploadId]);
  return (rowCount ?? 0) > 0;
}

/** Queued jobs BullMQ may no longer hold (lost with Redis): the caller adds them again, which BullMQ ignores for those it has. */
export async function queuedJobs(db: Db): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE state IN ('queued', 'running') ORDER BY queued_at`);
  return rows;
}

/** The dead-letter view: jobs that used up their attempts, with their reasons. */
export async function failedJobs(db: Db, limit: number): Promise<Array<JobRow & { tenantName: string }>> {
  const { rows } = await db.query(
    `SELECT f.*, t.name AS "tenantName"
       FROM (SELECT ${COLUMNS} FROM jobs WHERE state = 'failed' ORDER BY finished_at DESC LIMIT $1) f
       JOIN tenants t ON t.id = f."tenantId" ORDER BY f."finishedAt" DESC`,
    [limit],
  );
  return rows;
}

export function jobView(row: JobRow, extra: { position: number | null; etaSec: number | null }): PoolJobView {
  return {
    id: row.id,
    state: row.state,
    stage: row.state === 'running' ? row.stage : null,
    progress: row.progress,
    position: row.state === 'queued' ? extra.position : null,
    etaSec: extra.etaSec,
    durationSec: row.durationSec,
    options: row.options,
    attempts: row.attempts,
    engine: row.engine,
    diarization: row.diarization,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

// The pool's settings, read once from the environment (what containers and `npm run cloud` set),
// with the defaults a one-box pool wants.
import path from 'node:path';
import { z } from 'zod';

const Config = z.object({
  redisUrl: z.string().url(),
  databaseUrl: z.string().url(),
  /** Where uploads live; every gateway and worker must see the same folder (a shared volume). */
  storageDir: z.string().min(1),
  /** Working files of a worker (decoded audio); local to it. */
  workDir: z.string().min(1),
  /** Folder of Whisper models in the Hugging Face layout (VERBATIM_MODELS_DIR), used before downloading. */
  modelsDir: z.string().nullable(),
  /** The class of GPU this worker serves, and the classes the gateway routes to (the first is the default). */
  gpuClass: z.string().regex(/^[a-z0-9-]{1,32}$/),
  maxUploadBytes: z.number().int().positive(),
  /** How long results (and the rest of a finished job) are kept. */
  resultTtlSec: z.number().positive(),
  /** New jobs are refused (429) while this many wait. */
  maxQueued: z.number().int().positive(),
  ratePerMinute: z.number().int().positive(),
  ratePerHour: z.number().int().positive(),
  /** A new tenant's quota of audio per UTC day, in seconds. */
  defaultQuotaSec: z.number().positive(),
  /** BullMQ's lock: a worker that stops renewing it for this long is taken for dead and its job runs elsewhere. */
  lockMs: z.number().int().positive(),
  stalledIntervalMs: z.number().int().positive(),
  /** On SIGTERM, how long the current job may take to finish before it is handed back. */
  shutdownGraceMs: z.number().int().positive(),
  attempts: z.number().int().positive(),
  backoffMs: z.number().int().positive(),
  /** How often the light worker ends retention and re-queues what Redis lost. */
  sweepIntervalMs: z.number().int().positive(),
  /** A transcribe worker serves its own /metrics (job durations, speed) on this port; null: it does not. */
  workerMetricsPort: z.number().int().min(1).max(65535).nullable(),
  /** Bearer token for /metrics and /readyz's reasons; null: only the operator addresses may read them. */
  metricsToken: z.string().nullable(),
  /** Peers that read /metrics and /readyz's reasons without the token (exact addresses; default loopback). */
  operatorAddresses: z.array(z.string().min(1)),
  /** An upload not finished within this long is deleted (tus expiration; the light worker's sweep). */
  uploadExpirySec: z.number().positive(),
});
export type PoolConfig = z.infer<typeof Config>;

function numberIn(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`${name} must be a number, not "${value}".`);
  return parsed;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<PoolConfig> = {}): PoolConfig {
  const number = (name: string, fallback: number) => numberIn(env, name, fallback);
  const dataDir = env.VERBATIM_CLOUD_DATA ?? path.resolve('.verbatim-cloud');
  const config = {
    redisUrl: env.VERBATIM_REDIS_URL ?? 'redis://127.0.0.1:6379',
    databaseUrl: env.VERBATIM_DATABASE_URL ?? 'postgres://verbatim@127.0.0.1:5432/verbatim',
    storageDir: env.VERBATIM_STORAGE_DIR ?? path.join(dataDir, 'uploads'),
    workDir: env.VERBATIM_WORK_DIR ?? path.join(dataDir, 'work'),
    modelsDir: env.VERBATIM_MODELS_DIR || null,
    gpuClass: env.VERBATIM_GPU_CLASS ?? 'default',
    maxUploadBytes: number('VERBATIM_MAX_UPLOAD_BYTES', 4 * 1024 ** 3),
    resultTtlSec: number('VERBATIM_RESULT_TTL_SEC', 7 * 24 * 3600),
    maxQueued: number('VERBATIM_MAX_QUEUED', 10_000),
    ratePerMinute: number('VERBATIM_RATE_PER_MINUTE', 60),
    ratePerHour: number('VERBATIM_RATE_PER_HOUR', 1_000),
    defaultQuotaSec: number('VERBATIM_DEFAULT_QUOTA_SEC', 24 * 3600),
    lockMs: number('VERBATIM_LOCK_MS', 30_000),
    stalledIntervalMs: number('VERBATIM_STALLED_INTERVAL_MS', 30_000),
    shutdownGraceMs: number('VERBATIM_SHUTDOWN_GRACE_MS', 25_000),
    attempts: number('VERBATIM_ATTEMPTS', 3),
    backoffMs: number('VERBATIM_BACKOFF_MS', 5_000),
    sweepIntervalMs: number('VERBATIM_SWEEP_INTERVAL_MS', 60_000),
    metricsToken: env.VERBATIM_METRICS_TOKEN || null,
    operatorAddresses: (env.VERBATIM_OPERATOR_ADDRESSES ?? '127.0.0.1,::1,::ffff:127.0.0.1').split(',').map((item) => item.trim()).filter(Boolean),
    uploadExpirySec: number('VERBATIM_UPLOAD_EXPIRY_SEC', 24 * 3600),
    workerMetricsPort: env.VERBATIM_WORKER_METRICS_PORT ? number('VERBATIM_WORKER_METRICS_PORT', 0) : null,
    ...overrides,
  };
  const parsed = Config.safeParse(config);
  if (parsed.success) return parsed.data;
  // Said in the terms the operator set: the variable, not the field.
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0]);
  const variable = Object.entries(VARIABLES).find(([, field]) => field === key)?.[0] ?? key;
  throw new Error(`${variable} is not valid: ${issue.message}.`);
}

/** Which environment variable sets which setting (the rest come from overrides, or are derived). */
const VARIABLES: Record<string, keyof PoolConfig> = {
  VERBATIM_REDIS_URL: 'redisUrl',
  VERBATIM_DATABASE_URL: 'databaseUrl',
  VERBATIM_STORAGE_DIR: 'storageDir',
  VERBATIM_WORK_DIR: 'workDir',
  VERBATIM_GPU_CLASS: 'gpuClass',
  VERBATIM_MAX_UPLOAD_BYTES: 'maxUploadBytes',
  VERBATIM_RESULT_TTL_SEC: 'resultTtlSec',
  VERBATIM_MAX_QUEUED: 'maxQueued',
  VERBATIM_RATE_PER_MINUTE: 'ratePerMinute',
  VERBATIM_RATE_PER_HOUR: 'ratePerHour',
  VERBATIM_DEFAULT_QUOTA_SEC: 'defaultQuotaSec',
  VERBATIM_LOCK_MS: 'lockMs',
  VERBATIM_STALLED_INTERVAL_MS: 'stalledIntervalMs',
  VERBATIM_SHUTDOWN_GRACE_MS: 'shutdownGraceMs',
  VERBATIM_ATTEMPTS: 'attempts',
  VERBATIM_BACKOFF_MS: 'backoffMs',
  VERBATIM_SWEEP_INTERVAL_MS: 'sweepIntervalMs',
  VERBATIM_WORKER_METRICS_PORT: 'workerMetricsPort',
  VERBATIM_UPLOAD_EXPIRY_SEC: 'uploadExpirySec',
};

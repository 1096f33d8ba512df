// The desktop↔cloud contract: what the pool's HTTPS gateway accepts under /v1/ and what it answers.
// The gateway validates every request with these schemas and the desktop's client validates every
// answer, so the two sides cannot drift apart.
import { z } from 'zod';
import { EngineRun, DiarizationRun, SpeakerCount, Stage, Task, Transcript } from './domain';

export const API_PREFIX = '/v1';
/** tus resumable uploads live here; the upload's id is the last path segment of its URL. */
export const UPLOADS_PATH = `${API_PREFIX}/uploads`;

/** `vbt_` + an 8-character prefix that identifies the token in lists and logs + `_` + 32 secret characters. */
export const API_TOKEN_PATTERN = /^vbt_[a-z0-9]{8}_[A-Za-z0-9]{32}$/;

export const PoolJobState = z.enum(['queued', 'running', 'done', 'failed', 'canceled']);
export type PoolJobState = z.infer<typeof PoolJobState>;

export const PoolPriority = z.enum(['high', 'normal', 'low']);
export type PoolPriority = z.infer<typeof PoolPriority>;

export const PoolDiarization = z.enum(['auto', 'neural', 'builtin', 'off']);

export const JobOptions = z
  .object({
    /** A Whisper model of the catalog the desktop uses (whisper-tiny, whisper-base, …). */
    model: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/),
    /** null: detect the language from the speech. */
    language: z.string().regex(/^[a-z]{2,3}$/).nullable().default(null),
    task: Task.default('transcribe'),
    diarization: PoolDiarization.default('auto'),
    speakers: SpeakerCount.default({ exact: null, min: null, max: null }),
    priority: PoolPriority.default('normal'),
  })
  .strict();
export type JobOptions = z.infer<typeof JobOptions>;
export type JobOptionsInput = z.input<typeof JobOptions>;

export const JobSubmission = z
  .object({
    /** The finished tus upload holding the audio. */
    uploadId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    options: JobOptions,
  })
  .strict();
export type JobSubmission = z.input<typeof JobSubmission>;

export const PoolError = z.object({ code: z.string(), message: z.string() });
export type PoolError = z.infer<typeof PoolError>;

export const PoolJobView = z.object({
  id: z.string().uuid(),
  state: PoolJobState,
  /** The pipeline stage while running; null before and after. */
  stage: Stage.nullable(),
  progress: z.number().min(0).max(1),
  /** Jobs that run before this one (0: next); null unless queued. */
  position: z.number().int().nonnegative().nullable(),
  /** Seconds until the result, from the pool's measured throughput; null when finished or unknown. */
  etaSec: z.number().nonnegative().nullable(),
  durationSec: z.number().nonnegative().nullable(),
  options: JobOptions,
  attempts: z.number().int().nonnegative(),
  /** What ran: model and provider (cuda, cpu…), and what was tried first. */
  engine: EngineRun.nullable(),
  diarization: DiarizationRun.nullable(),
  error: PoolError.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** When the result and everything else of this job is deleted. */
  expiresAt: z.string().nullable(),
});
export type PoolJobView = z.infer<typeof PoolJobView>;

/** POST /v1/jobs: `created` is false when the same tenant, audio and options already had this job. */
export const SubmitAnswer = z.object({ job: PoolJobView, created: z.boolean() });
export type SubmitAnswer = z.infer<typeof SubmitAnswer>;

export const JobList = z.object({ jobs: z.array(PoolJobView) });

export const JobResult = z.object({ jobId: z.string().uuid(), transcript: Transcript });
export type JobResult = z.infer<typeof JobResult>;

/** GET /v1/pool: what "Test connection" shows. */
export const PoolStatus = z.object({
  version: z.string(),
  tenant: z.string(),
  workers: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  /** Audio seconds transcribed per second of work by one worker, measured over recent jobs; null before any. */
  audioSecPerSec: z.number().positive().nullable(),
  /** How long a new job would wait before it starts. */
  waitSec: z.number().nonnegative().nullable(),
  quota: z.object({ audioSecPerDay: z.number().nonnegative(), usedTodaySec: z.number().nonnegative() }),
  maxUploadBytes: z.number().int().positive(),
});
export type PoolStatus = z.infer<typeof PoolStatus>;

/** Every error answer: a stable code for programs and a sentence for people. */
export const ErrorAnswer = z.object({ error: PoolError });

/** tus Upload-Metadata keys the gateway reads. */
export const UploadMetadata = z.object({
  filename: z.string().min(1).max(255).optional(),
  /** The client's SHA-256 of the whole file, checked when the upload ends. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type UploadMetadata = z.infer<typeof UploadMetadata>;

/** An SSE `status` event's data; its `id:` line is what `Last-Event-ID` resumes after. */
export const JobEventData = PoolJobView;

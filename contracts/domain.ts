// Domain records shared by every process. Each is a zod schema (runtime validation at the
// boundaries) and the TypeScript type inferred from it, so the two can never drift apart.
import { z } from 'zod';

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'canceled'] as const;
export const JobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobState>;

export const Lane = z.enum(['heavy', 'light']);
export type Lane = z.infer<typeof Lane>;

/** Every kind of job and the lane it runs in. Heavy: GPU/CPU-bound, one at a time. Light: quick tasks. */
export const JOB_KINDS = {
  'process-media': { lane: 'heavy' },
} as const satisfies Record<string, { lane: Lane }>;
export const JobKind = z.enum(Object.keys(JOB_KINDS) as [keyof typeof JOB_KINDS]);
export type JobKind = z.infer<typeof JobKind>;

/** Pipeline stages in the order they run; later capabilities append theirs. */
export const STAGES = ['probe', 'decode'] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

export const Id = z.number().int().positive();

export const JobView = z.object({
  id: Id,
  kind: JobKind,
  lane: Lane,
  mediaId: Id,
  fileName: z.string(),
  path: z.string(),
  state: JobState,
  priority: z.number().int(),
  attempts: z.number().int().nonnegative(),
  stage: Stage.nullable(),
  progress: z.number().min(0).max(1),
  error: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  durationSec: z.number().nullable(),
  /** 0 while running, 1… in the lane's order while queued, null otherwise. */
  position: z.number().int().nonnegative().nullable(),
  /** Seconds until this job should be done, from measured throughput; null when unknown. */
  etaSec: z.number().nonnegative().nullable(),
});
export type JobView = z.infer<typeof JobView>;

export const MediaInfo = z.object({
  durationSec: z.number().nonnegative(),
  container: z.string(),
  codec: z.string(),
  /** Of the source's audio track; 0 when the container does not say. */
  sampleRate: z.number().int().nonnegative(),
  channels: z.number().int().nonnegative(),
});
export type MediaInfo = z.infer<typeof MediaInfo>;

export const Waveform = z.object({
  /** Peak absolute amplitude per bucket, 0…1. */
  peaks: z.array(z.number().min(0).max(1)),
  peaksPerSec: z.number().positive(),
});
export type Waveform = z.infer<typeof Waveform>;

export const MediaDetail = z.object({
  id: Id,
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative().nullable(),
  info: MediaInfo.nullable(),
  waveform: Waveform.nullable(),
});
export type MediaDetail = z.infer<typeof MediaDetail>;

export const AddOutcome = z.object({
  path: z.string(),
  mediaId: Id,
  jobId: Id,
  /** True when the file was already in the library and its existing job was reused. */
  duplicate: z.boolean(),
});
export type AddOutcome = z.infer<typeof AddOutcome>;

/** What the user can set. null means "the default" (for tools: the copies bundled with the app). */
export const Settings = z.object({
  ffmpegPath: z.string().min(1).max(4096).nullable(),
  ffprobePath: z.string().min(1).max(4096).nullable(),
});
export type Settings = z.infer<typeof Settings>;

// The main↔worker contract. The same messages travel over Electron's utilityProcess port and over
// a Node child_process IPC channel; both ends validate what they receive.
import { z } from 'zod';
import { SpeakerPrint } from './voices';
import { Device, DiarizationTier, EngineRun, Id, JobKind, MediaInfo, ProviderFallback, Segment, SpeakerCount, SpeakerTurn, Stage, Task, Transcript, Waveform } from './domain';

export const ToolPaths = z.object({
  ffmpegPath: z.string().nullable(),
  ffprobePath: z.string().nullable(),
});
export type ToolPaths = z.infer<typeof ToolPaths>;

/** The ffmpeg/ffprobe pair a host names in its environment (both or neither); never a user setting. */
export function toolPathsFromEnv(env: Record<string, string | undefined>): ToolPaths {
  const ffmpegPath = env.VERBATIM_FFMPEG_PATH || null;
  const ffprobePath = env.VERBATIM_FFPROBE_PATH || null;
  return ffmpegPath && ffprobePath ? { ffmpegPath, ffprobePath } : { ffmpegPath: null, ffprobePath: null };
}

export const TranscribeSettings = z.object({
  /** An installed model: catalog id, its folder in the Hugging Face layout, and its weights' file suffix. */
  model: z.object({ id: z.string(), dir: z.string(), dtypeSuffix: z.string() }),
  vadModelPath: z.string(),
  /** null: detect the language from the first speech. */
  language: z.string().nullable(),
  /** When detection is unsure: the language the user last chose, else the system's. */
  languageFallback: z.string().regex(/^[a-z]{2,3}$/).nullable().optional(),
  task: Task,
  initialPrompt: z.string().nullable(),
  device: Device,
});
export type TranscribeSettings = z.infer<typeof TranscribeSettings>;

export const DiarizeSettings = z.object({
  tier: DiarizationTier,
  /** The neural tier's installed weights; null for the built-in tier. */
  neural: z.object({ segmentation: z.string(), embedding: z.string() }).nullable(),
  /** Why a tier before this one is not used (the neural models not installed, say): recorded, never silent. */
  fallbacks: z.array(ProviderFallback),
  speakers: SpeakerCount,
  device: Device,
});
export type DiarizeSettings = z.infer<typeof DiarizeSettings>;

const AudioWindow = z.object({
  pieces: z.array(z.object({ start: z.number(), end: z.number() })),
  durationSec: z.number().positive(),
  secondLook: z.boolean().optional(),
});

/**
 * Where transcription stood after a batch of windows: everything the windows still to come depend
 * on (the language, the sampling seed, the windows left, tails included). A job started again with
 * it decodes exactly what an uninterrupted run would have decoded next.
 */
export const TranscribeCheckpoint = z.object({
  /** Which file and settings it belongs to; a checkpoint of anything else is ignored. */
  key: z.string(),
  language: z.string().nullable(),
  seed: z.number().int().nonnegative(),
  doneSec: z.number().nonnegative(),
  pending: z.array(AudioWindow),
  /** For each pending window: one of the VAD's (counted by progress), or a tail cut from one. */
  original: z.array(z.boolean()),
  segments: z.array(Segment),
});
export type TranscribeCheckpoint = z.infer<typeof TranscribeCheckpoint>;

/** What decoding a file needs: the part of a job the worker can start ahead of it. */
export const DecodeRequest = z.object({
  path: z.string(),
  /** Folder where decoded PCM is cached; the worker names the file. */
  cacheDir: z.string(),
  cacheKey: z.string().regex(/^[A-Za-z0-9_-]+$/),
  tools: ToolPaths,
  /** Decoding stops, failing the job, past this much audio (the pool: a little over what the upload was charged for). */
  maxDecodedSec: z.number().positive().nullable().optional(),
});
export type DecodeRequest = z.infer<typeof DecodeRequest>;

export const ProcessMediaInput = DecodeRequest.extend({
  /** null: stop after decoding (the decode benchmark, and tests of the media stages alone). */
  transcribe: TranscribeSettings.nullable(),
  /** null: no speaker labels. */
  diarize: DiarizeSettings.nullable(),
  /** Transcription picks up here instead of at the start (the pool's re-run after a lost worker). */
  resume: TranscribeCheckpoint.optional(),
  /** Ask for a checkpoint after every batch of windows. */
  checkpoints: z.boolean().optional(),
  /**
   * The speakers' turns of a transcript made elsewhere (the pool): without transcribing, their voice
   * prints are taken here, so the voice library is matched on this machine and its prints never travel.
   */
  printTurns: z.array(SpeakerTurn).max(100_000).optional(),
});
export type ProcessMediaInput = z.infer<typeof ProcessMediaInput>;

export const ProcessMediaOutput = z.object({
  info: MediaInfo,
  waveform: Waveform,
  /** 16 kHz mono float32 little-endian samples. */
  pcmPath: z.string(),
  decodedSec: z.number().nonnegative(),
  transcript: Transcript.nullable(),
  /** The speakers' voice prints, where diarization ran: the core keeps them only while the voice library is on. */
  prints: z.array(SpeakerPrint).max(4096).default([]),
});
export type ProcessMediaOutput = z.infer<typeof ProcessMediaOutput>;

/** The code of a failure to open a model's files (damaged on disk): the core sets that copy aside and fetches it again. */
export const MODEL_DAMAGED = 'model-damaged';

export const ToWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), jobId: Id, kind: JobKind, input: ProcessMediaInput }),
  z.object({ type: z.literal('cancel'), jobId: Id }),
  /** The files queued next, in order: to decode, and maybe transcribe, while the current job runs. */
  z.object({ type: z.literal('ahead'), inputs: z.array(ProcessMediaInput).max(16) }),
  /** A live recording needs the CPU: pause between batches of windows until told otherwise. */
  z.object({ type: z.literal('yield'), yielding: z.boolean() }),
  z.object({ type: z.literal('shutdown') }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

export const WorkerProgress = z.object({
  stage: Stage,
  /** Fraction of the whole job, 0…1. */
  progress: z.number().min(0).max(1),
  /** Audio seconds handled so far, for throughput. */
  processedSec: z.number().nonnegative(),
  /** Sent once the model is open: which model runs on which provider, and what was tried first. */
  engine: EngineRun.optional(),
});
export type WorkerProgress = z.infer<typeof WorkerProgress>;

/** How much of a recording is speech: transcription's cost grows with it, not with the recording's length. */
export const SpeechFound = z.object({ durationSec: z.number().nonnegative(), speechSec: z.number().nonnegative() });
export type SpeechFound = z.infer<typeof SpeechFound>;

export const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('heartbeat') }),
  z.object({ type: z.literal('progress'), jobId: Id, update: WorkerProgress }),
  z.object({ type: z.literal('checkpoint'), jobId: Id, checkpoint: TranscribeCheckpoint }),
  /** The segments a batch of windows just gave (in no particular order): shown while the rest is transcribed. */
  z.object({ type: z.literal('segments'), jobId: Id, segments: z.array(Segment) }),
  /** The transcript as soon as transcription ends, before diarization: saved at once, so a later stage's failure cannot lose it. */
  z.object({ type: z.literal('transcript'), jobId: Id, transcript: Transcript }),
  /** Sent for the job's file and for each queued file the worker looked at ahead, named by its cache key. */
  z.object({ type: z.literal('speech-found'), cacheKey: DecodeRequest.shape.cacheKey, found: SpeechFound }),
  z.object({
    type: z.literal('done'),
    jobId: Id,
    output: ProcessMediaOutput,
    /** Peak resident memory of the worker so far, in bytes. */
    maxRssBytes: z.number().nonnegative(),
    /** Models this job had to open; 0 when the ones kept from earlier jobs served. */
    modelsOpened: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('failed'), jobId: Id, error: z.object({ code: z.string(), message: z.string() }) }),
  z.object({ type: z.literal('canceled'), jobId: Id }),
]);
export type FromWorker = z.infer<typeof FromWorker>;

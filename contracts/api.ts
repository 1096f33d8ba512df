// The renderer↔main contract: every request the UI may make, its result, and every event the
// core pushes. Electron IPC and the web host's WebSocket both carry exactly these messages.
import { z } from 'zod';
import { AddOutcome, ExportFormat, Id, JobView, MediaDetail, SearchHit, Settings, Transcript } from './domain';
import { ModelStatus } from './models';

const JobRef = z.object({ jobId: Id }).strict();
const SpeakerIndex = z.number().int().nonnegative().max(1000);

export const apiRequests = {
  'jobs.list': { params: z.object({}).strict(), result: z.array(JobView) },
  'jobs.cancel': { params: JobRef, result: z.null() },
  'jobs.retry': { params: JobRef, result: z.null() },
  'jobs.setPriority': {
    params: z.object({ jobId: Id, priority: z.number().int().min(-100).max(100) }).strict(),
    result: z.null(),
  },
  'media.add': {
    params: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000) }).strict(),
    result: z.array(AddOutcome),
  },
  'media.get': { params: z.object({ mediaId: Id }).strict(), result: MediaDetail },
  'transcripts.get': { params: z.object({ mediaId: Id }).strict(), result: Transcript.nullable() },
  /** The file's contents and the name to save it under; saving is the renderer's (a download or a save dialog). */
  'transcripts.export': {
    params: z.object({ mediaId: Id, format: ExportFormat }).strict(),
    result: z.object({
      fileName: z.string(),
      mimeType: z.string(),
      /** Text formats travel as text, DOCX as base64. */
      encoding: z.enum(['utf8', 'base64']),
      content: z.string(),
    }),
  },
  /** Renames a speaker everywhere in the transcript; answers with the updated transcript. */
  'speakers.rename': {
    params: z.object({ mediaId: Id, speaker: SpeakerIndex, name: z.string().trim().min(1).max(100) }).strict(),
    result: Transcript,
  },
  /** Gives everything `from` said to `into` (two labels found for one person); answers with the updated transcript. */
  'speakers.merge': {
    params: z.object({ mediaId: Id, from: SpeakerIndex, into: SpeakerIndex }).strict(),
    result: Transcript,
  },
  'transcripts.search': { params: z.object({ query: z.string().max(500) }).strict(), result: z.array(SearchHit) },
  'models.list': { params: z.object({}).strict(), result: z.array(ModelStatus) },
  'models.remove': { params: z.object({ id: z.string().max(100) }).strict(), result: z.null() },
  'settings.get': { params: z.object({}).strict(), result: Settings },
  /** Changes the given settings only; answers with all of them. */
  'settings.update': { params: Settings.partial().strict(), result: Settings },
} as const;

export type ApiMethod = keyof typeof apiRequests;
export type ApiParams<M extends ApiMethod> = z.infer<(typeof apiRequests)[M]['params']>;
export type ApiResult<M extends ApiMethod> = z.infer<(typeof apiRequests)[M]['result']>;
export const ApiMethodName = z.enum(Object.keys(apiRequests) as [ApiMethod]);

export const apiEvents = {
  /** Jobs whose state, progress, position or ETA changed; sent at most 10 times a second. */
  'jobs.changed': z.object({ jobs: z.array(JobView) }),
} as const;

export type ApiEvent = keyof typeof apiEvents;
export type ApiEventPayload<E extends ApiEvent> = z.infer<(typeof apiEvents)[E]>;
export const ApiEventName = z.enum(Object.keys(apiEvents) as [ApiEvent]);

/** Errors cross the boundary as plain data: a one-line message meant for people. */
export const ApiError = z.object({ message: z.string(), code: z.string() });
export type ApiError = z.infer<typeof ApiError>;

/** The API the renderer sees, whichever transport carries it. */
export interface VerbatimApi {
  invoke<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
  /** Turns dropped or picked files into paths the core can read (Electron: their real paths; web host: uploads). */
  pathsForFiles(files: readonly File[]): Promise<string[]>;
}

/** WebSocket framing used by the web host; Electron IPC carries the same method/params/result values. */
export const WsClientMessage = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type WsServerMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ApiError }
  | { event: ApiEvent; payload: unknown };

/** Electron IPC replies: errors travel as data, since Electron rewrites thrown errors' messages. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiError };

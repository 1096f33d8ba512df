// The renderer↔main contract: every request the UI may make, its result, and every event the
// core pushes. Electron IPC and the web host's WebSocket both carry exactly these messages.
import { z } from 'zod';
import { UpdateStatus } from './updates';
import { API_TOKEN_PATTERN, PoolStatus } from './cloud-api';
import { AddOutcome, EditableTranscript, EngineRun, ExportFormat, Id, JobOptions, JobView, LibraryItem, LibrarySort, LiveSessionView, MediaDetail, ModelDownload, Placement, PoolUrl, SearchHit, Segment, Settings, SettingsPatch } from './domain';
import { LiveCaption, PcmBytes } from './live-protocol';
import { ModelStatus } from './models';
import { Voice, VoiceName } from './voices';

const JobRef = z.object({ jobId: Id }).strict();
const MediaRef = z.object({ mediaId: Id }).strict();
const ModelRef = z.object({ id: z.string().max(100) }).strict();
const SessionRef = z.object({ sessionId: Id }).strict();
const QueuedRecording = z.object({ mediaId: Id, jobId: Id });

/** A file made for the user to save: text formats travel as text, DOCX as base64. */
export const ExportedFile = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  encoding: z.enum(['utf8', 'base64']),
  content: z.string(),
});
export type ExportedFile = z.infer<typeof ExportedFile>;
const SpeakerIndex = z.number().int().nonnegative().max(1000);
const SpeakerRef = z.object({ mediaId: Id, speaker: SpeakerIndex }).strict();
const SegmentIndex = z.number().int().nonnegative();

const PoolToken = z.string().trim().regex(API_TOKEN_PATTERN, 'A pool token looks like vbt_xxxxxxxx_ followed by 32 letters and digits.');

/** Where cloud offload stands: the connection (never the token itself), the breaker, what the pool last said. */
export const OffloadStatus = z.object({
  url: z.string().nullable(),
  caPath: z.string().nullable(),
  /** Where the token comes from: saved in the app (Electron: safeStorage), the environment, or nowhere yet. */
  token: z.enum(['saved', 'environment', 'missing']),
  /** closed: in use; open: the pool failed or could not be reached lately, so work runs here until `retryInSec`. */
  breaker: z.object({ state: z.enum(['closed', 'open', 'half-open']), retryInSec: z.number().nonnegative() }),
  pool: PoolStatus.nullable(),
  /** The last failure talking to the pool, for people. */
  lastError: z.string().nullable(),
});
export type OffloadStatus = z.infer<typeof OffloadStatus>;

const CaPath = z.string().min(1).max(4096);

/**
 * A connection to try before saving it; what is left out is the saved one. The saved token is only ever sent
 * to the saved address with the saved CA: a draft that changes either must carry its own token.
 */
const PoolConnectionDraft = z.object({ url: PoolUrl.optional(), token: PoolToken.optional(), caPath: CaPath.nullable().optional() }).strict();

/** The pool to use: address, CA and token together (token null: keep the saved one, allowed only for the same address and CA). */
const PoolConnection = z.object({ url: PoolUrl.nullable(), caPath: CaPath.nullable(), token: PoolToken.nullable() }).strict();

export const apiRequests = {
  'jobs.list': { params: z.object({}).strict(), result: z.array(JobView) },
  'jobs.cancel': { params: JobRef, result: z.null() },
  'jobs.retry': { params: JobRef, result: z.null() },
  /** Clear finished: forgets the done and canceled transcription jobs (their transcripts stay); answers with their ids. */
  'jobs.clearFinished': { params: z.object({}).strict(), result: z.array(Id) },
  'jobs.setPriority': {
    params: z.object({ jobId: Id, priority: z.number().int().min(-100).max(100) }).strict(),
    result: z.null(),
  },
  /** Per job: decide for me, Run here, or Run in the cloud (takes effect while it waits). */
  'jobs.setPlacement': { params: z.object({ jobId: Id, placement: Placement }).strict(), result: z.null() },
  /** The heavy lane's waiting jobs in the order the user wants them to run (their priorities are rewritten to match). */
  /** Whether the queue is held, and why: the disk is full (how much to free); it carries on by itself. */
  'queue.state': { params: z.object({}).strict(), result: z.object({ held: z.string().nullable() }) },
  'jobs.reorder': { params: z.object({ jobIds: z.array(Id).min(1).max(10_000) }).strict(), result: z.null() },
  /** Adds files (and folders' media files) and queues them, with `options` for these files only. */
  'media.add': {
    params: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000), options: JobOptions.optional() }).strict(),
    result: z.array(AddOutcome),
  },
  /**
   * "Transcribe again…": queues recordings once more with these options; each new transcript
   * replaces the old one, edits included. A waiting job takes the options; a running one refuses.
   */
  'media.retranscribe': {
    params: z.object({ mediaIds: z.array(Id).min(1).max(10_000), options: JobOptions }).strict(),
    result: z.array(AddOutcome),
  },
  'media.get': { params: MediaRef, result: MediaDetail },
  /** Removes a recording and its transcript from the library (the file on disk is the user's and stays). */
  'media.remove': { params: MediaRef, result: z.null() },
  'library.list': {
    params: z.object({ sort: LibrarySort, descending: z.boolean() }).strict(),
    result: z.array(LibraryItem),
  },
  'transcripts.get': { params: MediaRef, result: EditableTranscript.nullable() },
  /** While a recording is transcribed here: the segments found so far, in time order; null when none is. */
  'transcripts.partial': { params: MediaRef, result: z.array(Segment).nullable() },
  /** One transcript's file, or a ZIP of one file each for several; made by export jobs in the light lane. Saving it is the renderer's. */
  'transcripts.export': {
    params: z.object({ mediaIds: z.array(Id).min(1).max(1000), format: ExportFormat }).strict(),
    result: ExportedFile,
  },
  /** Replaces a segment's text; word timings are kept for the words that stayed; empty text removes the segment. Undoable. */
  'transcripts.editSegment': {
    params: z.object({ mediaId: Id, segment: SegmentIndex, text: z.string().max(10_000) }).strict(),
    result: EditableTranscript,
  },
  /** Gives a segment to a speaker of the transcript, or (by `name`) to a new one. Undoable. */
  'transcripts.setSpeaker': {
    params: z
      .object({ mediaId: Id, segment: SegmentIndex, speaker: SpeakerIndex.optional(), name: z.string().trim().min(1).max(100).optional() })
      .strict()
      .refine((params) => (params.speaker === undefined) !== (params.name === undefined), 'Give either speaker or name.'),
    result: EditableTranscript,
  },
  /** Cuts a segment in two before its word `word` (from 0). Undoable. */
  'transcripts.splitSegment': {
    params: z.object({ mediaId: Id, segment: SegmentIndex, word: z.number().int().min(1) }).strict(),
    result: EditableTranscript,
  },
  /** Joins a segment with the next one. Undoable. */
  'transcripts.mergeWithNext': { params: z.object({ mediaId: Id, segment: SegmentIndex }).strict(), result: EditableTranscript },
  'transcripts.undo': { params: MediaRef, result: EditableTranscript },
  'transcripts.redo': { params: MediaRef, result: EditableTranscript },
  /** Renames a speaker everywhere in the transcript; answers with the updated transcript. Undoable. */
  'speakers.rename': {
    params: z.object({ mediaId: Id, speaker: SpeakerIndex, name: z.string().trim().min(1).max(100) }).strict(),
    result: EditableTranscript,
  },
  /** Gives everything `from` said to `into` (two labels found for one person); answers with the updated transcript. Undoable. */
  'speakers.merge': {
    params: z.object({ mediaId: Id, from: SpeakerIndex, into: SpeakerIndex }).strict(),
    result: EditableTranscript,
  },
  /** Full-text search of every transcript; with `speaker`, only what the speakers of that name say (an empty query lists it all). */
  'transcripts.search': {
    params: z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(500).optional(), speaker: z.string().max(200).optional() }).strict(),
    result: z.array(SearchHit),
  },
  /** The voices saved in the voice library. */
  'voices.list': { params: z.object({}).strict(), result: z.array(Voice) },
  /** Saves a named speaker's voice (opt-in, per person): later recordings recognise them. */
  'voices.remember': { params: SpeakerRef, result: EditableTranscript },
  /** Accepts the suggested voice for a speaker: the speaker takes its name (undoable) and their print joins it. */
  'voices.confirm': { params: SpeakerRef, result: EditableTranscript },
  /** Declines the suggested voice for a speaker; it is not suggested for them again. */
  'voices.reject': { params: SpeakerRef, result: EditableTranscript },
  'voices.rename': { params: z.object({ voiceId: Id, name: VoiceName }).strict(), result: Voice },
  /** Two saved voices that are one person. */
  'voices.merge': { params: z.object({ from: Id, into: Id }).strict(), result: Voice },
  /** Deletes a saved voice and every print of it. */
  'voices.delete': { params: z.object({ voiceId: Id }).strict(), result: z.null() },
  /** The people named in the library, for limiting a search to one of them. */
  'speakers.names': {
    params: z.object({}).strict(),
    result: z.array(z.object({ name: z.string(), recordings: z.number().int().nonnegative() })),
  },
  'models.list': { params: z.object({}).strict(), result: z.array(ModelStatus) },
  'models.remove': { params: ModelRef, result: z.null() },
  /** Starts downloading a model; progress arrives as models.changed events. */
  'models.download': { params: ModelRef, result: z.null() },
  'models.cancelDownload': { params: ModelRef, result: z.null() },
  /**
   * Settings ▸ Models ▸ Choose folder…: the host's own folder picker names where downloaded models go (installed
   * ones move there); `reset` goes back to the library's folder. Answers with the settings.
   */
  'models.chooseFolder': { params: z.object({ reset: z.boolean() }).strict(), result: Settings },
  /** Which providers this platform tries, in order, and what the last transcription actually ran on. */
  'system.devices': {
    params: z.object({}).strict(),
    result: z.object({ order: z.array(z.string()), lastRun: EngineRun.nullable() }),
  },
  /** Copy diagnostics: versions, OS, CPU, providers, models, the latest problems; file names only when asked. */
  'system.diagnostics': {
    params: z.object({ includeNames: z.boolean() }).strict(),
    result: z.object({ text: z.string(), logsDir: z.string() }),
  },
  /** Starts a microphone recording; audio follows as live.audio chunks, captions as live.caption events. */
  'live.start': { params: z.object({ inputLabel: z.string().max(200).nullable() }).strict(), result: LiveSessionView },
  /** One chunk of 16 kHz mono 16-bit PCM, numbered from 0 (binary over the WebSocket; bytes over IPC). */
  'live.audio': { params: z.object({ sessionId: Id, seq: z.number().int().nonnegative(), pcm: PcmBytes }).strict(), result: z.null() },
  'live.pause': { params: SessionRef, result: LiveSessionView },
  'live.resume': { params: SessionRef, result: LiveSessionView },
  /** Ends the recording and queues its full transcription (the chosen model, speakers). */
  'live.stop': { params: SessionRef, result: QueuedRecording },
  'live.current': { params: z.object({}).strict(), result: LiveSessionView.nullable() },
  /** Recordings a crash cut off, their files repaired: offered to finish or discard. */
  'live.unfinished': { params: z.object({}).strict(), result: z.array(LiveSessionView) },
  'live.finish': { params: SessionRef, result: QueuedRecording },
  'live.discard': { params: SessionRef, result: z.null() },
  'offload.status': { params: z.object({}).strict(), result: OffloadStatus },
  /** "Test connection": asks the pool for its health, queue and wait with the draft's values (else the saved ones). Sends no audio. */
  'offload.test': { params: PoolConnectionDraft, result: PoolStatus },
  /**
   * "Save connection": the pool's address, CA and token together (the token is kept as a secret and never sent back
   * to the UI); checked first while offload is on. Answers with the status.
   */
  'offload.connect': { params: PoolConnection, result: OffloadStatus },
  /** What the updater is doing; 'off' with the reason where this host has none (the web host, an unpackaged build). */
  'updates.status': { params: z.object({}).strict(), result: UpdateStatus },
  /** Settings ▸ Updates ▸ Check now. */
  'updates.check': { params: z.object({}).strict(), result: UpdateStatus },
  /** "Restart now" on the Update ready notice: refused, saying why, while a recording, job or upload is under way. */
  'updates.restart': { params: z.object({}).strict(), result: z.null() },
  'settings.get': { params: z.object({}).strict(), result: Settings },
  /** Changes the given settings only; answers with all of them. */
  'settings.update': { params: SettingsPatch, result: Settings },
} as const;

export type ApiMethod = keyof typeof apiRequests;
export type ApiParams<M extends ApiMethod> = z.infer<(typeof apiRequests)[M]['params']>;
export type ApiResult<M extends ApiMethod> = z.infer<(typeof apiRequests)[M]['result']>;
export const ApiMethodName = z.enum(Object.keys(apiRequests) as [ApiMethod]);

export const apiEvents = {
  /** Jobs whose state, progress, position or ETA changed; sent at most 10 times a second. */
  'jobs.changed': z.object({ jobs: z.array(JobView) }),
  /** Recordings or transcripts were added, changed or removed: lists and search results are stale. */
  'library.changed': z.object({ mediaIds: z.array(Id) }),
  'models.changed': z.object({ downloads: z.array(ModelDownload) }),
  'queue.changed': z.object({ held: z.string().nullable() }),
  /** The recording in progress changed (state, duration about twice a second, captions' engine); null: none. */
  'live.changed': z.object({ session: LiveSessionView.nullable() }),
  'live.caption': z.object({ sessionId: Id, caption: LiveCaption }),
  /** The pool connection's state changed (breaker, last error, what the pool reported). */
  'offload.changed': z.object({ status: OffloadStatus }),
  'updates.changed': z.object({ status: UpdateStatus }),
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
  /** True where pathsForFiles sees real paths (Electron): a dropped folder is passed whole and the core walks it. */
  readonly nativePaths: boolean;
  /** Where the player streams a recording's audio from. */
  audioUrl(mediaId: number, source: PlaybackSource): string;
}

/**
 * The player's audio: the user's own file first, for its quality; the decoded 16 kHz copy (which the
 * transcript's times refer to, and which plays everywhere) when the original is gone or cannot be played.
 */
export type PlaybackSource = 'original' | 'decoded';

/** WebSocket framing used by the web host; Electron IPC carries the same method/params/result values. */
export const WsClientMessage = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type WsServerMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ApiError }
  | { event: ApiEvent; payload: unknown };

/**
 * A request carrying audio travels as one binary WebSocket frame rather than JSON numbers: a
 * 4-byte little-endian length, that many bytes of JSON ({id, method, params} without `pcm`), then
 * the audio bytes, which become `params.pcm`.
 */
export function encodeBinaryRequest(id: number, method: string, params: Record<string, unknown>, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const header = new TextEncoder().encode(JSON.stringify({ id, method, params }));
  const frame = new Uint8Array(4 + header.length + bytes.byteLength);
  new DataView(frame.buffer).setUint32(0, header.length, true);
  frame.set(header, 4);
  frame.set(bytes, 4 + header.length);
  return frame;
}

/** The request in a binary frame, or null when the frame is not one. */
export function decodeBinaryRequest(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) return null;
  const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  if (4 + length > frame.byteLength) return null;
  try {
    const message = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + length))) as { params?: unknown };
    if (typeof message !== 'object' || message === null || typeof message.params !== 'object' || message.params === null) return null;
    return { ...message, params: { ...message.params, pcm: frame.slice(4 + length) } };
  } catch {
    return null;
  }
}

/** Electron IPC replies: errors travel as data, since Electron rewrites thrown errors' messages. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiError };

// The main↔live-worker contract: audio in, captions out. The live worker is its own supervised
// process, so captions never wait behind a long file in the queue.
import { z } from 'zod';
import { Id, Word } from './domain';
import { TranscribeSettings } from './worker-protocol';

/** 16 kHz mono signed 16-bit little-endian PCM: what the renderer captures and the recording file holds. */
export const LIVE_SAMPLE_RATE = 16_000;
/** At most 2 s of audio in one chunk. */
export const MAX_CHUNK_BYTES = 2 * LIVE_SAMPLE_RATE * 2;

export const PcmBytes = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array, 'audio must be bytes')
  .refine((bytes) => bytes.byteLength % 2 === 0 && bytes.byteLength <= MAX_CHUNK_BYTES, `audio must be whole 16-bit samples, at most ${MAX_CHUNK_BYTES} bytes`);

export const LiveCaption = z.discriminatedUnion('type', [
  /** Confirmed words: they are never taken back. `segment` numbers the caption line they belong to. */
  z.object({
    type: z.literal('final'),
    segment: z.number().int().nonnegative(),
    words: z.array(Word),
    text: z.string(),
    start: z.number().nonnegative(),
    end: z.number().nonnegative(),
    /** The utterance ended here (a pause); otherwise two decodes in a row agreed on these words. */
    utteranceEnd: z.boolean(),
    /** From when the audio of the last word arrived to now. */
    latencyMs: z.number().nonnegative(),
  }),
  /** The not-yet-confirmed tail after the final words; replaces the previous partial. Empty: none. */
  z.object({
    type: z.literal('partial'),
    segment: z.number().int().nonnegative(),
    text: z.string(),
    start: z.number().nonnegative(),
    end: z.number().nonnegative(),
    /** Set on an utterance's first words: from when its speech arrived to now. */
    latencyMs: z.number().nonnegative().nullable(),
  }),
  /** Transcription fell this far behind and jumped ahead; the recording itself keeps the audio. */
  z.object({ type: z.literal('skipped'), fromSec: z.number().nonnegative(), toSec: z.number().nonnegative() }),
  z.object({ type: z.literal('status'), heardSec: z.number().nonnegative(), behindSec: z.number().nonnegative() }),
]);
export type LiveCaption = z.infer<typeof LiveCaption>;

export const LiveSettings = TranscribeSettings.pick({ model: true, vadModelPath: true, language: true, languageFallback: true, task: true, initialPrompt: true, device: true });
export type LiveSettings = z.infer<typeof LiveSettings>;

export const ToLiveWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), sessionId: Id, settings: LiveSettings }),
  z.object({ type: z.literal('audio'), sessionId: Id, pcm: PcmBytes }),
  /** Paused: finish the utterance in progress. */
  z.object({ type: z.literal('flush'), sessionId: Id }),
  /** No more audio: finish what was heard, then say 'ended'. */
  z.object({ type: z.literal('end'), sessionId: Id }),
  z.object({ type: z.literal('shutdown') }),
]);
export type ToLiveWorker = z.infer<typeof ToLiveWorker>;

export const FromLiveWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('heartbeat') }),
  /** The model is open: which one, on which provider. */
  z.object({ type: z.literal('started'), sessionId: Id, model: z.string(), provider: z.string() }),
  z.object({ type: z.literal('caption'), sessionId: Id, caption: LiveCaption }),
  z.object({ type: z.literal('ended'), sessionId: Id }),
  z.object({ type: z.literal('failed'), sessionId: Id, error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type FromLiveWorker = z.infer<typeof FromLiveWorker>;

import path from 'node:path';
import type { MediaInfo } from '../../contracts/domain';
import type { DecodeRequest, ProcessMediaInput, SpeechFound } from '../../contracts/worker-protocol';
import { PcmFile } from '../engine/audio/pcm-file';
import { detectSpeech, speechSeconds, vadSession, type SpeechProbabilities } from '../engine/transcribe';
import type { WarmSessions } from '../engine/warm-sessions';
import { decodeToPcm, type DecodeResult } from './decode';
import { resolveTools } from './ffmpeg-tools';
import { probeMedia } from './probe';
import type { StageContext } from './stage-progress';

export interface Decoded {
  info: MediaInfo;
  decoded: DecodeResult;
}

/** Probe and decode: the pipeline's first two stages, which need only ffmpeg. */
export async function probeAndDecode(request: DecodeRequest, stages: { probe: StageContext; decode: StageContext }): Promise<Decoded> {
  const tools = resolveTools(request.tools);
  stages.probe.progress(0, 0);
  const info = await probeMedia(request.path, tools);
  stages.probe.progress(1, 0);
  // A cancel that arrived while probing: the decode's abort listener would never hear it.
  stages.decode.signal.throwIfAborted();
  const decoded = await decodeToPcm(
    request.path,
    info,
    { ffmpegPath: tools.ffmpeg, outPath: path.join(request.cacheDir, `${request.cacheKey}.f32`), maxDecodedSec: request.maxDecodedSec },
    stages.decode,
  );
  return { info, decoded };
}

/** One queued file's work done ahead of its job. */
export interface AheadEntry {
  input: ProcessMediaInput;
  decoded: Promise<Decoded>;
  /** Decoded and its speech found (only for files that will be transcribed). */
  ready?: { pcmPath: string; durationSec: number; speech: SpeechProbabilities; speechSec: number };
}

const MAX_AHEAD = 8;
const decodeKey = (request: DecodeRequest): string => JSON.stringify([request.path, request.cacheDir, request.cacheKey, request.tools]);
const sameTranscription = (a: ProcessMediaInput, b: ProcessMediaInput): boolean => JSON.stringify(a.transcribe) === JSON.stringify(b.transcribe);
const quiet = (signal: AbortSignal): StageContext => ({ signal, progress: () => undefined });

/**
 * The files queued next, worked on while the current job runs: decoded one after another (ffmpeg
 * is a process of its own, so this costs the transcription little), their speech found with a VAD
 * session of their own. Their transcription waits for their own job: a window never holds two
 * recordings. A new plan replaces the old; what is done is handed to each file's own job once, and a
 * file that failed to decode fails there.
 */
export class WorkAhead {
  private entries: AheadEntry[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly warm: WarmSessions,
    /** Hears how much of a queued file is speech, so its estimate counts speech before its job starts. */
    private readonly onSpeechFound: (input: ProcessMediaInput, found: SpeechFound) => void = () => undefined,
  ) {}

  /** The files now queued next, in order; files no longer among them are forgotten. */
  plan(inputs: readonly ProcessMediaInput[]): void {
    this.entries = inputs.slice(0, MAX_AHEAD).map((input) => {
      const existing = this.entries.find((entry) => decodeKey(entry.input) === decodeKey(input) && sameTranscription(entry.input, input));
      return existing ?? this.prepare(input);
    });
  }

  /** The work done ahead for this job's file, handed over once; undefined if none was started. */
  take(input: ProcessMediaInput): AheadEntry | undefined {
    const index = this.entries.findIndex((entry) => decodeKey(entry.input) === decodeKey(input));
    if (index < 0) return undefined;
    const [entry] = this.entries.splice(index, 1);
    // Other settings (another VAD, another model): only the decode still holds.
    return sameTranscription(entry!.input, input) ? entry : { ...entry!, ready: undefined };
  }

  private prepare(input: ProcessMediaInput): AheadEntry {
    const never = new AbortController().signal;
    const entry = { input } as AheadEntry;
    // One file at a time, in queue order: the next job's file is ready first.
    entry.decoded = this.chain.then(async () => {
      const decoded = await probeAndDecode(input, { probe: quiet(never), decode: quiet(never) });
      if (input.transcribe) {
        const pcm = new PcmFile(decoded.decoded.pcmPath);
        try {
          // A session of its own: the current job's speech detection may be running at the same moment.
          const session = await vadSession(this.warm, input.transcribe.vadModelPath, 'vad-ahead');
          const speech = await detectSpeech(pcm, session, quiet(never));
          const speechSec = speechSeconds(speech, pcm.durationSec);
          entry.ready = { pcmPath: decoded.decoded.pcmPath, durationSec: pcm.durationSec, speech, speechSec };
          this.onSpeechFound(input, { durationSec: pcm.durationSec, speechSec });
        } catch {
          // Its own job finds speech again, and says there what went wrong.
        } finally {
          pcm.close();
        }
      }
      return decoded;
    });
    // Its failure (a corrupt file) belongs to that file's own job, which hears it on take().
    this.chain = entry.decoded.catch(() => undefined);
    return entry;
  }
}

import ort from 'onnxruntime-node';
import type { Device, EngineRun, Segment, Task, Transcript } from '../../contracts/domain';
import type { TranscribeCheckpoint } from '../../contracts/worker-protocol';
import type { StageContext } from '../pipeline/stage-progress';
import { PcmFile, SAMPLE_RATE } from './audio/pcm-file';
import { providerOrder } from '../../contracts/devices';
import { openingModel } from './model-error';
import { openSession } from './onnx/execution-providers';
import { speechProbabilities, VAD_FRAME_SEC } from './vad/silero-vad';
import { speechRegions, type TimeSpan } from './vad/speech-regions';
import { decodeBatch, languageProbabilities, type Decoded } from './whisper/decode-loop';
import { chooseLanguage } from './whisper/language-choice';
import { bestOf, isSilence, needsFallback, QUALITY } from './whisper/quality';
import { buildSegments } from './whisper/segments';
import { promptTokens } from './whisper/special-tokens';
import { WhisperModel, type WhisperModelFiles } from './whisper/whisper-model';
import { WarmSessions } from './warm-sessions';
import { LEAD_IN_SEC, locate, packAlongside, packWindows, windowTail, type AudioWindow } from './whisper/windows';
import { FRAME_SEC, tokenStartTimes } from './whisper/word-alignment';

export interface TranscribeRequest {
  pcmPath: string;
  model: WhisperModelFiles & { id: string };
  vadModelPath: string;
  /** null: detect from the first speech. */
  language: string | null;
  /** Taken when detection is unsure and the model finds it plausible: the user's last language, or the system's. */
  languageFallback?: string | null;
  /** The recording's speech, when it was already found (ahead of the job, by the worker); found here otherwise. */
  speech?: SpeechProbabilities;
  task: Task;
  /** Vocabulary and spelling hints (names, jargon), given to the decoder as earlier context. */
  initialPrompt: string | null;
  device: Device;
  /** Windows decoded together; more helps a GPU, a few help a CPU. */
  batchSize?: number;
  threads?: number;
  /** Carry on from a checkpoint of an earlier run of this same transcription (ignored if it is of another). */
  resume?: TranscribeCheckpoint;
  /** Hears where transcription stands after every batch of windows. */
  onCheckpoint?: (checkpoint: TranscribeCheckpoint) => void;
  /** The recording's new segments after each batch of windows, for the transcript to grow while it runs. */
  onSegments?: (segments: Segment[]) => void;
  /** Hears how much of the recording is speech, once that is known and before any of it is transcribed. */
  onSpeechFound?: (speechSec: number) => void;
}

/** Longest prompt Whisper accepts: half its 448-token context, less the control tokens. */
const MAX_PROMPT_TOKENS = 223;

/**
 * The transcription stages over decoded audio: find speech, pack it into 30 s windows, encode,
 * decode with temperature fallback, align words. Stages report by audio time, so the ETA means
 * something; cancel is honoured between decoder steps (tens of milliseconds apart). The speech
 * probabilities are returned too: diarization cuts its own, finer regions from them.
 */
export async function transcribe(
  request: TranscribeRequest,
  stages: { detectSpeech: StageContext; transcribe: StageContext },
  onEngine: (engine: EngineRun) => void = () => undefined,
  /** Models kept open between jobs (the worker's); without it, this call opens and closes its own. */
  warm?: WarmSessions,
  /**
   * Other recordings, speech already found, to transcribe in this job's spare window room (only with
   * a fixed language: detection would hear them too). Those packed get their segments back.
   */
  riders: readonly Rider[] = [],
): Promise<{ transcript: Transcript; speech: SpeechProbabilities; alongside: Map<Rider, Segment[]> }> {
  const sessions = warm ?? new WarmSessions(0);
  const pcm = new PcmFile(request.pcmPath);
  const riderPcms: PcmFile[] = [];
  try {
    const speech = request.speech ?? (await detectSpeech(pcm, await vadSession(sessions, request.vadModelPath), stages.detectSpeech));
    if (request.speech) stages.detectSpeech.progress(1, pcm.durationSec);
    const regions = speechRegions(speech.probabilities, speech.frameSec, pcm.durationSec);
    request.onSpeechFound?.(spanSeconds(regions));
    const own = packWindows(regions);
    const candidates = request.language === null ? [] : riders;
    for (const rider of candidates) riderPcms.push(new PcmFile(rider.pcmPath));
    const { windows, packed } = packAlongside(
      own,
      candidates.map((rider, index) => ({ source: index + 1, regions: speechRegions(rider.speech.probabilities, rider.speech.frameSec, riderPcms[index]!.durationSec) })),
    );
    const alongside = new Map<Rider, Segment[]>(packed.map((source) => [candidates[source - 1]!, []]));
    if (windows.length === 0) {
      // Nothing to transcribe: no model needs to be opened to say so.
      stages.transcribe.progress(1, pcm.durationSec);
      const engine = { model: request.model.id, provider: 'none', fallbacks: [] };
      const transcript = { language: request.language ?? 'und', task: request.task, engine, durationSec: pcm.durationSec, segments: [] };
      return { transcript: withoutSpeakers(transcript), speech, alongside };
    }
    const order = providerOrder(request.device, process.platform);
    const model = await sessions.get(
      'whisper',
      JSON.stringify([request.model.dir, request.model.dtypeSuffix, order, request.threads]),
      () => openingModel(request.model.id, () => WhisperModel.load(request.model, order, request.threads)),
      (loaded) => loaded.release(),
    );
    onEngine({ model: request.model.id, provider: model.provider, fallbacks: [...model.fallbacks] });
    const { transcript, bySource } = await transcribeWindows([pcm, ...riderPcms], windows, model, request, stages.transcribe);
    for (const source of packed) alongside.set(candidates[source - 1]!, bySource[source] ?? []);
    return { transcript: withoutSpeakers(transcript), speech, alongside };
  } finally {
    pcm.close();
    for (const rider of riderPcms) rider.close();
    if (!warm) await sessions.releaseAll();
  }
}

/**
 * One clip of audio (at most a window, 30 s) decoded as a single window, greedily: its segments in
 * the clip's own time, or none when Whisper judges it silent or its text loops. What live captions
 * decode about once a second, where waiting for five hotter retries (seconds each on a CPU, on a
 * clip cut off mid-word) would stall them; the full transcript after Stop has the fallback.
 */
export async function transcribeClip(
  model: WhisperModel,
  audio: Float32Array,
  options: { language: string | null; languageFallback?: string | null; task: Task; previous: readonly number[]; signal: AbortSignal },
): Promise<{ segments: Segment[]; language: string }> {
  const clipSec = audio.length / SAMPLE_RATE;
  const window: AudioWindow = { pieces: [{ source: 0, start: 0, end: clipSec }], durationSec: LEAD_IN_SEC + clipSec };
  const withLeadIn = new Float32Array(Math.round(LEAD_IN_SEC * SAMPLE_RATE) + audio.length);
  withLeadIn.set(audio, withLeadIn.length - audio.length);
  const encoded = await model.encode([model.logMel(withLeadIn)]);
  let language = options.language ?? (model.multilingual ? null : 'en');
  if (language === null) {
    const [probabilities] = await languageProbabilities(model, encoded);
    language = chooseLanguage([{ probabilities: probabilities!, weightSec: clipSec }], options.languageFallback ?? null).language;
  }
  const prompt = promptTokens(model.tokens, { language, task: options.task, previous: options.previous.slice(-MAX_PROMPT_TOKENS) });
  const [kept] = await decodeWithFallback(model, encoded, prompt, [window], 0, options.signal, false);
  const segments = kept ? windowSegments(kept, model, window, language).map(({ segment }) => segment) : [];
  return { segments, language };
}

/** A recording to transcribe beside a job's own: its decoded audio and the speech found in it. */
export interface Rider {
  pcmPath: string;
  speech: SpeechProbabilities;
}

export function vadSession(sessions: WarmSessions, modelPath: string, kind = 'vad'): Promise<ort.InferenceSession> {
  // Tiny and sequential: the CPU with one thread beats any GPU round trip.
  return sessions.get(
    kind,
    modelPath,
    async () => (await openSession(modelPath, ['cpu'], { threads: 1 })).session,
    (session) => session.release(),
  );
}

/**
 * Seconds of speech in a recording: what transcription costs grow with (silence costs only its
 * decoding and speech detection, hundreds of times faster).
 */
export function speechSeconds(speech: SpeechProbabilities, durationSec: number): number {
  return spanSeconds(speechRegions(speech.probabilities, speech.frameSec, durationSec));
}

function spanSeconds(regions: readonly TimeSpan[]): number {
  return regions.reduce((sum, region) => sum + (region.end - region.start), 0);
}

export interface SpeechProbabilities {
  probabilities: Float32Array;
  frameSec: number;
}

export async function detectSpeech(pcm: PcmFile, session: ort.InferenceSession, context: StageContext): Promise<SpeechProbabilities> {
  const probabilities = await speechProbabilities(
    session,
    pcm,
    (doneSec) => context.progress(doneSec / Math.max(pcm.durationSec, 1e-9), doneSec),
    context.signal,
  );
  return { probabilities, frameSec: VAD_FRAME_SEC };
}

type SpeakerlessTranscript = Omit<Transcript, 'speakers' | 'turns' | 'diarization'>;

/** A transcript before diarization: nobody is labelled yet. */
function withoutSpeakers(transcript: SpeakerlessTranscript): Transcript {
  return { ...transcript, speakers: [], turns: [], diarization: null };
}

/** Decodes the windows; `pcms[0]` is the job's recording, the rest those packed beside it (by source). */
async function transcribeWindows(
  pcms: readonly PcmFile[],
  windows: readonly AudioWindow[],
  model: WhisperModel,
  request: TranscribeRequest,
  context: StageContext,
): Promise<{ transcript: SpeakerlessTranscript; bySource: Segment[][] }> {
  const pcm = pcms[0]!;
  const { signal } = context;
  const batchSize = request.batchSize ?? (model.provider === 'cpu' ? 4 : 8);
  const totalSec = windows.reduce((sum, window) => sum + window.durationSec, 0);
  let language = request.language ?? (model.multilingual ? null : 'en');
  const previous = request.initialPrompt ? model.encodePrompt(request.initialPrompt).slice(-MAX_PROMPT_TOKENS) : [];
  const bySource: Segment[][] = pcms.map(() => []);
  // Windows still to decode: the VAD's, then the tails Whisper left untranscribed (see windowTail).
  const pending = [...windows];
  const original = new Set(windows);
  let doneSec = 0;
  let seed = 0;
  // Checkpoints hold one recording's state; windows shared with others (riders) are not resumable.
  const key = pcms.length === 1 ? checkpointKey(request, windows, pcm.durationSec) : null;
  const resume = request.resume?.key === key ? request.resume : undefined;
  if (resume) {
    language = resume.language;
    seed = resume.seed;
    doneSec = resume.doneSec;
    bySource[0]!.push(...resume.segments);
    pending.splice(0, pending.length, ...resume.pending);
    // Progress counts the VAD's windows, not tails: the checkpoint says which of its windows are which.
    resume.pending.forEach((window, index) => resume.original[index] && original.add(window));
  }
  context.progress(doneSec / Math.max(totalSec, 1e-9), 0);

  while (pending.length > 0) {
    signal.throwIfAborted();
    await context.yieldPoint?.();
    const batch = pending.splice(0, batchSize);
    const mels = [];
    for (const window of batch) mels.push(model.logMel(windowAudio(pcms, window)));
    const encoded = await model.encode(mels, model.provider === 'cpu' ? 1 : batch.length);
    if (language === null) {
      // From every window of the first batch (up to 2 minutes of speech), weighed by its speech.
      const probabilities = await languageProbabilities(model, encoded);
      const evidence = probabilities.map((item, index) => ({ probabilities: item, weightSec: batch[index]!.durationSec - LEAD_IN_SEC }));
      language = chooseLanguage(evidence, request.languageFallback ?? null).language;
    }
    const prompt = promptTokens(model.tokens, { language, task: request.task, previous });
    const kept = await decodeWithFallback(model, encoded, prompt, batch, seed, signal);
    seed += batch.length;
    const tails: AudioWindow[] = [];
    const fresh: Segment[] = [];
    kept.forEach((attempt, index) => {
      if (!attempt) return;
      const window = batch[index]!;
      for (const { source, segment } of windowSegments(attempt, model, window, language!)) {
        bySource[source]!.push(segment);
        if (source === 0) fresh.push(segment);
      }
      const tail = windowTail(window, coveredSec(attempt.decoded, model, window.durationSec));
      if (tail) tails.push(tail);
    });
    pending.unshift(...tails);
    // Progress counts the VAD's windows; tails are extra work inside them.
    for (const window of batch) if (original.has(window)) doneSec += window.durationSec;
    const reached = batch.flatMap((window) => window.pieces.filter((piece) => piece.source === 0).map((piece) => piece.end));
    context.progress(doneSec / Math.max(totalSec, 1e-9), Math.max(0, ...reached));
    if (fresh.length) request.onSegments?.(fresh);
    if (key && request.onCheckpoint) request.onCheckpoint({ key, language, seed, doneSec, pending: structuredClone(pending), original: pending.map((window) => original.has(window)), segments: [...bySource[0]!] });
  }
  // Tails were decoded after the windows that follow them.
  for (const segments of bySource) segments.sort((a, b) => a.start - b.start);
  context.progress(1, pcm.durationSec);
  const transcript = {
    language: language ?? request.language ?? 'en',
    task: request.task,
    engine: { model: request.model.id, provider: model.provider, fallbacks: model.fallbacks },
    durationSec: pcm.durationSec,
    segments: bySource[0]!,
  };
  return { transcript, bySource };
}

/** What a checkpoint must match to be resumed: the same audio, windows and settings. */
function checkpointKey(request: TranscribeRequest, windows: readonly AudioWindow[], durationSec: number): string {
  const { model, language, task, initialPrompt, batchSize } = request;
  return JSON.stringify([model.id, model.dtypeSuffix, language, task, initialPrompt, batchSize ?? null, durationSec, windows.length, windows[0]?.pieces[0]?.start ?? null]);
}

interface Attempt {
  decoded: Decoded;
  text: string;
  avgLogprob: number;
  noSpeechProb: number;
  temperature: number;
}

/** Most items decoded at once when retrying windows hotter: bounds the attention kept in memory. */
const MAX_FALLBACK_BATCH = 10;

/**
 * Greedy decoding for every window of the batch, then, for the windows that came out looping or
 * unsure, every higher temperature at once (one batched pass costs about two serial ones on a
 * CPU, against up to five for OpenAI's one-temperature-at-a-time loop). The kept attempt is the
 * one OpenAI's loop would keep: the first, by temperature, that is silence (null) or passes.
 */
async function decodeWithFallback(
  model: WhisperModel,
  encoded: ort.Tensor,
  prompt: readonly number[],
  batch: readonly AudioWindow[],
  seed: number,
  signal: AbortSignal,
  /** The higher temperatures' retries; without them a looping decode is dropped and an unsure one kept. */
  fallback = true,
): Promise<Array<Attempt | null>> {
  const greedy = await decodeBatch(model, {
    encoded,
    prompt,
    items: batch.map((window) => ({ durationSec: window.durationSec, temperature: 0 })),
    seed,
    signal,
  });
  const attempts = greedy.map((decoded) => [describe(decoded, model, 0)]);
  const retries = (fallback ? attempts : [])
    .map((list, index) => ({ first: list[0]!, index }))
    .filter(({ first }) => !isSilence(first) && needsFallback(first))
    .flatMap(({ index }) => QUALITY.temperatures.slice(1).map((temperature) => ({ index, temperature })));
  for (let start = 0; start < retries.length; start += MAX_FALLBACK_BATCH) {
    const group = retries.slice(start, start + MAX_FALLBACK_BATCH);
    const hot = await decodeBatch(model, {
      encoded: stackItems(encoded, group.map(({ index }) => index)),
      prompt,
      items: group.map(({ index, temperature }) => ({ durationSec: batch[index]!.durationSec, temperature })),
      seed: seed + start + 1,
      signal,
    });
    hot.forEach((decoded, k) => attempts[group[k]!.index]!.push(describe(decoded, model, group[k]!.temperature)));
  }
  return attempts.map((list) => {
    for (const attempt of list) {
      if (isSilence(attempt)) return null;
      if (!needsFallback(attempt)) return attempt;
    }
    return bestOf(list);
  });
}

function describe(decoded: Decoded, model: WhisperModel, temperature: number): Attempt {
  const text = model.text(decoded.tokens.filter((token) => token < model.tokens.eot));
  return {
    decoded,
    text,
    // Counting the end-of-text too, as OpenAI does, so an empty decode is not "perfectly sure".
    avgLogprob: decoded.sumLogprob / (decoded.tokens.length + 1),
    noSpeechProb: decoded.noSpeechProb,
    temperature,
  };
}

/**
 * How far into the window the decode's segments reach: its last timestamp, or the whole window when
 * decoding stopped inside a segment. Whisper sometimes closes a window early and says nothing of its
 * last sentences; OpenAI's loop seeks back to this point, and so do we (see windowTail).
 */
function coveredSec(decoded: Decoded, model: WhisperModel, durationSec: number): number {
  const last = decoded.tokens[decoded.tokens.length - 1];
  if (last === undefined || last < model.tokens.timestampBegin) return durationSec;
  return (last - model.tokens.timestampBegin) * FRAME_SEC;
}

/**
 * The window's segments, each in its own recording's time. A segment whose words fall in two
 * recordings (packed side by side, see packAlongside) is split where they change hands.
 */
function windowSegments(attempt: Attempt, model: WhisperModel, window: AudioWindow, language: string): Array<{ source: number; segment: Segment }> {
  const { decoded } = attempt;
  const rows = decoded.attention;
  const textCount = decoded.tokens.filter((token) => token < model.tokens.eot).length;
  const starts = Array.from(tokenStartTimes(rows, model.alignmentHeads.length, decoded.frames));
  // Decoding cut off before the end-of-text: the last word ends with the audio.
  while (starts.length < textCount + 1) starts.push(window.durationSec);
  const local = buildSegments(
    {
      tokens: decoded.tokens,
      logprobs: decoded.logprobs,
      textTokenStarts: starts,
      timestampBegin: model.tokens.timestampBegin,
      eot: model.tokens.eot,
      durationSec: window.durationSec,
    },
    (ids) => model.text(ids),
    language,
    { avgLogprob: attempt.avgLogprob, noSpeechProb: attempt.noSpeechProb, temperature: attempt.temperature },
  );
  const at = (sec: number) => locate(window, Math.min(sec, window.durationSec));
  const out: Array<{ source: number; segment: Segment }> = [];
  for (const segment of local) {
    const runs: Array<{ source: number; words: Segment['words'] }> = [];
    for (const word of segment.words) {
      // Whose word, and in which stretch of speech: where its middle falls (alignment puts starts early, into the
      // silence before). A word never spans the silence packing took out between two stretches, nor two recordings.
      const middle = at((word.start + word.end) / 2);
      const { source } = middle;
      const piece = window.pieces[middle.piece];
      const start = at(word.start);
      const end = at(word.end);
      const mapped = {
        ...word,
        start: round(start.piece === middle.piece ? start.sec : (piece?.start ?? middle.sec)),
        end: round(end.piece === middle.piece ? end.sec : (piece?.end ?? middle.sec)),
      };
      if (runs[runs.length - 1]?.source !== source) runs.push({ source, words: [] });
      runs[runs.length - 1]!.words.push(mapped);
    }
    if (runs.length <= 1) {
      const source = runs[0]?.source ?? at(segment.start).source;
      const words = runs[0]?.words ?? [];
      const start = at(segment.start);
      const end = at(segment.end);
      out.push({
        source,
        segment: {
          ...segment,
          start: start.source === source ? round(start.sec) : (words[0]?.start ?? 0),
          end: end.source === source ? round(end.sec) : (words[words.length - 1]?.end ?? 0),
          words,
        },
      });
      continue;
    }
    for (const { source, words } of runs) {
      out.push({ source, segment: { ...segment, text: words.map((word) => word.text).join(' '), start: words[0]!.start, end: words[words.length - 1]!.end, words } });
    }
  }
  return out;
}

function windowAudio(pcms: readonly PcmFile[], window: AudioWindow): Float32Array {
  const audio = new Float32Array(Math.round(window.durationSec * SAMPLE_RATE) + 2 * window.pieces.length);
  // The lead-in stays zeros.
  let offset = Math.round(LEAD_IN_SEC * SAMPLE_RATE);
  for (const piece of window.pieces) {
    offset += Math.round((piece.gapSec ?? 0) * SAMPLE_RATE);
    const samples = pcms[piece.source]!.read(piece.start * SAMPLE_RATE, (piece.end - piece.start) * SAMPLE_RATE);
    audio.set(samples.subarray(0, audio.length - offset), offset);
    offset += samples.length;
  }
  return audio.subarray(0, offset);
}

/** A batch made of the given items of another (repeats allowed). */
function stackItems(encoded: ort.Tensor, indices: readonly number[]): ort.Tensor {
  const [, frames, width] = encoded.dims as [number, number, number];
  const size = frames * width;
  const data = new Float32Array(indices.length * size);
  indices.forEach((index, k) => data.set((encoded.data as Float32Array).subarray(index * size, (index + 1) * size), k * size));
  return new ort.Tensor('float32', data, [indices.length, frames, width]);
}

function round(sec: number): number {
  return Math.round(sec * 1000) / 1000;
}

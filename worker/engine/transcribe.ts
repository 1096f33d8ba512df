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
import { decodeBatch, languageProbabilities, type Decoded, type DecoderStart } from './whisper/decode-loop';
import { chooseLanguage } from './whisper/language-choice';
import { bestOf, isSilence, needsFallback, QUALITY, repeatsLongPhrase } from './whisper/quality';
import { buildSegments, joinWords } from './whisper/segments';
import { promptTokens } from './whisper/special-tokens';
import { MEL_FRAMES } from './whisper/log-mel';
import { WhisperModel, type WhisperModelFiles } from './whisper/whisper-model';
import { WarmSessions } from './warm-sessions';
import { centredIn, LEAD_IN_SEC, locate, packWindows, piecesToHearAgain, secondLook, windowTail, type AudioWindow } from './whisper/windows';
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
): Promise<{ transcript: Transcript; speech: SpeechProbabilities }> {
  const sessions = warm ?? new WarmSessions(0);
  const pcm = new PcmFile(request.pcmPath);
  try {
    const speech = request.speech ?? (await detectSpeech(pcm, await vadSession(sessions, request.vadModelPath), stages.detectSpeech));
    if (request.speech) stages.detectSpeech.progress(1, pcm.durationSec);
    const regions = speechRegions(speech.probabilities, speech.frameSec, pcm.durationSec);
    request.onSpeechFound?.(spanSeconds(regions));
    // Each window holds this recording's speech only: no word can come from, or go to, another file.
    const windows = packWindows(regions);
    if (windows.length === 0) {
      // Nothing to transcribe: no model needs to be opened to say so.
      stages.transcribe.progress(1, pcm.durationSec);
      const engine = { model: request.model.id, provider: 'none', fallbacks: [] };
      const transcript = { language: request.language ?? 'und', task: request.task, engine, durationSec: pcm.durationSec, segments: [] };
      return { transcript: withoutSpeakers(transcript), speech };
    }
    const order = providerOrder(request.device, process.platform);
    const model = await sessions.get(
      'whisper',
      JSON.stringify([request.model.dir, request.model.dtypeSuffix, order, request.threads]),
      () => openingModel(request.model.id, () => WhisperModel.load(request.model, order, request.threads)),
      (loaded) => loaded.release(),
    );
    onEngine({ model: request.model.id, provider: model.provider, fallbacks: [...model.fallbacks] });
    const transcript = await transcribeWindows(pcm, windows, model, request, stages.transcribe);
    return { transcript: withoutSpeakers(transcript), speech };
  } finally {
    pcm.close();
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
  const window: AudioWindow = { pieces: [{ start: 0, end: clipSec }], durationSec: LEAD_IN_SEC + clipSec };
  const withLeadIn = new Float32Array(Math.round(LEAD_IN_SEC * SAMPLE_RATE) + audio.length);
  withLeadIn.set(audio, withLeadIn.length - audio.length);
  const frames = model.inputFrames(window.durationSec);
  const encoded = await model.encode([model.logMel(withLeadIn, frames)]);
  let language = options.language ?? (model.multilingual ? null : 'en');
  const previous = options.previous.slice(-MAX_PROMPT_TOKENS);
  let start: DecoderStart | undefined;
  if (language === null) {
    const detected = await languageProbabilities(model, encoded, promptPrefix(model, options.task, previous));
    start = detected.start;
    language = chooseLanguage([{ probabilities: detected.languages[0]!, weightSec: clipSec }], options.languageFallback ?? null).language;
  }
  const prompt = promptTokens(model.tokens, { language, task: options.task, previous });
  const fullWindows = frames < MEL_FRAMES ? async () => model.encode([model.logMel(withLeadIn)]) : undefined;
  const [kept] = await decodeWithFallback(model, { encoded, start, fullWindows }, prompt, [window], 0, options.signal, false);
  const segments = kept ? windowSegments(kept, model, window, language) : [];
  return { segments, language };
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

async function transcribeWindows(
  pcm: PcmFile,
  windows: readonly AudioWindow[],
  model: WhisperModel,
  request: TranscribeRequest,
  context: StageContext,
): Promise<SpeakerlessTranscript> {
  const { signal } = context;
  const batchSize = request.batchSize ?? (model.provider === 'cpu' ? 4 : 8);
  const totalSec = windows.reduce((sum, window) => sum + window.durationSec, 0);
  let language = request.language ?? (model.multilingual ? null : 'en');
  const previous = request.initialPrompt ? model.encodePrompt(request.initialPrompt).slice(-MAX_PROMPT_TOKENS) : [];
  const segments: Segment[] = [];
  // Windows still to decode: the VAD's, then what Whisper left untranscribed in them (see windowTail, piecesToHearAgain).
  const pending = [...windows];
  const original = new Set(windows);
  let doneSec = 0;
  let seed = 0;
  const key = checkpointKey(request, windows, pcm.durationSec);
  const resume = request.resume?.key === key ? request.resume : undefined;
  if (resume) {
    language = resume.language;
    seed = resume.seed;
    doneSec = resume.doneSec;
    segments.push(...resume.segments);
    pending.splice(0, pending.length, ...resume.pending);
    // Progress counts the VAD's windows, not tails: the checkpoint says which of its windows are which.
    resume.pending.forEach((window, index) => resume.original[index] && original.add(window));
  }
  context.progress(doneSec / Math.max(totalSec, 1e-9), 0);

  while (pending.length > 0) {
    signal.throwIfAborted();
    await context.yieldPoint?.();
    const batch = pending.splice(0, batchSize);
    // One length for the batch: the encoder's tensor is [batch, mel bins, frames].
    const frames = Math.max(...batch.map((window) => model.inputFrames(window.durationSec)));
    const audio = batch.map((window) => windowAudio(pcm, window));
    const mels = audio.map((samples) => model.logMel(samples, frames));
    const encoded = await model.encode(mels, model.provider === 'cpu' ? 1 : batch.length);
    let start: DecoderStart | undefined;
    if (language === null) {
      // From every window of the first batch (up to 2 minutes of speech), weighed by its speech.
      const detected = await languageProbabilities(model, encoded, promptPrefix(model, request.task, previous));
      start = detected.start;
      const evidence = detected.languages.map((item, index) => ({ probabilities: item, weightSec: batch[index]!.durationSec - LEAD_IN_SEC }));
      language = chooseLanguage(evidence, request.languageFallback ?? null).language;
    }
    const prompt = promptTokens(model.tokens, { language, task: request.task, previous });
    const fullWindows = frames < MEL_FRAMES ? (indices: readonly number[]) => model.encode(indices.map((index) => model.logMel(audio[index]!))) : undefined;
    const kept = await decodeWithFallback(model, { encoded, start, fullWindows }, prompt, batch, seed, signal);
    seed += batch.length;
    const again: AudioWindow[] = [];
    const fresh: Segment[] = [];
    kept.forEach((attempt, index) => {
      if (!attempt) return;
      const window = batch[index]!;
      const decoded = windowSegments(attempt, model, window, language!);
      const covered = coveredSec(attempt.decoded, model, window.durationSec);
      const redo = piecesToHearAgain(window, covered, decoded);
      fresh.push(...withoutWordsIn(decoded, redo, language!));
      again.push(...redo.map(secondLook));
      const tail = windowTail(window, covered);
      if (tail) again.push(tail);
    });
    pending.unshift(...again);
    // Progress counts the VAD's windows; what is decoded again is extra work inside them.
    for (const window of batch) if (original.has(window)) doneSec += window.durationSec;
    const reached = batch.flatMap((window) => window.pieces.map((piece) => piece.end));
    context.progress(doneSec / Math.max(totalSec, 1e-9), Math.max(0, ...reached));
    segments.push(...fresh);
    if (fresh.length) request.onSegments?.(fresh);
    request.onCheckpoint?.({ key, language, seed, doneSec, pending: structuredClone(pending), original: pending.map((window) => original.has(window)), segments: [...segments] });
  }
  // Tails were decoded after the windows that follow them.
  segments.sort((a, b) => a.start - b.start);
  context.progress(1, pcm.durationSec);
  const transcript = {
    language: language ?? request.language ?? 'en',
    task: request.task,
    engine: { model: request.model.id, provider: model.provider, fallbacks: model.fallbacks },
    durationSec: pcm.durationSec,
    segments,
  };
  return transcript;
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
 *
 * A batch encoded shorter than 30 s (see WhisperModel.inputFrames) is first decoded as it is; a
 * window whose decode is not plainly good there — silent, looping, unsure, or saying a phrase twice,
 * the way small models fill a short context — is encoded again as a full window, where Whisper was
 * trained, and decoded from the start. The short pass only ever saves time: it never decides alone.
 */
async function decodeWithFallback(
  model: WhisperModel,
  /**
   * The batch's encoder output; where language detection left the decoder, if it ran; and, when the
   * batch was encoded short, how to encode some of its windows as full ones.
   */
  audio: { encoded: ort.Tensor; start?: DecoderStart; fullWindows?: (indices: readonly number[]) => Promise<ort.Tensor> },
  prompt: readonly number[],
  batch: readonly AudioWindow[],
  seed: number,
  signal: AbortSignal,
  /** The higher temperatures' retries; without them a looping decode is dropped and an unsure one kept. */
  fallback = true,
): Promise<Array<Attempt | null>> {
  const greedy = await decodeBatch(model, {
    encoded: audio.encoded,
    prompt,
    items: batch.map((window) => ({ durationSec: window.durationSec, temperature: 0 })),
    seed,
    signal,
    start: audio.start,
  });
  const attempts = greedy.map((decoded) => [describe(decoded, model, 0)]);
  // Where each window's retries read their encoder output from: [tensor, item].
  const sources: Array<[ort.Tensor, number]> = batch.map((_, index) => [audio.encoded, index]);
  if (audio.fullWindows) {
    const again = attempts.flatMap((list, index) => (plainlyGood(list[0]!) ? [] : [index]));
    if (again.length > 0) {
      const full = await audio.fullWindows(again);
      const redone = await decodeBatch(model, {
        encoded: full,
        prompt,
        items: again.map((index) => ({ durationSec: batch[index]!.durationSec, temperature: 0 })),
        seed,
        signal,
      });
      again.forEach((index, k) => {
        attempts[index] = [describe(redone[k]!, model, 0)];
        sources[index] = [full, k];
      });
    }
  }
  const retries = (fallback ? attempts : [])
    .map((list, index) => ({ first: list[0]!, index }))
    .filter(({ first }) => !isSilence(first) && needsFallback(first))
    .flatMap(({ index }) => QUALITY.temperatures.slice(1).map((temperature) => ({ index, temperature })));
  for (let start = 0; start < retries.length; start += MAX_FALLBACK_BATCH) {
    const group = retries.slice(start, start + MAX_FALLBACK_BATCH);
    const hot = await decodeBatch(model, {
      encoded: stackItems(group.map(({ index }) => sources[index]!)),
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

/** A decode of a short encoding that a full window would not improve on: speech, sure, saying nothing twice. */
function plainlyGood(attempt: Attempt): boolean {
  return !isSilence(attempt) && !needsFallback(attempt) && !repeatsLongPhrase(attempt.text);
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

/** The window's segments, in the recording's time. */
function windowSegments(attempt: Attempt, model: WhisperModel, window: AudioWindow, language: string): Segment[] {
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
  return local.map((segment) => {
    const words = segment.words.map((word) => {
      // Which stretch of speech the word is in: where its middle falls (alignment puts starts early, into the
      // silence before). A word never spans the silence packing took out between two stretches.
      const middle = at((word.start + word.end) / 2);
      const piece = window.pieces[middle.piece];
      const start = at(word.start);
      const end = at(word.end);
      return {
        ...word,
        start: round(start.piece === middle.piece ? start.sec : (piece?.start ?? middle.sec)),
        end: round(end.piece === middle.piece ? end.sec : (piece?.end ?? middle.sec)),
      };
    });
    return { ...segment, start: round(at(segment.start).sec), end: round(at(segment.end).sec), words };
  });
}

/** The segments less the words in `pieces` (decoded again on their own); a segment left with none goes. */
function withoutWordsIn(segments: readonly Segment[], pieces: readonly TimeSpan[], language: string): readonly Segment[] {
  if (pieces.length === 0) return segments;
  return segments.flatMap((segment) => {
    const words = segment.words.filter((word) => !pieces.some((piece) => centredIn(piece, word)));
    if (words.length === segment.words.length) return [segment];
    if (words.length === 0) return [];
    return [{ ...segment, words, text: joinWords(words, language), start: words[0]!.start, end: words[words.length - 1]!.end }];
  });
}

function windowAudio(pcm: PcmFile, window: AudioWindow): Float32Array {
  const audio = new Float32Array(Math.round(window.durationSec * SAMPLE_RATE) + 2 * window.pieces.length);
  // The lead-in stays zeros.
  let offset = Math.round(LEAD_IN_SEC * SAMPLE_RATE);
  for (const piece of window.pieces) {
    const samples = pcm.read(piece.start * SAMPLE_RATE, (piece.end - piece.start) * SAMPLE_RATE);
    audio.set(samples.subarray(0, audio.length - offset), offset);
    offset += samples.length;
  }
  return audio.subarray(0, offset);
}

/** The prompt up to <|startoftranscript|>: what language detection runs the decoder over. */
function promptPrefix(model: WhisperModel, task: Task, previous: readonly number[]): number[] {
  const prompt = promptTokens(model.tokens, { language: 'en', task, previous });
  return prompt.slice(0, prompt.indexOf(model.tokens.sot) + 1);
}

/** A batch made of items of other batches (repeats allowed): [tensor, item] each. */
function stackItems(items: ReadonlyArray<readonly [ort.Tensor, number]>): ort.Tensor {
  const [, frames, width] = items[0]![0].dims as [number, number, number];
  const size = frames * width;
  const data = new Float32Array(items.length * size);
  items.forEach(([tensor, index], k) => data.set((tensor.data as Float32Array).subarray(index * size, (index + 1) * size), k * size));
  return new ort.Tensor('float32', data, [items.length, frames, width]);
}

function round(sec: number): number {
  return Math.round(sec * 1000) / 1000;
}

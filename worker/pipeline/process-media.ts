import type { Segment, Transcript } from '../../contracts/domain';
import type { ProcessMediaInput, ProcessMediaOutput, SpeechFound, TranscribeCheckpoint, WorkerProgress } from '../../contracts/worker-protocol';
import { assignSpeakers } from '../engine/diarize/assign-speakers';
import { diarize } from '../engine/diarize/diarize';
import { firstLine } from '../engine/onnx/execution-providers';
import { transcribe } from '../engine/transcribe';
import type { WarmSessions } from '../engine/warm-sessions';
import type { YieldGate } from './yield-gate';
import { probeAndDecode, type Decoded, type WorkAhead } from './work-ahead';
import { stageContexts } from './stage-progress';
import { PcmFile } from '../engine/audio/pcm-file';
import { cepstralPrints } from '../engine/diarize/voice-prints';
import type { SpeakerPrint } from '../../contracts/voices';
import type { SpeakerTurn } from '../../contracts/domain';

/**
 * Relative cost of each stage on a CPU (decoding runs ~1000× realtime, speech detection ~200×,
 * transcription ~5×, built-in diarization ~1000×, neural ~60×), so the bar moves at a steady pace
 * through the whole job.
 */
const STAGE_WEIGHTS = { probe: 1, decode: 2, 'detect-speech': 10, transcribe: 400 } as const;
const DIARIZE_WEIGHT = { builtin: 2, neural: 30 } as const;

/**
 * The media pipeline: probe, decode to cached PCM with waveform peaks, find speech, transcribe,
 * then label speakers. Each stage reads what the one before produced.
 */
export async function processMedia(
  input: ProcessMediaInput,
  signal: AbortSignal,
  report: (update: WorkerProgress) => void,
  /** Hears the transcript before diarization starts, so it can be kept whatever happens next. */
  onTranscript: (transcript: Transcript) => void = () => undefined,
  /** The worker's long-lived parts: models kept open between jobs, and the work done ahead on queued files. */
  engine: {
    warm?: WarmSessions;
    ahead?: WorkAhead;
    yieldGate?: YieldGate;
    onCheckpoint?: (checkpoint: TranscribeCheckpoint) => void;
    onSegments?: (segments: Segment[]) => void;
    /** How much of this job's recording is speech, as soon as that is known. */
    onSpeechFound?: (found: SpeechFound) => void;
  } = {},
): Promise<ProcessMediaOutput> {
  let last: WorkerProgress = { stage: 'probe', progress: 0, processedSec: 0 };
  const weights: Record<keyof typeof STAGE_WEIGHTS | 'diarize', number> = { ...STAGE_WEIGHTS, diarize: input.diarize ? DIARIZE_WEIGHT[input.diarize.tier] : 0 };
  const gate = engine.yieldGate;
  const stages = stageContexts(weights, signal, (update) => report((last = update)), gate && (() => gate.wait(signal)));
  const speechFound = (durationSec: number, speechSec: number): void => {
    // Transcription and diarization cost by speech: a mostly silent file is mostly done once its speech is found.
    const share = durationSec > 0 ? Math.min(1, speechSec / durationSec) : 1;
    weights.transcribe = STAGE_WEIGHTS.transcribe * share;
    weights.diarize *= share;
    engine.onSpeechFound?.({ durationSec, speechSec });
  };

  const early = engine.ahead?.take(input);
  let prepared: Decoded;
  if (early) {
    stages.probe.progress(0, 0);
    prepared = await early.decoded;
    stages.decode.progress(1, prepared.decoded.decodedSec);
    signal.throwIfAborted();
  } else prepared = await probeAndDecode(input, stages);
  const { info, decoded } = prepared;
  const base = { info, waveform: decoded.waveform, pcmPath: decoded.pcmPath, decodedSec: decoded.decodedSec, prints: [] };
  if (!input.transcribe) return { ...base, transcript: null, prints: input.printTurns ? printsOf(decoded.pcmPath, input.printTurns) : [] };

  const { transcript, speech } = await transcribe(
    {
      pcmPath: decoded.pcmPath,
      ...input.transcribe,
      speech: early?.ready?.speech,
      resume: input.resume,
      onCheckpoint: input.checkpoints ? engine.onCheckpoint : undefined,
      onSegments: engine.onSegments,
      onSpeechFound: (speechSec) => speechFound(decoded.decodedSec, speechSec),
    },
    { detectSpeech: stages['detect-speech'], transcribe: stages.transcribe },
    (run) => report({ ...last, engine: run }),
    engine.warm,
  );
  if (!input.diarize) return { ...base, transcript };
  onTranscript(transcript);
  try {
    const { turns, run, prints } = await diarize({ pcmPath: decoded.pcmPath, speech, ...input.diarize }, stages.diarize);
    const segments = assignSpeakers(transcript.segments, turns);
    const speakerIds = [...new Set(turns.map((turn) => turn.speaker))].sort((a, b) => a - b);
    const speakers = speakerIds.map((id) => ({ id, name: `Speaker ${id + 1}` }));
    return { ...base, transcript: { ...transcript, segments, speakers, turns, diarization: run }, prints };
  } catch (error) {
    signal.throwIfAborted();
    // The transcript stands without speaker labels; the reason travels with it to the user.
    const run = { tier: input.diarize.tier, provider: 'none', fallbacks: input.diarize.fallbacks, error: firstLine(error) };
    return { ...base, transcript: { ...transcript, diarization: run } };
  }
}

/** The voice prints of a transcript's speakers made elsewhere, from the audio decoded here. */
function printsOf(pcmPath: string, turns: readonly SpeakerTurn[]): SpeakerPrint[] {
  const pcm = new PcmFile(pcmPath);
  try {
    return cepstralPrints(pcm, turns);
  } finally {
    pcm.close();
  }
}

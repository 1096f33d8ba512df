import path from 'node:path';
import type { ProcessMediaInput, ProcessMediaOutput, WorkerProgress } from '../../contracts/worker-protocol';
import { transcribe } from '../engine/transcribe';
import { decodeToPcm } from './decode';
import { resolveTools } from './ffmpeg-tools';
import { probeMedia } from './probe';
import { stageContexts } from './stage-progress';

/**
 * Relative cost of each stage on a CPU (decoding runs ~1000× realtime, speech detection ~200×,
 * transcription ~5×), so the bar moves at a steady pace through the whole job.
 */
const STAGE_WEIGHTS = { probe: 1, decode: 2, 'detect-speech': 10, transcribe: 400 } as const;

/**
 * The media pipeline: probe, decode to cached PCM with waveform peaks, find speech, transcribe.
 * Each stage reads what the one before produced; diarization joins as a further stage.
 */
export async function processMedia(
  input: ProcessMediaInput,
  signal: AbortSignal,
  report: (update: WorkerProgress) => void,
): Promise<ProcessMediaOutput> {
  const tools = resolveTools(input.tools);
  let last: WorkerProgress = { stage: 'probe', progress: 0, processedSec: 0 };
  const stages = stageContexts(STAGE_WEIGHTS, signal, (update) => report((last = update)));

  stages.probe.progress(0, 0);
  const info = await probeMedia(input.path, tools.ffprobe);
  stages.probe.progress(1, 0);
  // A cancel that arrived while probing: the decode's abort listener would never hear it.
  signal.throwIfAborted();

  const decoded = await decodeToPcm(
    input.path,
    info,
    { ffmpegPath: tools.ffmpeg, outPath: path.join(input.cacheDir, `${input.cacheKey}.f32`) },
    stages.decode,
  );
  const base = { info, waveform: decoded.waveform, pcmPath: decoded.pcmPath, decodedSec: decoded.decodedSec };
  if (!input.transcribe) return { ...base, transcript: null };
  const transcript = await transcribe(
    { pcmPath: decoded.pcmPath, ...input.transcribe },
    { detectSpeech: stages['detect-speech'], transcribe: stages.transcribe },
    (engine) => report({ ...last, engine }),
  );
  return { ...base, transcript };
}

import path from 'node:path';
import type { ProcessMediaInput, ProcessMediaOutput, WorkerProgress } from '../../contracts/worker-protocol';
import { decodeToPcm } from './decode';
import { resolveTools } from './ffmpeg-tools';
import { probeMedia } from './probe';
import { stageContexts } from './stage-progress';

/**
 * The media pipeline: probe, then decode to cached PCM with waveform peaks. Speech detection,
 * transcription and diarization join as further stages reading that PCM.
 */
export async function processMedia(
  input: ProcessMediaInput,
  signal: AbortSignal,
  report: (update: WorkerProgress) => void,
): Promise<ProcessMediaOutput> {
  const tools = resolveTools(input.tools);
  const stages = stageContexts({ probe: 1, decode: 20 }, signal, report);

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
  return { info, waveform: decoded.waveform, pcmPath: decoded.pcmPath, decodedSec: decoded.decodedSec };
}

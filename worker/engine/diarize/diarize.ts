import type { DiarizationRun, ProviderFallback, SpeakerCount } from '../../../contracts/domain';
import type { DiarizeSettings } from '../../../contracts/worker-protocol';
import type { StageContext } from '../../pipeline/stage-progress';
import { PcmFile } from '../audio/pcm-file';
import { providerOrder } from '../../../contracts/devices';
import { firstLine } from '../onnx/execution-providers';
import type { SpeechProbabilities } from '../transcribe';
import { DEFAULT_REGION_OPTIONS, speechRegions, type RegionOptions } from '../vad/speech-regions';
import { diarizeBuiltin } from './builtin-diarizer';
import { diarizeNeural } from './neural-diarizer';
import type { SpeakerTurn } from './turns';
import { cepstralPrints } from './voice-prints';
import type { SpeakerPrint } from '../../../contracts/voices';

/**
 * Regions for the built-in tier: pauses of 0.2 s already end a region (people rarely hand over the
 * word without one), and a low threshold keeps quiet far-field voices (AMI's meetings). Tuned on the
 * shared sets (docs/BENCHMARKS.md); transcription keeps the defaults, which suit Whisper's windows.
 */
export const DIARIZATION_REGION_OPTIONS: RegionOptions = {
  ...DEFAULT_REGION_OPTIONS,
  threshold: 0.2,
  negThreshold: 0.12,
  minSilenceSec: 0.2,
  padSec: 0.25,
};

export interface DiarizeRequest extends DiarizeSettings {
  pcmPath: string;
  speech: SpeechProbabilities;
  threads?: number;
}

export interface Diarization {
  turns: SpeakerTurn[];
  run: DiarizationRun;
  /** Each speaker's voice prints (the built-in tier's always, the neural tier's when it ran), for the voice library. */
  prints: SpeakerPrint[];
}

/**
 * Who spoke when, on the tier the request names. A neural run that fails falls back to the
 * built-in tier and says why; the built-in tier failing is left to the caller, which keeps the
 * transcript unlabelled.
 */
export async function diarize(request: DiarizeRequest, context: StageContext): Promise<Diarization> {
  const pcm = new PcmFile(request.pcmPath);
  try {
    const fallbacks: ProviderFallback[] = [...request.fallbacks];
    const progress = (doneSec: number): void => context.progress(doneSec / Math.max(pcm.durationSec, 1e-9), doneSec);
    if (request.tier === 'neural' && request.neural) {
      try {
        const result = await diarizeNeural(pcm, request.neural, providerOrder(request.device, process.platform), request.speakers, progress, context.signal, request.threads);
        const neuralPrints = result.prints.map(({ speaker, vector }): SpeakerPrint => ({ speaker, kind: 'neural:wespeaker-campplus', vector: Array.from(vector) }));
        return {
          turns: result.turns,
          run: { tier: 'neural', provider: result.provider, fallbacks: [...fallbacks, ...result.fallbacks], error: null },
          prints: usable([...neuralPrints, ...cepstralPrints(pcm, result.turns)]),
        };
      } catch (error) {
        context.signal.throwIfAborted();
        fallbacks.push({ provider: 'neural', reason: `failed: ${firstLine(error)}` });
      }
    }
    const turns = runBuiltin(pcm, request.speech, request.speakers, progress);
    return { turns, run: { tier: 'builtin', provider: 'cpu', fallbacks, error: null }, prints: usable(cepstralPrints(pcm, turns)) };
  } finally {
    pcm.close();
  }
}

/** A print with a NaN (a silent or broken stretch) is left out: the transcript must not fail on the voice library's account. */
function usable(prints: SpeakerPrint[]): SpeakerPrint[] {
  return prints.filter((print) => print.vector.every(Number.isFinite));
}

function runBuiltin(pcm: PcmFile, speech: SpeechProbabilities, speakers: SpeakerCount, progress: (doneSec: number) => void): SpeakerTurn[] {
  const regions = speechRegions(speech.probabilities, speech.frameSec, pcm.durationSec, DIARIZATION_REGION_OPTIONS);
  return diarizeBuiltin(pcm, regions, speakers, progress);
}

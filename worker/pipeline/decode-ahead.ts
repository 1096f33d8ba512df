import path from 'node:path';
import type { MediaInfo } from '../../contracts/domain';
import type { DecodeRequest } from '../../contracts/worker-protocol';
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
  const info = await probeMedia(request.path, tools.ffprobe);
  stages.probe.progress(1, 0);
  // A cancel that arrived while probing: the decode's abort listener would never hear it.
  stages.decode.signal.throwIfAborted();
  const decoded = await decodeToPcm(
    request.path,
    info,
    { ffmpegPath: tools.ffmpeg, outPath: path.join(request.cacheDir, `${request.cacheKey}.f32`) },
    stages.decode,
  );
  return { info, decoded };
}

const quiet = (signal: AbortSignal): StageContext => ({ signal, progress: () => undefined });
const keyOf = (request: DecodeRequest): string => JSON.stringify([request.path, request.cacheDir, request.cacheKey, request.tools]);

/**
 * The next queued file, decoded while the current one transcribes (ffmpeg runs in its own process,
 * so it costs the transcription little), so a batch of short files does not wait on ffmpeg between
 * jobs. One file ahead at most; a new hint replaces the old and cancels its decode.
 */
export class DecodeAhead {
  private ahead: { key: string; result: Promise<Decoded>; controller: AbortController } | undefined;

  start(request: DecodeRequest): void {
    const key = keyOf(request);
    if (this.ahead?.key === key) return;
    this.ahead?.controller.abort();
    const controller = new AbortController();
    const context = quiet(controller.signal);
    const result = probeAndDecode(request, { probe: context, decode: context });
    // Its failure (a corrupt file) belongs to that file's own job, which hears it on take().
    result.catch(() => undefined);
    this.ahead = { key, result, controller };
  }

  /** The decode started ahead for this request, if any; it is handed over once. */
  take(request: DecodeRequest): Promise<Decoded> | undefined {
    if (this.ahead?.key !== keyOf(request)) return undefined;
    const { result } = this.ahead;
    this.ahead = undefined;
    return result;
  }
}

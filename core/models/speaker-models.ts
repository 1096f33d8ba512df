// Which diarization tier a job runs with, given the user's choice and the speaker models on disk:
// the desktop's queue and the pool's workers decide it the same way.
import type { DiarizationMode, Device, ProviderFallback, SpeakerCount } from '../../contracts/domain';
import { NEURAL_MODELS, neuralDownloadFailed } from '../../contracts/models';
import type { DiarizeSettings } from '../../contracts/worker-protocol';
import type { DownloadProgress, ModelManager } from './model-manager';
import path from 'node:path';

/** After a failed download, jobs run the built-in tier at once for this long before one tries again. */
const RETRY_DOWNLOAD_AFTER_MS = 10 * 60_000;

export class SpeakerModels {
  /** The neural models' last failed download: later jobs fall back at once instead of each waiting on the network. */
  private downloadFailure: { reason: string; at: number } | null = null;

  constructor(
    private readonly models: ModelManager,
    private readonly log: (message: string) => void,
  ) {}

  /**
   * null: no speaker labels. "auto" and "neural" take the neural tier, downloading its models the first
   * time a job needs them (as a Whisper model is); when they cannot be had, the built-in tier runs and
   * the transcript says why.
   */
  async settings(
    mode: DiarizationMode,
    base: { speakers: SpeakerCount; device: Device },
    onDownload: (progress: DownloadProgress) => void,
    signal: AbortSignal,
  ): Promise<DiarizeSettings | null> {
    if (mode === 'off') return null;
    if (mode === 'builtin') return { ...base, tier: 'builtin', neural: null, fallbacks: [] };
    const fallback = (reason: string): DiarizeSettings => ({ ...base, tier: 'builtin', neural: null, fallbacks: [{ provider: 'neural', reason } satisfies ProviderFallback] });
    // Checked against their hashes: a damaged copy counts as not installed, so the download is offered in its place.
    const installed = await Promise.all(NEURAL_MODELS.map((id) => this.models.find(id, true)));
    if (installed.every((found) => found !== null)) return { ...base, tier: 'neural', neural: this.neuralPaths(installed[0]!.dir, installed[1]!.dir), fallbacks: [] };
    if (this.downloadFailure && Date.now() - this.downloadFailure.at < RETRY_DOWNLOAD_AFTER_MS) return fallback(this.downloadFailure.reason);
    try {
      const [segmentation, embedding] = [await this.models.ensure(NEURAL_MODELS[0], onDownload, signal), await this.models.ensure(NEURAL_MODELS[1], onDownload, signal)];
      return { ...base, tier: 'neural', neural: this.neuralPaths(segmentation.dir, embedding.dir), fallbacks: [] };
    } catch (error) {
      signal.throwIfAborted();
      this.downloadFailure = { reason: neuralDownloadFailed(error instanceof Error ? error.message : String(error)), at: Date.now() };
      this.log(`[models] using the built-in speaker tier: ${this.downloadFailure.reason}`);
      return fallback(this.downloadFailure.reason);
    }
  }

  private neuralPaths(segmentationDir: string, embeddingDir: string): DiarizeSettings['neural'] {
    const weights = (id: string, dir: string): string => path.join(dir, this.models.entry(id).files[0]!.path);
    return { segmentation: weights(NEURAL_MODELS[0], segmentationDir), embedding: weights(NEURAL_MODELS[1], embeddingDir) };
  }
}

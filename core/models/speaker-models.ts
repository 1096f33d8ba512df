// Which diarization tier a job runs with, given the user's choice and the speaker models on disk:
// the desktop's queue and the pool's workers decide it the same way.
import type { DiarizationMode, Device, ProviderFallback, SpeakerCount } from '../../contracts/domain';
import { NEURAL_MODELS, NEURAL_NOT_INSTALLED } from '../../contracts/models';
import type { DiarizeSettings } from '../../contracts/worker-protocol';
import type { DownloadProgress, ModelManager } from './model-manager';
import path from 'node:path';

export class SpeakerModels {
  /** Set once the neural models' download has failed: later jobs fall back at once instead of trying again. */
  private downloadFailure: string | null = null;

  constructor(
    private readonly models: ModelManager,
    private readonly log: (message: string) => void,
  ) {}

  /** null: no speaker labels. "auto" takes the neural tier when installed; "neural" downloads it if need be; either falls back to the built-in tier, saying why. */
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
    if (mode === 'auto') return fallback(NEURAL_NOT_INSTALLED);
    if (this.downloadFailure) return fallback(this.downloadFailure);
    try {
      const [segmentation, embedding] = [await this.models.ensure(NEURAL_MODELS[0], onDownload, signal), await this.models.ensure(NEURAL_MODELS[1], onDownload, signal)];
      return { ...base, tier: 'neural', neural: this.neuralPaths(segmentation.dir, embedding.dir), fallbacks: [] };
    } catch (error) {
      signal.throwIfAborted();
      this.downloadFailure = `not installed, and the download failed: ${error instanceof Error ? error.message : String(error)}`;
      this.log(`[models] neural speaker models unavailable; using the built-in tier: ${this.downloadFailure}`);
      return fallback(this.downloadFailure);
    }
  }

  private neuralPaths(segmentationDir: string, embeddingDir: string): DiarizeSettings['neural'] {
    const weights = (id: string, dir: string): string => path.join(dir, this.models.entry(id).files[0]!.path);
    return { segmentation: weights(NEURAL_MODELS[0], segmentationDir), embedding: weights(NEURAL_MODELS[1], embeddingDir) };
  }
}

import type { SettingsStore } from '../library/settings-store';
import { ThroughputMeter } from './throughput';

/**
 * This machine's transcription speed per model, so a queue mixing whisper-tiny and whisper-base
 * is estimated file by file. A model not measured yet is estimated from all models together (the
 * first whisper-large file then looks too quick rather than unknown, and corrects itself once done).
 */
export class ModelSpeeds {
  private readonly meters = new Map<string, ThroughputMeter>();

  constructor(
    private readonly settings: SettingsStore,
    /** Every model together: the fallback, and what the offload policy weighs the local queue with. */
    readonly overall: ThroughputMeter,
  ) {}

  /** Audio seconds per wall-clock second for this model. */
  of(model: string): number {
    return this.measured(model)?.audioSecPerSec ?? this.overall.audioSecPerSec;
  }

  record(model: string, audioSec: number, wallSec: number): void {
    this.overall.record(audioSec, wallSec);
    let meter = this.measured(model);
    if (!meter) {
      // A model's first job: its own pace is all there is to go on.
      meter = new ThroughputMeter(this.settings, keyOf(model), audioSec / Math.max(wallSec, 1e-3));
      this.meters.set(model, meter);
    }
    meter.record(audioSec, wallSec);
  }

  private measured(model: string): ThroughputMeter | undefined {
    const known = this.meters.get(model);
    if (known) return known;
    if (this.settings.get(keyOf(model)) === undefined) return undefined;
    const meter = new ThroughputMeter(this.settings, keyOf(model), this.overall.audioSecPerSec);
    this.meters.set(model, meter);
    return meter;
  }
}

function keyOf(model: string): string {
  return `throughput.transcribe.${model}`;
}

import type { SettingsStore } from '../library/settings-store';

/**
 * Audio seconds processed per wall-clock second for one kind of job, as an exponential moving
 * average that survives restarts, so the first ETA after launch is already informed.
 */
export class ThroughputMeter {
  private rate: number;

  constructor(
    private readonly settings: SettingsStore,
    private readonly key: string,
    /** Used until anything has been measured. */
    fallbackRate: number,
  ) {
    this.rate = settings.get<number>(key) ?? fallbackRate;
  }

  get audioSecPerSec(): number {
    return this.rate;
  }

  record(audioSec: number, wallSec: number): void {
    if (!(audioSec > 0) || !(wallSec > 0)) return;
    this.rate = 0.7 * this.rate + 0.3 * (audioSec / wallSec);
    this.settings.set(this.key, this.rate);
  }
}

import type { SettingsStore } from '../library/settings-store';

/** How much each new job counts against what was measured before. */
const WEIGHT = 0.3;

/**
 * Audio seconds processed per wall-clock second for one kind of job, over recent jobs, surviving
 * restarts so the first ETA after launch is already informed. Audio and wall time are averaged
 * apart, and the rate is their ratio: a job the worker finished ahead, beside an earlier one (its
 * wall time near zero), then counts for what it is, not as a thousandfold speed-up.
 */
export class ThroughputMeter {
  private audioSec: number;
  private wallSec: number;

  constructor(
    private readonly settings: SettingsStore,
    private readonly key: string,
    /** Used until anything has been measured. */
    fallbackRate: number,
  ) {
    const stored = settings.get<{ audioSec: number; wallSec: number } | number>(key);
    // Earlier versions kept the rate alone.
    const rate = typeof stored === 'number' ? stored : fallbackRate;
    ({ audioSec: this.audioSec, wallSec: this.wallSec } = typeof stored === 'object' && stored ? stored : { audioSec: rate * 60, wallSec: 60 });
  }

  get audioSecPerSec(): number {
    return this.audioSec / this.wallSec;
  }

  record(audioSec: number, wallSec: number): void {
    if (!(audioSec > 0) || !(wallSec >= 0)) return;
    this.audioSec = (1 - WEIGHT) * this.audioSec + WEIGHT * audioSec;
    this.wallSec = Math.max(1e-3, (1 - WEIGHT) * this.wallSec + WEIGHT * wallSec);
    this.settings.set(this.key, { audioSec: this.audioSec, wallSec: this.wallSec });
  }
}

import type { SettingsStore } from '../library/settings-store';

/** How much each new sample counts against what was measured before. */
const WEIGHT = 0.3;

/**
 * A rate measured over recent samples (audio seconds per wall-clock second of one kind of work,
 * bytes uploaded per second, speech seconds per audio second), surviving restarts so the first
 * ETA after launch is already informed. Amount and time are averaged apart, and the rate is their
 * ratio: a job the worker finished ahead, beside an earlier one (its time near zero), then counts
 * for what it is, not as a thousandfold speed-up.
 */
export class RateMeter {
  private amount: number;
  private over: number;

  constructor(
    private readonly settings: SettingsStore,
    private readonly key: string,
    /** Used until anything has been measured. */
    fallbackRate: number,
  ) {
    // Stored as {audioSec, wallSec}, the names of the audio-per-second meter it began as; earlier versions kept the rate alone.
    const stored = settings.get<{ audioSec: number; wallSec: number } | number>(key);
    const rate = typeof stored === 'number' ? stored : fallbackRate;
    const { audioSec, wallSec } = typeof stored === 'object' && stored ? stored : { audioSec: rate * 60, wallSec: 60 };
    this.amount = audioSec;
    this.over = wallSec;
  }

  get rate(): number {
    return this.amount / this.over;
  }

  /** `amount` done in `over` (seconds, or the audio seconds a share is of). */
  record(amount: number, over: number): void {
    if (!(amount >= 0) || !(over >= 0) || amount + over === 0) return;
    this.amount = (1 - WEIGHT) * this.amount + WEIGHT * amount;
    this.over = Math.max(1e-3, (1 - WEIGHT) * this.over + WEIGHT * over);
    this.settings.set(this.key, { audioSec: this.amount, wallSec: this.over });
  }
}

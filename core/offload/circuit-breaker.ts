// Whether the pool may be used now. After failures in a row it is left alone (open) for a while,
// longer each time; then one request tries it (half-open), and a success brings it back (closed).
// Time is given, not read, so the states can be walked through in tests without waiting.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Failures in a row that open it. */
  failures?: number;
  /** The first pause; doubled after each failed probe, up to `maxOpenMs`. */
  openMs?: number;
  maxOpenMs?: number;
}

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failuresInARow = 0;
  private openUntil = 0;
  private pauseMs: number;
  private probing = false;
  private readonly o: Required<BreakerOptions>;

  constructor(options: BreakerOptions = {}) {
    this.o = { failures: 3, openMs: 30_000, maxOpenMs: 5 * 60_000, ...options };
    this.pauseMs = this.o.openMs;
  }

  /** May a request go to the pool now? In half-open, only one at a time (the probe). */
  allow(now: number): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (now < this.openUntil) return false;
      this.state = 'half-open';
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.state = 'closed';
    this.failuresInARow = 0;
    this.probing = false;
    this.pauseMs = this.o.openMs;
  }

  failure(now: number): void {
    this.failuresInARow += 1;
    const probeFailed = this.state === 'half-open';
    this.probing = false;
    if (probeFailed || this.failuresInARow >= this.o.failures) {
      if (probeFailed) this.pauseMs = Math.min(this.pauseMs * 2, this.o.maxOpenMs);
      this.state = 'open';
      this.openUntil = now + this.pauseMs;
    }
  }

  view(now: number): { state: BreakerState; retryInMs: number } {
    const state = this.state === 'open' && now >= this.openUntil ? 'half-open' : this.state;
    return { state, retryInMs: state === 'open' ? this.openUntil - now : 0 };
  }
}

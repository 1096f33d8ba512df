/**
 * Collects ids of changed jobs and hands them on at most once per interval, so a burst of progress
 * messages costs the UI at most ten renders a second, and the first change still goes out at once.
 */
export class ChangeCoalescer {
  private pending = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;

  constructor(
    private readonly flush: (ids: ReadonlySet<number>) => void,
    private readonly intervalMs = 100,
  ) {}

  mark(id: number): void {
    this.pending.add(id);
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.emit(), wait);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private emit(): void {
    // Timers may fire a millisecond early by the wall clock: wait out the rest, or two events could come 99 ms apart.
    const early = this.lastFlush + this.intervalMs - Date.now();
    if (early > 0) {
      this.timer = setTimeout(() => this.emit(), early);
      return;
    }
    this.timer = undefined;
    const ids = this.pending;
    this.pending = new Set();
    if (ids.size > 0) this.flush(ids);
    // Measured after the flush: building the views takes time too, and listeners see events
    // at the moment the flush ends, which is what must be spaced.
    this.lastFlush = Date.now();
  }
}

/**
 * Models kept open between jobs. Opening whisper-base costs ~1.5 s and the VAD ~0.1 s, which on a
 * folder of voice memos is most of the work; so the worker keeps the last of each kind it used,
 * keyed by everything that shaped it (files, provider order, threads). Asking for another key of a
 * kind (the model or device setting changed) releases the old one first, so two Whisper models
 * never sit in memory together; everything is released after an idle period.
 */
export class WarmSessions {
  private readonly held = new Map<string, { key: string; value: Promise<unknown>; release: () => Promise<void> }>();
  private idleTimer: NodeJS.Timeout | undefined;
  /** How many times a value was opened: what a job paid for loading models. */
  opened = 0;

  constructor(private readonly idleMs: number) {}

  /** The open value for `key`, opening it (and releasing the kind's previous one) when needed. */
  async get<T>(kind: string, key: string, open: () => Promise<T>, release: (value: T) => Promise<void>): Promise<T> {
    clearTimeout(this.idleTimer);
    const current = this.held.get(kind);
    if (current?.key === key) return current.value as Promise<T>;
    if (current) {
      this.held.delete(kind);
      await current.release();
    }
    this.opened++;
    const value = open();
    const entry = {
      key,
      value,
      release: async () => {
        await release(await value).catch(() => undefined);
      },
    };
    this.held.set(kind, entry);
    // A failed open is not kept: the next job tries again (the provider may be back).
    value.catch(() => {
      if (this.held.get(kind) === entry) this.held.delete(kind);
    });
    return value;
  }

  /** Starts the idle countdown; the next get() stops it. */
  idle(): void {
    clearTimeout(this.idleTimer);
    if (this.held.size === 0) return;
    this.idleTimer = setTimeout(() => void this.releaseAll(), this.idleMs);
    this.idleTimer.unref();
  }

  get size(): number {
    return this.held.size;
  }

  async releaseAll(): Promise<void> {
    clearTimeout(this.idleTimer);
    const entries = [...this.held.values()];
    this.held.clear();
    await Promise.all(entries.map((entry) => entry.release()));
  }
}

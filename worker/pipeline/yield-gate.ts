/**
 * Holds batch work between units while a live recording needs the CPU. Cancel still ends a held
 * job at once: waiting is abortable.
 */
export class YieldGate {
  private yielding = false;
  private waiters = new Set<() => void>();

  set(yielding: boolean): void {
    this.yielding = yielding;
    if (yielding) return;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  async wait(signal: AbortSignal): Promise<void> {
    if (!this.yielding) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(wake);
        reject(signal.reason);
      };
      const wake = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

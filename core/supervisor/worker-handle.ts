import type { ToWorker } from '../../contracts/worker-protocol';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
  /** What the runtime said about it, e.g. Electron's 'oom' or 'crashed'. */
  reason?: string;
}

/**
 * One running worker process, whichever way it was started (Electron utilityProcess or Node
 * child_process). The supervisor only ever sees this.
 */
export interface WorkerHandle<In = ToWorker> {
  readonly pid: number | undefined;
  send(message: In): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: WorkerExit) => void): void;
  /** Ends the process at once; a stuck worker gets no chance to clean up. */
  kill(): void;
}

export type WorkerSpawner<In = ToWorker> = () => WorkerHandle<In>;

export function describeExit(exit: WorkerExit): string {
  if (exit.reason === 'oom') return 'ran out of memory';
  if (exit.signal) return `was killed (${exit.signal})`;
  if (exit.reason && exit.reason !== 'clean-exit') return `stopped unexpectedly (${exit.reason})`;
  return `exited unexpectedly with code ${exit.code ?? 'unknown'}`;
}

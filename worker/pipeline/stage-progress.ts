import type { Stage } from '../../contracts/domain';
import type { WorkerProgress } from '../../contracts/worker-protocol';

/** What a stage gets besides its input: a way to stop and a way to say how far it is. */
export interface StageContext {
  signal: AbortSignal;
  /** fraction: of this stage, 0…1; processedSec: audio seconds handled so far. */
  progress(fraction: number, processedSec: number): void;
  /** Long stages await this between units of work: it holds them while a live recording needs the CPU. */
  yieldPoint?(): Promise<void>;
}

/**
 * Maps each stage's own 0…1 onto the job's overall 0…1 by the stages' relative cost, so the bar
 * moves steadily through the whole pipeline and says which stage it is in.
 */
export function stageContexts<S extends Stage>(
  weights: Record<S, number>,
  signal: AbortSignal,
  report: (update: WorkerProgress) => void,
  yieldPoint?: () => Promise<void>,
): Record<S, StageContext> {
  const stages = Object.keys(weights) as S[];
  const total = stages.reduce((sum, stage) => sum + weights[stage], 0);
  let before = 0;
  const contexts = {} as Record<S, StageContext>;
  for (const stage of stages) {
    const start = before / total;
    const span = weights[stage] / total;
    contexts[stage] = {
      signal,
      yieldPoint,
      progress: (fraction, processedSec) =>
        report({ stage, progress: Math.min(1, start + span * Math.min(1, Math.max(0, fraction))), processedSec }),
    };
    before += weights[stage];
  }
  return contexts;
}

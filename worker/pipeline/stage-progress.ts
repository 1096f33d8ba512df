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
 * moves steadily through the whole pipeline and says which stage it is in. The weights are read at
 * each report: a job that learns its later stages are cheaper (little speech) lowers their weights,
 * and the bar moves forward to where the job truly stands.
 */
export function stageContexts<S extends Stage>(
  weights: Record<S, number>,
  signal: AbortSignal,
  report: (update: WorkerProgress) => void,
  yieldPoint?: () => Promise<void>,
): Record<S, StageContext> {
  const stages = Object.keys(weights) as S[];
  const contexts = {} as Record<S, StageContext>;
  stages.forEach((stage, index) => {
    contexts[stage] = {
      signal,
      yieldPoint,
      progress: (fraction, processedSec) => {
        const total = stages.reduce((sum, each) => sum + weights[each], 0);
        const before = stages.slice(0, index).reduce((sum, each) => sum + weights[each], 0);
        const done = before + weights[stage] * Math.min(1, Math.max(0, fraction));
        report({ stage, progress: Math.min(1, total > 0 ? done / total : 1), processedSec });
      },
    };
  });
  return contexts;
}

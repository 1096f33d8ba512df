// Where each waiting job of the queue goes, in its order: the policy asked once per job, with the
// work already bound for each side counted ahead of it. A plain function, asked again before every
// start and every few seconds while jobs wait, so a decision follows the numbers as they change.
import type { OffloadMode, Placement } from '../../contracts/domain';
import type { PlacementDecision } from '../library/job-store';
import { chooseWhere, poolRunSec } from './offload-policy';

export interface WaitingJob {
  id: number;
  placement: Placement;
  live: boolean;
  /** Its audio length, measured or estimated from the file's size. */
  audioSec: number;
  /** How long it would take here. */
  localSec: number;
  sizeBytes: number;
  /** Told once already: why it runs here now (the pool failed it). */
  notice: string | null;
  /** Part of it is on the pool already (an upload to resume, a remote job to follow). */
  startedOnPool: boolean;
}

export interface PlanInputs {
  mode: OffloadMode;
  poolAvailable: boolean;
  /** Whether the pool has answered since the connection was set: before, work bound for it waits a moment rather than run here. */
  poolKnown: boolean;
  pool: { waitSec: number | null; audioSecPerSec: number | null; workers: number } | null;
  uploadBytesPerSec: number | null;
  /** Seconds until the jobs running here now are done. */
  localBusySec: number;
}

export interface PlannedJob extends PlacementDecision {
  /** Bound for the pool, which cannot be used now: it waits for it (the user chose Run in the cloud). */
  hold: boolean;
}

export function planPlacement(waiting: readonly WaitingJob[], inputs: PlanInputs): Map<number, PlannedJob> {
  const plan = new Map<number, PlannedJob>();
  let localAheadSec = inputs.localBusySec;
  let poolAheadSec = 0;
  const poolWorkers = Math.max(1, inputs.pool?.workers ?? 1);
  for (const job of waiting) {
    const decision = chooseWhere({
      mode: inputs.mode,
      placement: job.placement,
      live: job.live,
      poolAvailable: inputs.poolAvailable,
      job: { audioSec: job.audioSec, sizeBytes: job.sizeBytes, localSec: job.localSec },
      localAheadSec,
      pool: inputs.pool && { waitSec: inputs.pool.waitSec === null ? null : inputs.pool.waitSec + poolAheadSec, audioSecPerSec: inputs.pool.audioSecPerSec },
      uploadBytesPerSec: inputs.uploadBytesPerSec,
    });
    const resume = job.startedOnPool && inputs.mode !== 'off' && job.placement !== 'local' && inputs.poolAvailable && (!job.live || inputs.mode === 'always');
    const where = resume ? 'pool' : decision.where;
    const asking = where === 'pool' && inputs.poolAvailable && !inputs.poolKnown;
    const reason = asking
      ? 'Asking the pool how it stands…'
      : resume
      ? 'It continues on the pool where it stopped.'
      : job.placement === 'local' && job.notice
        ? job.notice
        : where === 'pool' && !inputs.poolAvailable
          ? 'It waits for the pool, which failed or could not be reached lately; choose Run here to run it now.'
          : decision.reason;
    plan.set(job.id, { ...decision, where, reason, hold: where === 'pool' && (!inputs.poolAvailable || asking) });
    if (where === 'pool') poolAheadSec += poolRunSec(job, inputs.pool?.audioSecPerSec ?? null) / poolWorkers;
    else localAheadSec += job.localSec;
  }
  return plan;
}

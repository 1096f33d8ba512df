// Where a waiting job should run: here, or on the shared pool. A plain function of what has been
// measured, so the queue can ask again whenever the numbers change while the job waits.

import type { OffloadMode, Placement } from '../../contracts/domain';

export interface OffloadInputs {
  mode: OffloadMode;
  placement: Placement;
  /** A live recording: it leaves the machine only in mode Always. */
  live: boolean;
  /** The circuit breaker's verdict: the pool failed or could not be reached lately. */
  poolAvailable: boolean;
  /** localSec: how long it would take here, at the speeds measured here for its model and its speech. */
  job: { audioSec: number; sizeBytes: number; localSec: number };
  /** Seconds of the work that runs here before this one (the running job's remaining part included). */
  localAheadSec: number;
  /**
   * What the pool reports (GET /v1/pool): its wait for a new job and one worker's speed; null when
   * unknown. A pool that has not measured itself yet is taken to be as fast as this machine.
   */
  pool: { waitSec: number | null; audioSecPerSec: number | null } | null;
  /** Measured upload speed to the pool, bytes per second; null before the first upload. */
  uploadBytesPerSec: number | null;
}

export interface OffloadDecision {
  where: 'local' | 'pool';
  /** One sentence for the queue's tooltip and the log. */
  reason: string;
  localEtaSec: number;
  /** null when the pool's side could not be estimated. */
  poolEtaSec: number | null;
}

/** Until an upload has been measured: a modest office uplink, so a large file is not sent on hope. */
export const ASSUMED_UPLOAD_BYTES_PER_SEC = 1_000_000;

export function chooseWhere(inputs: OffloadInputs): OffloadDecision {
  const localEtaSec = inputs.localAheadSec + inputs.job.localSec;
  const poolEtaSec = poolEta(inputs);
  const decide = (where: 'local' | 'pool', reason: string): OffloadDecision => ({ where, reason, localEtaSec, poolEtaSec });

  if (inputs.mode === 'off') return decide('local', 'Cloud offload is off.');
  if (inputs.placement === 'local') return decide('local', 'You chose Run here.');
  if (inputs.live && inputs.mode !== 'always') return decide('local', 'Recordings stay on this machine unless offload is set to Always.');
  if (inputs.placement === 'pool') return decide('pool', 'You chose Run in the cloud.');
  if (!inputs.poolAvailable) return decide('local', 'The pool failed or could not be reached lately; running here.');
  if (inputs.mode === 'always') return decide('pool', 'Cloud offload is set to Always.');
  if (poolEtaSec === null) return decide('local', 'The pool has not said how long it would take; running here.');
  return poolEtaSec < localEtaSec
    ? decide('pool', `The pool should finish it sooner (about ${round(poolEtaSec)} s against ${round(localEtaSec)} s here).`)
    : decide('local', `This machine should finish it as soon (about ${round(localEtaSec)} s against ${round(poolEtaSec)} s on the pool).`);
}

/** The pool's wait, plus the job at the pool's speed, plus sending it. */
function poolEta(inputs: OffloadInputs): number | null {
  const { pool } = inputs;
  if (!pool || pool.waitSec === null) return null;
  const uploadSec = inputs.job.sizeBytes / (inputs.uploadBytesPerSec ?? ASSUMED_UPLOAD_BYTES_PER_SEC);
  return pool.waitSec + poolRunSec(inputs.job, pool.audioSecPerSec) + uploadSec;
}

/** A job's time on one pool worker: at the speed it reports, or this machine's time until it has measured one. */
export function poolRunSec(job: { audioSec: number; localSec: number }, poolAudioSecPerSec: number | null): number {
  return poolAudioSecPerSec ? job.audioSec / poolAudioSecPerSec : job.localSec;
}

function round(sec: number): number {
  return Math.round(sec);
}

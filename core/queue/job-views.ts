// Jobs as the UI shows them: each record with its place in line and ETA. Local jobs are estimated
// from this machine's measured speed, in the lane's order; jobs bound for or on the pool take the
// pool's own position and ETA.
import type { JobView, Lane } from '../../contracts/domain';
import type { PoolJobView } from '../../contracts/cloud-api';
import type { JobRecord, JobStore } from '../library/job-store';
import { estimateLane } from './eta';

type Estimate = { position: number | null; etaSec: number | null };

export interface JobViewsDeps {
  jobs: JobStore;
  /** How long each job should take here, with Settings read once for the whole view. */
  expectedSec(): (job: JobRecord, audioSec: number) => number;
  bytesPerAudioSec(): number;
  offloadOn(): boolean;
  remoteView(jobId: number): PoolJobView | undefined;
}

/** How often queued jobs' drifting ETAs are resent even when nothing else about them changed. */
const ACTIVE_REFRESH_MS = 2_000;

export class JobViews {
  private lastActiveRefresh = 0;

  constructor(private readonly d: JobViewsDeps) {}

  /**
   * Views of the given jobs, or of all jobs when omitted. Positions only move when the queue marks
   * the jobs concerned; queued jobs' ETAs drift with the running job, so every active job is
   * included too, but at most every ACTIVE_REFRESH_MS: a long queue must not be resent ten times a
   * second.
   */
  views(ids?: ReadonlySet<number>): JobView[] {
    const { jobs } = this.d;
    const estimates = new Map<number, Estimate>();
    const active: JobRecord[] = [];
    const allRunning = jobs.inState('running');
    const offloadOn = this.d.offloadOn();
    const inputs = { expectedSec: this.d.expectedSec(), bytesPerAudioSec: this.d.bytesPerAudioSec(), now: Date.now() };
    const onPool = (job: JobRecord): boolean => offloadOn && job.runsOn === 'pool';
    for (const lane of ['heavy', 'light'] as Lane[]) {
      const running = allRunning.filter((job) => job.lane === lane);
      const queued = jobs.queued(lane);
      active.push(...running, ...queued);
      for (const [id, estimate] of estimateLane(running.filter((job) => job.runsOn !== 'pool'), queued.filter((job) => !onPool(job)), inputs)) estimates.set(id, estimate);
      for (const job of [...running, ...queued]) if (job.runsOn === 'pool' && (job.state === 'running' || onPool(job))) estimates.set(job.id, this.poolEstimate(job));
    }
    const records = new Map<number, JobRecord>();
    if (ids) {
      for (const id of ids) {
        const job = jobs.get(id);
        if (job) records.set(id, job);
      }
      if (Date.now() - this.lastActiveRefresh >= ACTIVE_REFRESH_MS) {
        this.lastActiveRefresh = Date.now();
        for (const job of active) records.set(job.id, job);
      }
    } else {
      for (const job of jobs.list()) records.set(job.id, job);
    }
    return [...records.values()].map((job) => toView(job, estimates.get(job.id), offloadOn));
  }

  private poolEstimate(job: JobRecord): Estimate {
    const remote = this.d.remoteView(job.id);
    if (remote) return { position: remote.position ?? 0, etaSec: remote.etaSec };
    // Before the pool has it (uploading): the estimate made when it was sent, counting down.
    const decision = job.decision;
    const etaSec = decision?.poolEtaSec == null ? null : Math.max(0, decision.poolEtaSec - (decision.at ? (Date.now() - decision.at) / 1000 : 0));
    return { position: job.state === 'running' ? 0 : null, etaSec };
  }
}

/** Failures no retry can mend: the file itself lacks what transcription needs. */
const NEVER_WORKS = new Set(['no-audio']);

function toView(job: JobRecord, estimate: Estimate | undefined, offloadOn: boolean): JobView {
  // A waiting job's side is only a plan while offload is on; once it ran, where it ran stays.
  const runsOn = job.state === 'queued' ? (offloadOn && job.decision ? job.decision.where : null) : job.runsOn;
  return {
    id: job.id,
    kind: job.kind,
    lane: job.lane,
    mediaId: job.mediaId,
    fileName: job.fileName,
    path: job.path,
    state: job.state,
    priority: job.priority,
    attempts: job.attempts,
    stage: job.stage,
    progress: job.progress,
    error: job.error,
    retryable: (job.state === 'failed' || job.state === 'canceled') && !NEVER_WORKS.has(job.errorCode ?? ''),
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    durationSec: job.durationSec,
    position: estimate?.position ?? null,
    etaSec: estimate?.etaSec ?? null,
    engine: job.engine,
    diarization: job.diarization,
    placement: job.placement,
    runsOn: job.kind === 'process-media' ? runsOn : null,
    placementReason: job.state === 'queued' && offloadOn ? (job.decision?.reason ?? null) : null,
    notice: job.notice,
  };
}

import type { JobRecord } from '../library/job-store';

export interface LaneEstimate {
  position: number;
  etaSec: number | null;
}

export interface EstimateInputs {
  /** Seconds this job should take here, its audio length given: from the speeds measured on earlier jobs. */
  expectedSec(job: JobRecord, audioSec: number): number;
  /** Typical file bytes per audio second, for files whose length is not known yet. */
  bytesPerAudioSec: number;
  now: number;
}

/**
 * Position and ETA for every job of one lane: running jobs first (position 0), then the queue in
 * order. A job's ETA includes the time of every job ahead of it; once one job's length is unknown,
 * the ETAs after it are unknown too rather than invented.
 */
export function estimateLane(
  running: readonly JobRecord[],
  queued: readonly JobRecord[],
  inputs: EstimateInputs,
): Map<number, LaneEstimate> {
  const estimates = new Map<number, LaneEstimate>();
  let laneFreeInSec: number | null = 0;
  for (const job of running) {
    const remaining = remainingSec(job, inputs);
    estimates.set(job.id, { position: 0, etaSec: remaining });
    // Running jobs share the lane; the queue starts when the longest one is done.
    laneFreeInSec = laneFreeInSec === null || remaining === null ? null : Math.max(laneFreeInSec, remaining);
  }
  queued.forEach((job, index) => {
    const own = expectedSec(job, inputs);
    laneFreeInSec = laneFreeInSec === null || own === null ? null : laneFreeInSec + own;
    estimates.set(job.id, { position: index + 1, etaSec: laneFreeInSec });
  });
  return estimates;
}

/** The job's audio length: measured once probed, estimated from its file size before. */
export function estimatedAudioSec(job: JobRecord, bytesPerAudioSec: number): number | null {
  if (job.durationSec !== null) return job.durationSec;
  return job.sizeBytes !== null && job.sizeBytes > 0 ? job.sizeBytes / bytesPerAudioSec : null;
}

/**
 * How long a job may run before it is stopped: half an hour plus ten times its audio length, so a
 * ten-hour recording on a slow machine is never cut short, while a job that will never end is.
 */
export function jobTimeLimitMs(audioSec: number | null): number {
  return 30 * 60_000 + (audioSec ?? 6 * 3600) * 10_000;
}

function expectedSec(job: JobRecord, inputs: EstimateInputs): number | null {
  const audioSec = estimatedAudioSec(job, inputs.bytesPerAudioSec);
  return audioSec === null ? null : inputs.expectedSec(job, audioSec);
}

function remainingSec(job: JobRecord, inputs: EstimateInputs): number | null {
  const elapsedSec = job.startedAt === null ? 0 : Math.max(0, (inputs.now - job.startedAt) / 1000);
  // Once the job has shown its own pace, trust it over the historical average.
  if (job.progress >= 0.05 && elapsedSec >= 1) return (elapsedSec * (1 - job.progress)) / job.progress;
  const expected = expectedSec(job, inputs);
  return expected === null ? null : Math.max(0, expected - elapsedSec);
}

import type { JobView } from '../../contracts/domain';

/**
 * The whole queue's progress, 0…1, for the dock or taskbar: every unfinished transcription counts
 * by its length (a file not yet read counts as one minute), so a long recording moves the bar as
 * much as it takes time. null when nothing is waiting or running.
 */
export function overallProgress(jobs: Iterable<JobView>): number | null {
  let total = 0;
  let done = 0;
  for (const job of jobs) {
    if (job.kind !== 'process-media' || (job.state !== 'running' && job.state !== 'queued')) continue;
    const weight = job.durationSec ?? 60;
    total += weight;
    if (job.state === 'running') done += weight * job.progress;
  }
  return total > 0 ? done / total : null;
}

import { memo } from 'react';
import type { JobView } from '../../../contracts/domain';
import { formatClock, formatEta } from '../format';
import { useJobsStore } from '../stores/jobs-store';
import { useLibraryStore } from '../stores/library-store';

const STAGE_LABEL: Record<NonNullable<JobView['stage']>, string> = {
  'download-model': 'Downloading model',
  probe: 'Reading file',
  decode: 'Decoding audio',
  'detect-speech': 'Detecting speech',
  transcribe: 'Transcribing',
  diarize: 'Finding speakers',
};
const STATE_LABEL: Record<JobView['state'], string> = {
  queued: 'Queued',
  running: 'Working',
  done: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
};

function statusLine(job: JobView): string | null {
  if (job.state === 'running') {
    const where = job.engine && job.engine.provider !== 'none' ? ` on ${job.engine.provider === 'cpu' ? 'CPU' : job.engine.provider.toUpperCase()}` : '';
    const stage = job.stage ? `${STAGE_LABEL[job.stage]}${job.stage === 'transcribe' ? where : ''}` : 'Starting';
    return job.etaSec === null ? stage : `${stage} · ${formatEta(job.etaSec)} left`;
  }
  if (job.state === 'queued') {
    const place = job.position ? `#${job.position} in queue` : 'Queued';
    return job.etaSec === null ? place : `${place} · done in ${formatEta(job.etaSec)}`;
  }
  if (job.state === 'done' && job.durationSec !== null) return `${formatClock(job.durationSec)} of audio`;
  return null;
}

export const QueueItem = memo(function QueueItem({ job, first, last }: { job: JobView; first: boolean; last: boolean }) {
  const selected = useLibraryStore((state) => state.selectedId === job.mediaId);
  const { select } = useLibraryStore.getState();
  const { cancel, retry, move } = useJobsStore.getState();
  const active = job.state === 'queued' || job.state === 'running';
  const status = statusLine(job);
  return (
    <li
      className={`job ${selected ? 'selected' : ''}`}
      data-testid="job-row"
      data-state={job.state}
      data-job-id={job.id}
      aria-current={selected ? 'true' : undefined}
    >
      <button type="button" className="job-main" onClick={() => select(job.mediaId)}>
        <span className="job-name" title={job.path}>
          {job.fileName}
        </span>
        <span className={`badge ${job.state}`}>{STATE_LABEL[job.state]}</span>
        {status !== null && (
          <span className="job-status" data-testid="job-status">
            {status}
          </span>
        )}
        {active && (
          <progress
            className="job-progress"
            max={1}
            value={job.state === 'running' ? job.progress : 0}
            aria-label={`Progress of ${job.fileName}`}
          />
        )}
        {job.error && (
          <span className="job-error" data-testid="job-error">
            {job.error}
          </span>
        )}
      </button>
      <div className="job-actions">
        {job.state === 'queued' && (
          <>
            <button type="button" className="button ghost small" disabled={first} aria-label={`Run ${job.fileName} earlier`} onClick={() => void move(job.id, -1)}>
              ↑
            </button>
            <button type="button" className="button ghost small" disabled={last} aria-label={`Run ${job.fileName} later`} onClick={() => void move(job.id, 1)}>
              ↓
            </button>
          </>
        )}
        {active && (
          <button type="button" className="button ghost" onClick={() => void cancel(job.id)}>
            Cancel
          </button>
        )}
        {(job.state === 'failed' || job.state === 'canceled') && (
          <button type="button" className="button ghost" onClick={() => void retry(job.id)}>
            Retry
          </button>
        )}
      </div>
    </li>
  );
});

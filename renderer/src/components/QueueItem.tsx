import { memo } from 'react';
import { PLACEMENTS, type JobView, type Placement } from '../../../contracts/domain';
import { formatClock, formatEta } from '../format';
import { api } from '../platform/api';
import { useJobsStore } from '../stores/jobs-store';
import { useLibraryStore } from '../stores/library-store';
import { useSettingsStore } from '../stores/settings-store';
import { ChoiceSelect } from './ChoiceSelect';
import { CloudBadge } from './CloudBadge';

const STAGE_LABEL: Record<NonNullable<JobView['stage']>, string> = {
  'download-model': 'Downloading model',
  probe: 'Reading file',
  decode: 'Decoding audio',
  'detect-speech': 'Detecting speech',
  transcribe: 'Transcribing',
  diarize: 'Finding speakers',
  upload: 'Uploading to the pool',
  'pool-wait': 'Waiting on the pool',
};
const PLACEMENT_LABEL: Record<Placement, string> = { auto: 'Decide for me', local: 'Run here', pool: 'Run in the cloud' };
const STATE_LABEL: Record<JobView['state'], string> = {
  queued: 'Queued',
  running: 'Working',
  done: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
};

function statusLine(job: JobView): string | null {
  if (job.state === 'running') {
    const device = job.engine && job.engine.provider !== 'none' ? (job.engine.provider === 'cpu' ? 'CPU' : job.runsOn === 'pool' ? 'GPU' : job.engine.provider.toUpperCase()) : null;
    const where = job.runsOn === 'pool' ? ` on the pool${device ? ` (${device})` : ''}` : device ? ` on ${device}` : '';
    const stage = job.stage ? `${STAGE_LABEL[job.stage]}${job.stage === 'transcribe' || job.stage === 'diarize' ? where : ''}` : 'Starting';
    const place = job.stage === 'pool-wait' && job.position ? ` · #${job.position} there` : '';
    return job.etaSec === null ? `${stage}${place}` : `${stage}${place} · ${formatEta(job.etaSec)} left`;
  }
  if (job.state === 'queued') {
    const place = job.runsOn === 'pool' ? 'Going to the pool' : job.position ? `#${job.position} in queue` : 'Queued';
    return job.etaSec === null ? place : `${place} · done in ${formatEta(job.etaSec)}`;
  }
  if (job.state === 'done' && job.durationSec !== null) return `${formatClock(job.durationSec)} of audio`;
  return null;
}

export const QueueItem = memo(function QueueItem({ job, first, last }: { job: JobView; first: boolean; last: boolean }) {
  const selected = useLibraryStore((state) => state.selectedId === job.mediaId);
  const { select } = useLibraryStore.getState();
  const { cancel, retry, move, place } = useJobsStore.getState();
  const offloadOn = useSettingsStore((state) => (state.settings?.offloadMode ?? 'off') !== 'off');
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
        <span className="job-name" title={api.nativePaths ? job.path : job.fileName}>
          {job.fileName}
        </span>
        <span className={`badge ${job.state}`}>{STATE_LABEL[job.state]}</span>
        {job.runsOn === 'pool' && <CloudBadge queued={job.state === 'queued'} />}
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
        {job.notice && (
          <span className="job-notice" data-testid="job-notice">
            {job.notice}
          </span>
        )}
      </button>
      <div className="job-actions">
        {job.state === 'queued' && offloadOn && (
          <label className="job-placement" title={job.placementReason ?? undefined}>
            <span className="visually-hidden">Where {job.fileName} runs</span>
            <ChoiceSelect value={job.placement} choices={PLACEMENTS} labels={PLACEMENT_LABEL} onChange={(placement) => void place(job.id, placement)} />
          </label>
        )}
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
        {job.retryable && (
          <button type="button" className="button ghost" onClick={() => void retry(job.id)}>
            Retry
          </button>
        )}
      </div>
    </li>
  );
});

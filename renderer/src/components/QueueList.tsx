import { useShallow } from 'zustand/react/shallow';
import { orderedJobs, useJobsStore } from '../stores/jobs-store';
import { AddFilesButton } from './AddFilesButton';
import { QueueItem } from './QueueItem';

export function QueueList() {
  const jobs = useJobsStore(useShallow((state) => orderedJobs(state.jobs)));
  const waiting = jobs.filter((job) => job.state === 'queued').map((job) => job.id);
  const finished = jobs.filter((job) => job.state === 'done' || job.state === 'canceled').length;
  const held = useJobsStore((state) => state.held);
  return (
    <section className="queue" aria-label="Queue">
      {held && (
        <p className="notice queue-held" role="status" data-testid="queue-held">
          {held}
        </p>
      )}
      {finished > 0 && (
        <div className="queue-controls">
          <button type="button" className="button ghost small" onClick={() => void useJobsStore.getState().clearFinished()}>
            Clear finished ({finished})
          </button>
        </div>
      )}
      {jobs.length === 0 ? (
        <div className="empty">
          <p className="empty-title">Nothing here yet</p>
          <p>Drop audio or video files anywhere in this window.</p>
          <p>
            <AddFilesButton filesOnly />
          </p>
        </div>
      ) : (
        <ul className="queue-list">
          {jobs.map((job) => (
            <QueueItem key={job.id} job={job} first={waiting[0] === job.id} last={waiting.at(-1) === job.id} />
          ))}
        </ul>
      )}
    </section>
  );
}

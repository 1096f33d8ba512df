import { useEffect, useState } from 'react';
import type { JobView, Segment } from '../../../contracts/domain';
import { formatClock } from '../format';
import { api } from '../platform/api';

/**
 * A recording being transcribed: its segments as each batch of windows finishes, read-only, and
 * how far the engine has got. Fetched again whenever the job reports progress.
 */
export function GrowingTranscript({ mediaId, job }: { mediaId: number; job: JobView }) {
  const [segments, setSegments] = useState<Segment[]>([]);
  const progress = job.progress;
  useEffect(() => {
    let current = true;
    void api
      .invoke('transcripts.partial', { mediaId })
      .then((found) => current && found && setSegments(found))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [mediaId, progress]);
  const reached = segments.at(-1)?.end ?? 0;
  return (
    <div className="growing" data-testid="growing-transcript">
      <p className="muted growing-status" role="status">
        Transcribing… {Math.round(progress * 100)} %{segments.length > 0 && ` · ${segments.length} ${segments.length === 1 ? 'segment' : 'segments'} so far, up to ${formatClock(reached)}`}
        {job.durationSec !== null && ` of ${formatClock(job.durationSec)}`}. You can read along; editing opens when it is done.
      </p>
      <ol className="segments" aria-label="Segments so far">
        {segments.map((segment) => (
          <li key={segment.start} className="segment growing-segment" data-testid="growing-segment">
            <span className="segment-time">{formatClock(segment.start)}</span>
            <p className="segment-text">{segment.text}</p>
          </li>
        ))}
        {job.state === 'running' && <li className="growing-edge" aria-hidden />}
      </ol>
    </div>
  );
}

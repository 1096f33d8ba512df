import { useEffect } from 'react';
import { formatChannels, formatClock } from '../format';
import { useJobsStore } from '../stores/jobs-store';
import { useMediaStore } from '../stores/media-store';
import { useTranscriptStore } from '../stores/transcript-store';
import { TranscriptView } from './TranscriptView';
import { Waveform } from './Waveform';

export function DetailPane() {
  const job = useJobsStore((state) => (state.selectedId === null ? undefined : state.jobs[state.selectedId]));
  const detail = useMediaStore((state) => (job ? state.details[job.mediaId] : undefined));
  const fetchDetail = useMediaStore((state) => state.fetch);
  const transcript = useTranscriptStore((state) => (job ? state.transcripts[job.mediaId] : undefined));
  const fetchTranscript = useTranscriptStore((state) => state.fetch);
  const mediaId = job?.mediaId;
  const finished = job?.state === 'done';

  useEffect(() => {
    if (mediaId === undefined) return;
    void fetchDetail(mediaId);
    void fetchTranscript(mediaId);
  }, [mediaId, finished, fetchDetail, fetchTranscript]);

  if (!job) {
    return (
      <section className="detail empty" aria-label="Details">
        <p>Select a file to see its details.</p>
      </section>
    );
  }
  const info = detail?.info;
  return (
    <section className="detail" aria-label="Details" data-testid="detail">
      <h2 className="detail-title">{job.fileName}</h2>
      <p className="detail-path">{job.path}</p>
      {job.error && <p className="job-error">{job.error}</p>}
      {info ? (
        <>
          <dl className="facts">
            <dt>Duration</dt>
            <dd data-testid="detail-duration">{formatClock(info.durationSec, true)}</dd>
            <dt>Format</dt>
            <dd>
              {info.container} · {info.codec}
            </dd>
            <dt>Audio</dt>
            <dd>
              {info.sampleRate > 0 ? `${(info.sampleRate / 1000).toFixed(1)} kHz` : 'unknown rate'} ·{' '}
              {formatChannels(info.channels)}
            </dd>
          </dl>
          {detail.waveform && <Waveform waveform={detail.waveform} durationSec={info.durationSec} />}
          {transcript && <TranscriptView mediaId={job.mediaId} transcript={transcript} />}
        </>
      ) : (
        job.state !== 'failed' && <p className="muted">Details appear once the file has been read.</p>
      )}
    </section>
  );
}

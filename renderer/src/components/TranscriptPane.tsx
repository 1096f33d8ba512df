import { useEffect } from 'react';
import { formatChannels, formatClock, formatContainer } from '../format';
import { useJobsStore } from '../stores/jobs-store';
import { useLibraryStore } from '../stores/library-store';
import { useMediaStore } from '../stores/media-store';
import { useTranscriptStore } from '../stores/transcript-store';
import { attempt } from '../stores/toast-store';
import { Player } from './Player';
import { TranscriptView } from './TranscriptView';

/** The selected recording: facts, player and transcript. */
export function TranscriptPane() {
  const mediaId = useLibraryStore((state) => state.selectedId);
  const item = useLibraryStore((state) => state.items.find((entry) => entry.mediaId === state.selectedId));
  const job = useJobsStore((state) => (item?.jobId ? state.jobs[item.jobId] : undefined));
  const detail = useMediaStore((state) => (mediaId === null ? undefined : state.details[mediaId]));
  const transcript = useTranscriptStore((state) => (mediaId === null ? undefined : state.transcripts[mediaId]));
  const remove = useLibraryStore((state) => state.remove);

  useEffect(() => {
    if (mediaId === null) return;
    void attempt('opening the recording', () => useMediaStore.getState().fetch(mediaId));
    void useTranscriptStore.getState().fetch(mediaId);
  }, [mediaId]);

  if (mediaId === null) {
    return (
      <section className="detail empty" aria-label="Transcript">
        <p>Select a recording to see its transcript.</p>
      </section>
    );
  }
  const info = detail?.info;
  const error = job?.error ?? null;
  return (
    <section className="detail" aria-label="Transcript" data-testid="detail">
      <div className="detail-head">
        <div>
          <h2 className="detail-title">{detail?.fileName ?? item?.fileName}</h2>
          <p className="detail-path">{detail?.path}</p>
        </div>
        <button
          type="button"
          className="button ghost small"
          onClick={() => {
            if (window.confirm(`Remove “${detail?.fileName ?? 'this recording'}” and its transcript from the library? The file itself stays where it is.`)) void remove(mediaId);
          }}
        >
          Remove
        </button>
      </div>
      {error && job?.state === 'failed' && (
        <p className="job-error" role="alert">
          {error}
        </p>
      )}
      {info ? (
        <>
          <dl className="facts">
            <dt>Duration</dt>
            <dd data-testid="detail-duration">{formatClock(info.durationSec, true)}</dd>
            <dt>Format</dt>
            <dd>
              {formatContainer(info.container, detail.fileName)} · {info.codec}
            </dd>
            <dt>Audio</dt>
            <dd>
              {info.sampleRate > 0 ? `${(info.sampleRate / 1000).toFixed(1)} kHz` : 'unknown rate'} · {formatChannels(info.channels)}
            </dd>
          </dl>
          <Player key={mediaId} mediaId={mediaId} durationSec={info.durationSec} waveform={detail.waveform} segments={transcript?.segments ?? []} />
          {transcript && <TranscriptView mediaId={mediaId} fileName={detail?.fileName ?? item?.fileName ?? ''} transcript={transcript} />}
        </>
      ) : transcript ? (
        // Made on the pool and not decoded here (yet): the transcript, and the user's own file to play.
        <>
          <Player key={mediaId} mediaId={mediaId} durationSec={transcript.durationSec} waveform={null} segments={transcript.segments} />
          <TranscriptView mediaId={mediaId} fileName={detail?.fileName ?? item?.fileName ?? ''} transcript={transcript} />
        </>
      ) : (
        job?.state !== 'failed' && <p className="muted">Details appear once the file has been read.</p>
      )}
    </section>
  );
}

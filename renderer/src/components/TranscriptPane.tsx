import { PanelRight, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { languageName } from '../../../contracts/languages';
import { formatChannels, formatClock, formatContainer } from '../format';
import { useJobsStore } from '../stores/jobs-store';
import { useLibraryStore } from '../stores/library-store';
import { useMediaStore } from '../stores/media-store';
import { useTranscriptStore } from '../stores/transcript-store';
import { attempt } from '../stores/toast-store';
import { api } from '../platform/api';
import { GrowingTranscript } from './GrowingTranscript';
import { Player } from './Player';
import { TranscriptView } from './TranscriptView';

const DETAILS_KEY = 'verbatim.details';

/** Whether the side panel is open: the user's last choice, else open where there is room for it. */
function detailsOpenAtFirst(): boolean {
  const stored = localStorage.getItem(DETAILS_KEY);
  return stored === null ? window.innerWidth >= 1050 : stored === 'open';
}

/**
 * The selected recording. The transcript is the page: a one-line header (name, length, speakers,
 * language, where it ran), the segments filling the pane, the player as a bar pinned below them,
 * and the file's facts, the engine's reasons and the speaker list in a side panel that can close.
 */
export function TranscriptPane() {
  const mediaId = useLibraryStore((state) => state.selectedId);
  const item = useLibraryStore((state) => state.items.find((entry) => entry.mediaId === state.selectedId));
  const job = useJobsStore((state) => (item?.jobId ? state.jobs[item.jobId] : undefined));
  const detail = useMediaStore((state) => (mediaId === null ? undefined : state.details[mediaId]));
  const transcript = useTranscriptStore((state) => (mediaId === null ? undefined : state.transcripts[mediaId]));
  const remove = useLibraryStore((state) => state.remove);
  const [detailsOpen, setDetailsOpen] = useState(detailsOpenAtFirst);

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
  const fileName = detail?.fileName ?? item?.fileName ?? '';
  const durationSec = info?.durationSec ?? transcript?.durationSec ?? null;
  const toggleDetails = (): void => {
    localStorage.setItem(DETAILS_KEY, detailsOpen ? 'closed' : 'open');
    setDetailsOpen(!detailsOpen);
  };
  const meta = [
    durationSec !== null ? formatClock(durationSec) : null,
    transcript?.diarization ? `${transcript.speakers.length} ${transcript.speakers.length === 1 ? 'speaker' : 'speakers'}` : null,
    transcript && transcript.segments.length > 0 ? languageName(transcript.language) : null,
    transcript ? (transcript.engine.ranOn === 'pool' ? 'on the cloud pool' : 'on this computer') : null,
  ].filter(Boolean);

  const facts = (
    <>
      {/* In a browser the file is an uploaded copy: its folder is Verbatim's, not the user's, so it is not shown. */}
      {api.nativePaths && <p className="detail-path">{detail?.path}</p>}
      {info && (
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
      )}
      <button
        type="button"
        className="button ghost small danger"
        onClick={() => {
          if (window.confirm(`Remove “${fileName || 'this recording'}” and its transcript from the library? The file itself stays where it is.`)) void remove(mediaId);
        }}
      >
        <Trash2 size={13} aria-hidden /> Remove from library
      </button>
    </>
  );

  return (
    <section className="detail" aria-label="Transcript" data-testid="detail">
      <header className="detail-head">
        <div className="detail-heading">
          <h2 className="detail-title">{fileName}</h2>
          {meta.length > 0 && <p className="detail-meta">{meta.join(' · ')}</p>}
        </div>
        <button type="button" className="button ghost small" aria-expanded={detailsOpen} aria-controls="detail-side" onClick={toggleDetails}>
          <PanelRight size={14} aria-hidden /> {detailsOpen ? 'Hide details' : 'Details'}
        </button>
      </header>
      {error && job?.state === 'failed' && (
        <p className="job-error" role="alert">
          {error}
        </p>
      )}
      {transcript ? (
        <TranscriptView mediaId={mediaId} fileName={fileName} transcript={transcript} details={detailsOpen ? facts : null} />
      ) : (
        <div className="detail-body">
          <div className="transcript-main">
            {job?.state === 'running' && job.runsOn !== 'pool' ? (
              <GrowingTranscript mediaId={mediaId} job={job} />
            ) : (
              job?.state !== 'failed' && <p className="muted">{info ? 'The transcript appears here as it is made.' : 'Details appear once the file has been read.'}</p>
            )}
          </div>
          {detailsOpen && (
            <aside className="detail-side" id="detail-side" aria-label="Details">
              {facts}
            </aside>
          )}
        </div>
      )}
      {durationSec !== null && (info || transcript) && (
        // Made on the pool and not decoded here (yet): no waveform, but the user's own file plays.
        <Player key={mediaId} mediaId={mediaId} fileName={fileName} durationSec={durationSec} waveform={info ? detail.waveform : null} segments={transcript?.segments ?? []} />
      )}
    </section>
  );
}

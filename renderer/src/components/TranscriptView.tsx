import { Fragment } from 'react';
import { EXPORT_FORMATS, type EngineRun, type Transcript } from '../../../contracts/domain';
import { formatClock } from '../format';
import { useTranscriptStore } from '../stores/transcript-store';
import { SpeakerList, speakerColour } from './SpeakerList';

/** Words the model was less sure of than this are marked for the reader to check. */
const LOW_CONFIDENCE = 0.5;

const PROVIDER_NAMES: Record<string, string> = { cpu: 'CPU', cuda: 'NVIDIA GPU (CUDA)', webgpu: 'GPU (WebGPU)', dml: 'GPU (DirectML)', coreml: 'Apple Neural Engine / GPU (Core ML)' };

export function engineSummary(engine: EngineRun): string {
  if (engine.provider === 'none') return `${engine.model} · no speech found, nothing to run`;
  return `${engine.model} on ${PROVIDER_NAMES[engine.provider] ?? engine.provider}`;
}

export function TranscriptView({ mediaId, transcript }: { mediaId: number; transcript: Transcript }) {
  const exportAs = useTranscriptStore((state) => state.exportAs);
  const names = new Map(transcript.speakers.map((speaker) => [speaker.id, speaker.name]));
  return (
    <div className="transcript" data-testid="transcript">
      <div className="transcript-head">
        <p className="muted" data-testid="engine">
          {engineSummary(transcript.engine)} · {transcript.language}
          {transcript.task === 'translate' ? ' → English' : ''}
        </p>
        <div className="export-buttons" role="group" aria-label="Export transcript">
          {EXPORT_FORMATS.map((format) => (
            <button key={format} type="button" className="button ghost" onClick={() => void exportAs(mediaId, format)}>
              {format.toUpperCase()}
            </button>
          ))}
        </div>
      </div>
      {transcript.engine.fallbacks.length > 0 && (
        <details className="fallbacks">
          <summary>Why not a faster device?</summary>
          <ul>
            {transcript.engine.fallbacks.map((fallback, index) => (
              <li key={index}>
                <strong>{fallback.provider}</strong>: {fallback.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <SpeakerList mediaId={mediaId} transcript={transcript} />
      {transcript.segments.length === 0 ? (
        <p className="muted">No speech was found in this recording.</p>
      ) : (
        <ol className="segments">
          {transcript.segments.map((segment, index) => (
            <li key={index} className="segment" data-testid="segment">
              <span className="segment-time">{formatClock(segment.start)}</span>
              {segment.speaker !== null && segment.speaker !== transcript.segments[index - 1]?.speaker && (
                <span className="segment-speaker" data-testid="segment-speaker" style={{ color: speakerColour(segment.speaker) }}>
                  {names.get(segment.speaker) ?? `Speaker ${segment.speaker + 1}`}
                </span>
              )}
              <p className="segment-text">
                {segment.words.length
                  ? segment.words.map((word, wordIndex) => (
                      <Fragment key={wordIndex}>
                        {wordIndex > 0 && ' '}
                        <span
                          className={word.probability < LOW_CONFIDENCE ? 'word low-confidence' : 'word'}
                          title={`${formatClock(word.start, true)} · ${Math.round(word.probability * 100)} % sure`}
                        >
                          {word.text}
                        </span>
                      </Fragment>
                    ))
                  : segment.text}
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

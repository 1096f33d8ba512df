import { useEffect, useRef } from 'react';
import { formatClock } from '../format';
import { useLiveStore } from '../live/live-store';

/** The recorder: microphone, level, elapsed time, controls, and the captions as they come. */
export function RecorderPanel() {
  const { phase, session, problem, inputs, deviceId, level, capturedSec, lines, provisional, skippedSec } = useLiveStore();
  const { start, pause, resume, stop, chooseInput, show } = useLiveStore.getState();
  const captionsEnd = useRef<HTMLDivElement>(null);
  const active = phase === 'recording' || phase === 'paused';

  useEffect(() => {
    captionsEnd.current?.scrollIntoView({ block: 'end' });
  }, [lines, provisional]);

  return (
    <section className="detail recorder" aria-label="Recorder" data-testid="recorder">
      <div className="recorder-head">
        <h2 className="detail-title">{session?.fileName.replace(/\.wav$/, '') ?? 'New recording'}</h2>
        <label className="recorder-input">
          Microphone{' '}
          <select value={deviceId ?? ''} onChange={(event) => void chooseInput(event.target.value)} aria-label="Microphone" disabled={phase === 'starting' || phase === 'stopping'}>
            {deviceId === null && <option value="">System default</option>}
            {inputs.map((input) => (
              <option key={input.deviceId} value={input.deviceId}>
                {input.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      {problem && (
        <p className="recorder-problem" role="alert" data-testid="recorder-problem" data-reason={problem.reason}>
          {problem.message}
        </p>
      )}

      <div className="recorder-controls">
        <meter className="level" min={0} max={1} low={0.6} high={0.9} optimum={0.3} value={phase === 'recording' ? level : 0} aria-label="Input level" data-testid="level" />
        <span className="elapsed" data-testid="elapsed" aria-label="Recorded">
          {formatClock(capturedSec)}
        </span>
        {!active && (
          <button type="button" className="button primary record" onClick={() => void start()} disabled={phase !== 'idle'}>
            {phase === 'starting' ? 'Starting…' : problem ? 'Try again' : 'Start recording'}
          </button>
        )}
        {phase === 'recording' && (
          <button type="button" className="button" onClick={() => void pause()}>
            Pause
          </button>
        )}
        {phase === 'paused' && (
          <button type="button" className="button" onClick={() => void resume()}>
            Resume
          </button>
        )}
        {(active || phase === 'stopping') && (
          <button type="button" className="button primary" onClick={() => void stop()} disabled={phase === 'stopping'} data-testid="stop-recording">
            {phase === 'stopping' ? 'Saving…' : 'Stop'}
          </button>
        )}
        {phase === 'idle' && (
          <button type="button" className="button ghost" onClick={() => show(false)}>
            Close
          </button>
        )}
      </div>
      <p className="muted recorder-note">
        {phase === 'paused'
          ? 'Paused: nothing is being recorded.'
          : session?.captionsError
            ? session.captionsError
            : session?.captions
              ? `Live captions with ${session.captions.model} on ${session.captions.provider.toUpperCase()}. After Stop the recording gets the full transcript with speakers.`
              : active
                ? 'Opening the speech model for live captions…'
                : 'Saved as it goes: if anything goes wrong, the recording so far is kept.'}
      </p>

      <div className="captions" aria-live="polite" data-testid="captions">
        {lines.map((line, index) => (
          <p key={index} className="caption-line" data-testid="caption-final">
            <span className="caption-time">{formatClock(line.start)}</span> {line.words.map((word) => word.text).join(' ')}
            {index === lines.length - 1 && !line.closed && provisional && <span className="caption-provisional"> {provisional}</span>}
          </p>
        ))}
        {provisional && (lines.length === 0 || lines[lines.length - 1]!.closed) && (
          <p className="caption-line">
            <span className="caption-provisional" data-testid="caption-provisional">
              {provisional}
            </span>
          </p>
        )}
        {skippedSec > 0 && (
          <p className="muted" role="status">
            Captions skipped {Math.round(skippedSec)} s to keep up; the recording has all of it, and the full transcript after Stop will too.
          </p>
        )}
        <div ref={captionsEnd} />
      </div>
    </section>
  );
}

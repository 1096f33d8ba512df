import { formatClock } from '../format';
import { useLiveStore } from '../live/live-store';

/** Recordings a crash cut off, their files repaired: finish (transcribe what was kept) or discard. */
export function InterruptedRecordings() {
  const unfinished = useLiveStore((state) => state.unfinished);
  const { finish, discard } = useLiveStore.getState();
  if (unfinished.length === 0) return null;
  return (
    <section className="first-run" aria-label="Interrupted recordings" data-testid="interrupted">
      {unfinished.map((session) => (
        <div key={session.id} className="interrupted-row" data-testid="interrupted-row">
          <p>
            <strong>{session.fileName.replace(/\.wav$/, '')}</strong> was interrupted; {formatClock(session.durationSec)} of it was kept.
          </p>
          <button type="button" className="button primary" onClick={() => void finish(session.id)}>
            Finish transcribing
          </button>
          <button type="button" className="button ghost" onClick={() => void discard(session.id)}>
            Discard
          </button>
        </div>
      ))}
    </section>
  );
}

import { useEffect, useState } from 'react';
import type { Settings } from '../../../contracts/domain';
import type { UpdateStatus } from '../../../contracts/updates';
import { api } from '../platform/api';
import { attempt } from '../stores/toast-store';

/** What the app's updater is doing, kept current by its events. */
function useUpdateStatus(): UpdateStatus | null {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  useEffect(() => {
    void api.invoke('updates.status', {}).then(setStatus);
    return api.on('updates.changed', ({ status: next }) => setStatus(next));
  }, []);
  return status;
}

/**
 * A quiet "Update ready" line once an update is downloaded and verified: it installs when Verbatim quits,
 * or now with Restart, which waits (and says for what) while a recording, a job or an upload is under way.
 */
export function UpdateNotice() {
  const status = useUpdateStatus();
  const [hidden, setHidden] = useState<string | null>(null);
  if (status?.state !== 'ready' || hidden === status.version) return null;
  const blocked = status.blockedBy.length > 0;
  return (
    <section className="update-notice" aria-label="Update ready" data-testid="update-notice">
      <p>
        <strong>Verbatim {status.version} is ready.</strong>{' '}
        <span className="muted">{blocked ? `It installs once nothing is under way (${status.blockedBy.join(', ')}).` : 'It installs when you quit, or restart now.'}</span>
      </p>
      {status.notes && (
        <details>
          <summary>What’s new</summary>
          <p className="update-notes">{status.notes}</p>
        </details>
      )}
      <div className="row">
        <button type="button" className="button primary" disabled={blocked} title={blocked ? status.blockedBy.join(', ') : undefined} onClick={() => void attempt('restarting', () => api.invoke('updates.restart', {}))}>
          Restart now
        </button>
        <button type="button" className="button ghost" onClick={() => setHidden(status.version)}>
          Later
        </button>
      </div>
    </section>
  );
}

/** Settings ▸ Updates: the opt-out, the channel, Check now and where things stand. */
export function UpdatesSection({ settings, update }: { settings: Settings; update: (patch: Partial<Settings>) => Promise<boolean> }) {
  const status = useUpdateStatus();
  return (
    <>
      <label className="setting-check">
        <input type="checkbox" checked={settings.checkForUpdates} onChange={(event) => void update({ checkForUpdates: event.target.checked })} /> Look for updates and download them in the
        background
      </label>
      <fieldset className="choices" disabled={!settings.checkForUpdates}>
        <legend>Channel</legend>
        <label>
          <input type="radio" name="update-channel" checked={settings.updateChannel === 'stable'} onChange={() => void update({ updateChannel: 'stable' })} /> Stable
        </label>
        <label>
          <input type="radio" name="update-channel" checked={settings.updateChannel === 'beta'} onChange={() => void update({ updateChannel: 'beta' })} /> Beta (earlier, less tried)
        </label>
      </fieldset>
      <div className="row">
        <button type="button" className="button" disabled={!settings.checkForUpdates || !status || ['off', 'checking', 'downloading'].includes(status.state)} onClick={() => void attempt('checking for updates', () => api.invoke('updates.check', {}))}>
          Check now
        </button>
      </div>
      {status && (
        <p className="muted setting-note" data-testid="update-status">
          {describe(status)}
        </p>
      )}
    </>
  );
}

function describe(status: UpdateStatus): string {
  switch (status.state) {
    case 'off':
      return status.reason;
    case 'idle':
      return [status.checkedAt ? `Up to date (looked ${new Date(status.checkedAt).toLocaleString()}).` : 'Not looked yet.', status.note].filter(Boolean).join(' ');
    case 'checking':
      return 'Looking for an update…';
    case 'downloading':
      return `Downloading ${status.version}… ${Math.round(status.percent)} %`;
    case 'ready':
      return `${status.version} is downloaded and verified; it installs when Verbatim quits.`;
    case 'error':
      return status.message;
  }
}

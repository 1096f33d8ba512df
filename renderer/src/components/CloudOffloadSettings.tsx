import { useEffect, useId, useState } from 'react';
import { OFFLOAD_MODES, type OffloadMode, type Settings, type SettingsPatch } from '../../../contracts/domain';
import type { PoolStatus } from '../../../contracts/cloud-api';
import { formatEta } from '../format';
import { useOffloadStore } from '../stores/offload-store';
import { useSettingsStore } from '../stores/settings-store';

const MODE_LABEL: Record<OffloadMode, { title: string; detail: string }> = {
  off: { title: 'Off', detail: 'Everything is transcribed on this computer. Nothing is uploaded.' },
  'when-busy': { title: 'When busy', detail: 'A file goes to the pool when it would be done sooner there than behind the work queued here. Recordings stay here.' },
  always: { title: 'Always', detail: 'Every file, recordings too, is transcribed on the pool while it can be reached.' },
};

/**
 * Settings ▸ Cloud offload: the pool's address, token and CA, "Test connection", and the mode.
 * Turning offload on asks the pool first: a bad token is refused here and nothing is sent.
 */
export function CloudOffloadSettings({ settings, update }: { settings: Settings; update(patch: SettingsPatch): Promise<boolean> }) {
  const { status, test, testing, load, runTest, clearTest } = useOffloadStore();
  const connectPool = useSettingsStore((state) => state.connectPool);
  const [url, setUrl] = useState(settings.poolUrl ?? '');
  const [token, setToken] = useState('');
  const [caPath, setCaPath] = useState(settings.poolCaPath ?? '');
  const [saveError, setSaveError] = useState<string | null>(null);
  const ids = { url: useId(), token: useId(), ca: useId() };
  useEffect(() => void load(), [load]);
  const draft = { url: url.trim() || undefined, token: token.trim() || undefined, caPath: caPath.trim() || null };
  const edited = (url.trim() || null) !== settings.poolUrl || (caPath.trim() || null) !== settings.poolCaPath || token.trim() !== '';
  const fromEnvironment = status?.token === 'environment';

  const save = async (): Promise<void> => {
    setSaveError(null);
    try {
      // Address, CA and token travel together: a saved token is never sent to an address it was not saved for.
      await connectPool({ url: url.trim() || null, caPath: caPath.trim() || null, token: token.trim() || null });
      setToken('');
      await load();
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <div className="offload" data-testid="offload-settings">
      <form
        className="offload-connection"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        onChange={clearTest}
      >
        <div className="field">
          <label className="field-label" htmlFor={ids.url}>
            Pool address
          </label>
          <input id={ids.url} type="url" value={url} placeholder={status?.url && !settings.poolUrl ? `${status.url} (from VERBATIM_POOL_URL)` : 'https://pool.example.com:8443'} spellCheck={false} onChange={(event) => setUrl(event.target.value)} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.token}>
            Token
          </label>
          <input
            id={ids.token}
            type="password"
            value={token}
            autoComplete="off"
            disabled={fromEnvironment}
            placeholder={fromEnvironment ? 'Set by VERBATIM_POOL_TOKEN' : status?.token === 'saved' ? 'Saved (enter a new one to replace it)' : 'vbt_…'}
            onChange={(event) => setToken(event.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.ca}>
            CA certificate file
          </label>
          <input id={ids.ca} type="text" value={caPath} placeholder="Only for a self-hosted pool (PEM)" spellCheck={false} onChange={(event) => setCaPath(event.target.value)} />
        </div>
        <div className="row">
          <button type="button" className="button ghost" disabled={testing} onClick={() => void runTest(draft)}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="button" disabled={!edited}>
            Save connection
          </button>
        </div>
        {saveError && (
          <p className="offload-error" role="alert">
            {saveError}
          </p>
        )}
        {test && (test.ok ? <PoolSummary pool={test.pool} /> : <p className="offload-error" role="alert" data-testid="offload-test-error">{test.message}</p>)}
      </form>
      <fieldset className="choices">
        <legend>Send work to the pool</legend>
        {OFFLOAD_MODES.map((mode) => (
          <label key={mode}>
            <input
              type="radio"
              name="offload-mode"
              value={mode}
              checked={settings.offloadMode === mode}
              disabled={mode !== 'off' && (!status?.url || status.token === 'missing')}
              onChange={() => void update({ offloadMode: mode })}
            />{' '}
            {MODE_LABEL[mode].title} <span className="muted">— {MODE_LABEL[mode].detail}</span>
          </label>
        ))}
      </fieldset>
      {settings.offloadMode !== 'off' && status && (
        <p className={`muted setting-note ${status.breaker.state === 'closed' ? '' : 'offload-error'}`} data-testid="offload-state">
          {status.breaker.state === 'closed'
            ? status.pool
              ? `In use: ${poolLine(status.pool)}`
              : 'Connecting to the pool…'
            : `Not in use for now, so work runs here${status.breaker.retryInSec ? ` (trying again in ${status.breaker.retryInSec} s)` : ''}: ${status.lastError ?? 'the pool failed lately.'}`}
        </p>
      )}
    </div>
  );
}

function PoolSummary({ pool }: { pool: PoolStatus }) {
  return (
    <p className="offload-ok" role="status" data-testid="offload-test-result">
      Connected to the pool ({pool.tenant}): {poolLine(pool)}
    </p>
  );
}

function poolLine(pool: PoolStatus): string {
  const wait = pool.waitSec === null ? 'wait unknown' : pool.waitSec < 1 ? 'a new file starts at once' : `a new file would start in ${formatEta(pool.waitSec)}`;
  const speed = pool.audioSecPerSec ? `, ${Math.round(pool.audioSecPerSec)}× realtime per worker` : '';
  const quota = `${Math.round(pool.quota.usedTodaySec / 60)} of ${Math.round(pool.quota.audioSecPerDay / 60)} minutes used today`;
  return `${pool.workers} ${pool.workers === 1 ? 'worker' : 'workers'}, ${pool.queued} queued, ${pool.running} running; ${wait}${speed}; ${quota}.`;
}

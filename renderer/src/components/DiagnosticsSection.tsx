import { useState } from 'react';
import { api } from '../platform/api';
import { useToastStore } from '../stores/toast-store';

/**
 * Settings ▸ Help: Copy diagnostics for a bug report (versions, OS, CPU, providers, models, the latest
 * problems; file names only when ticked, never transcript text), and where the log files are.
 */
export function DiagnosticsSection() {
  const [includeNames, setIncludeNames] = useState(false);
  const [logsDir, setLogsDir] = useState<string | null>(null);
  const copy = async (): Promise<void> => {
    const push = useToastStore.getState().push;
    try {
      const { text, logsDir: dir } = await api.invoke('system.diagnostics', { includeNames });
      setLogsDir(dir);
      await navigator.clipboard.writeText(text);
      push('Diagnostics copied: paste them into your report.');
    } catch (error) {
      push(`The diagnostics could not be copied: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (
    <>
      <p className="muted setting-note">
        Copy diagnostics puts what a bug report needs on the clipboard: versions, system, devices tried, models and the latest problems. Never any transcript text.
      </p>
      <label className="setting-check">
        <input type="checkbox" checked={includeNames} onChange={(event) => setIncludeNames(event.target.checked)} /> Include file names and folders
      </label>
      <div className="row">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy diagnostics
        </button>
      </div>
      {logsDir && (
        <p className="muted setting-note" data-testid="logs-dir">
          Log files: {logsDir}
        </p>
      )}
    </>
  );
}

import { formatBytes } from '../../../contracts/byte-size';
import { useSettingsStore } from '../stores/settings-store';

/**
 * First run: no speech model yet. Says what is needed and how big it is, with one button; a job
 * would download it too, but nobody should be surprised by a large download.
 */
export function FirstRun() {
  const { settings, models, downloads, download } = useSettingsStore();
  if (!settings || models.length === 0) return null;
  const whisper = models.filter((model) => model.kind === 'whisper');
  if (whisper.some((model) => model.installed)) return null;
  const chosen = whisper.find((model) => model.id === settings.model) ?? whisper[0]!;
  const progress = downloads[chosen.id];
  return (
    <section className="first-run" aria-label="Get started" data-testid="first-run">
      <div>
        <p className="first-run-title">Verbatim needs a speech model to transcribe</p>
        <p className="muted">
          {chosen.name} ({chosen.sizeExact ? '' : 'about '}
          {formatBytes(chosen.sizeBytes)}) is downloaded once and then runs on this computer; nothing you transcribe leaves it. Other models are in
          Settings.
        </p>
        {progress?.state === 'failed' && <p className="job-error">The download failed: {progress.error}</p>}
      </div>
      {progress?.state === 'downloading' ? (
        <progress max={progress.totalBytes || 1} value={progress.receivedBytes} aria-label={`Downloading ${chosen.name}`} />
      ) : (
        <button type="button" className="button primary" onClick={() => void download(chosen.id)}>
          Download {chosen.name} ({formatBytes(chosen.sizeBytes)})
        </button>
      )}
    </section>
  );
}

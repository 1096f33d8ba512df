import type { ModelStatus } from '../../../contracts/models';
import { formatBytes } from '../../../contracts/byte-size';
import { useSettingsStore } from '../stores/settings-store';

const KIND_LABEL: Record<ModelStatus['kind'], string> = { whisper: 'Speech', segmentation: 'Speakers', 'speaker-embedding': 'Speakers' };
const INSTALLED_WHERE: Record<NonNullable<ModelStatus['installed']>, string> = { app: '', bundled: ' (comes with the app)', env: ' (provided by VERBATIM_MODELS_DIR)' };

/** The model manager: which models exist, which are installed and how much disk they take; download, cancel, delete. */
export function ModelList({ chosen, onChoose }: { chosen: string; onChoose(id: string): void }) {
  const { models, downloads, download, cancelDownload, removeModel } = useSettingsStore();
  const used = models.reduce((sum, model) => sum + model.diskBytes, 0);
  return (
    <>
      <p className="muted setting-note">Installed models take {formatBytes(used)} on disk. The chosen speech model is used for new jobs.</p>
      <ul className="models" data-testid="models">
        {models.map((model) => {
          const progress = downloads[model.id];
          const downloading = progress?.state === 'downloading';
          return (
            <li key={model.id} className="model" data-testid="model" data-model-id={model.id}>
              <div className="model-info">
                <span className="model-name">
                  {model.kind === 'whisper' ? (
                    <label>
                      <input type="radio" name="model" checked={chosen === model.id} onChange={() => onChoose(model.id)} /> {model.name}
                    </label>
                  ) : (
                    model.name
                  )}{' '}
                  <span className="badge">{KIND_LABEL[model.kind]}</span>
                </span>
                <span className="muted">
                  {model.installed ? `Installed · ${formatBytes(model.diskBytes)}${INSTALLED_WHERE[model.installed]}` : `${model.sizeExact ? '' : 'about '}${formatBytes(model.sizeBytes)} to download`}
                  {' · '}
                  {model.recommended}
                </span>
                {downloading && <progress max={progress.totalBytes || 1} value={progress.receivedBytes} aria-label={`Downloading ${model.name}`} />}
                {progress?.state === 'failed' && <span className="job-error">Download failed: {progress.error}</span>}
              </div>
              <div className="model-actions">
                {downloading ? (
                  <button type="button" className="button ghost small" onClick={() => void cancelDownload(model.id)}>
                    Cancel
                  </button>
                ) : model.installed === 'app' ? (
                  <button type="button" className="button ghost small" onClick={() => void removeModel(model.id)} aria-label={`Delete ${model.name}`}>
                    Delete
                  </button>
                ) : model.installed === null ? (
                  <button type="button" className="button small" onClick={() => void download(model.id)} aria-label={`Download ${model.name}`}>
                    Download
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

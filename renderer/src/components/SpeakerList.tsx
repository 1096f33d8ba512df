import { useEffect, useState } from 'react';
import type { DiarizationRun, Transcript } from '../../../contracts/domain';
import { NEURAL_MODELS, NEURAL_NOT_INSTALLED } from '../../../contracts/models';
import { formatBytes } from '../../../contracts/byte-size';
import { useSettingsStore } from '../stores/settings-store';
import { useTranscriptStore } from '../stores/transcript-store';

const TIER_NAMES: Record<DiarizationRun['tier'], string> = {
  neural: 'neural models (pyannote + WeSpeaker CAM++)',
  builtin: 'built-in method',
};

export function diarizationSummary(run: DiarizationRun, speakerCount: number): string {
  if (run.error) return `Speaker labels failed: ${run.error}`;
  const device = run.provider === 'cpu' ? 'CPU' : run.provider;
  return `${speakerCount} ${speakerCount === 1 ? 'speaker' : 'speakers'} · ${TIER_NAMES[run.tier]} on ${device}`;
}

/**
 * Stable per speaker index, so a voice keeps its colour when others are merged away; the theme
 * picks the shade (styles.css), each one AA against both themes' backgrounds.
 */
export function speakerColour(speaker: number): string {
  return `var(--speaker-${speaker % SPEAKER_COLOURS})`;
}
const SPEAKER_COLOURS = 8;

/** The transcript's speakers: rename one, or merge two labels found for one person. */
export function SpeakerList({ mediaId, transcript }: { mediaId: number; transcript: Transcript }) {
  const { renameSpeaker, mergeSpeakers } = useTranscriptStore();
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const run = transcript.diarization;
  if (!run) return null;
  const act = (action: Promise<void>): void => {
    setProblem(null);
    action.catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  };
  const save = (speaker: number): void => {
    if (draft.trim()) act(renameSpeaker(mediaId, speaker, draft.trim()));
    setEditing(null);
  };
  return (
    <section className="speakers" aria-label="Speakers">
      <p className="muted" data-testid="diarization">
        {diarizationSummary(run, transcript.speakers.length)}
      </p>
      {run.fallbacks.length > 0 && (
        <details className="fallbacks">
          <summary>Why this speaker method?</summary>
          <ul>
            {run.fallbacks.map((fallback, index) => (
              <li key={index}>
                <strong>{fallback.provider}</strong>: {fallback.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <ul className="speaker-list">
        {transcript.speakers.map((speaker) => (
          <li key={speaker.id} className="speaker" data-testid="speaker">
            <span className="speaker-dot" style={{ background: speakerColour(speaker.id) }} aria-hidden />
            {editing === speaker.id ? (
              <input
                aria-label={`New name for ${speaker.name}`}
                value={draft}
                autoFocus
                maxLength={100}
                onChange={(event) => setDraft(event.target.value)}
                onBlur={() => save(speaker.id)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') save(speaker.id);
                  if (event.key === 'Escape') setEditing(null);
                }}
              />
            ) : (
              <button
                type="button"
                className="button ghost speaker-name"
                title="Rename"
                onClick={() => {
                  setDraft(speaker.name);
                  setEditing(speaker.id);
                }}
              >
                {speaker.name}
              </button>
            )}
            {transcript.speakers.length > 1 && (
              <select
                aria-label={`Merge ${speaker.name} into`}
                value=""
                onChange={(event) => act(mergeSpeakers(mediaId, speaker.id, Number(event.target.value)))}
              >
                <option value="" disabled>
                  Merge into…
                </option>
                {transcript.speakers
                  .filter((other) => other.id !== speaker.id)
                  .map((other) => (
                    <option key={other.id} value={other.id}>
                      {other.name}
                    </option>
                  ))}
              </select>
            )}
          </li>
        ))}
      </ul>
      {problem && <p className="job-error">{problem}</p>}
    </section>
  );
}

/** Why the built-in tier stood in for neural models that are not installed (and could not be downloaded), or null. */
export function missingNeuralModels(transcript: Transcript): string | null {
  return transcript.diarization?.fallbacks.find((fallback) => fallback.provider === 'neural' && fallback.reason.startsWith(NEURAL_NOT_INSTALLED))?.reason ?? null;
}

/**
 * One line above the transcript where the built-in tier stood in for neural models that could not be
 * had (the first job downloads them; offline, or behind a blocking proxy, that fails), with why, and
 * their download again with its size. Files transcribed afterwards use them.
 */
export function NeuralModelsOffer({ reason }: { reason: string }) {
  const { models, downloads, download, loadModels } = useSettingsStore();
  const wanted = NEURAL_MODELS.map((id) => models.find((model) => model.id === id));
  const missing = wanted.filter((model) => model && model.installed === null);
  const busy = NEURAL_MODELS.some((id) => downloads[id]?.state === 'downloading');
  const failed = NEURAL_MODELS.map((id) => downloads[id]).find((progress) => progress?.state === 'failed');
  useEffect(() => {
    if (useSettingsStore.getState().models.length === 0) void loadModels();
  }, [loadModels]);
  const installed = models.length > 0 && missing.length === 0;
  return (
    <p className="notice" data-testid="neural-offer">
      {installed
        ? 'The neural speaker models are installed: files transcribed from now on use them.'
        : `Labelled by the built-in method: ${reason}.`}{' '}
      {!installed && (
        <button type="button" className="button small" disabled={busy || models.length === 0} onClick={() => missing.forEach((model) => void download(model!.id))}>
          {busy ? 'Downloading…' : `Download speaker models (${formatBytes(missing.reduce((total, model) => total + model!.sizeBytes, 0))})`}
        </button>
      )}
      {failed?.state === 'failed' && <span className="job-error"> Download failed: {failed.error}</span>}
    </p>
  );
}

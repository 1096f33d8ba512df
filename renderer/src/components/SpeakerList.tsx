import { useEffect, useState } from 'react';
import type { DiarizationRun, EditableTranscript, Transcript } from '../../../contracts/domain';
import { isDefaultSpeakerName } from '../../../contracts/voices';
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

/**
 * The transcript's speakers: rename one, or merge two labels found for one person; save a named
 * one's voice (after a note that a voice print is personal data), and answer a suggested saved voice.
 */
export function SpeakerList({ mediaId, transcript }: { mediaId: number; transcript: EditableTranscript }) {
  const { renameSpeaker, mergeSpeakers, rememberVoice, confirmVoice, rejectVoice } = useTranscriptStore();
  const recognising = useSettingsStore((state) => state.settings?.recogniseVoices ?? false);
  const [editing, setEditing] = useState<number | null>(null);
  const [remembering, setRemembering] = useState<number | null>(null);
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
            <MergeIntoSelect label={`Merge ${speaker.name} into`} own={speaker.id} choices={transcript.speakers} onMerge={(into) => act(mergeSpeakers(mediaId, speaker.id, into))} />
            <VoiceControls
              speaker={speaker}
              link={transcript.voices.find((voice) => voice.speaker === speaker.id)}
              canRemember={recognising}
              asking={remembering === speaker.id}
              onAsk={(ask) => setRemembering(ask ? speaker.id : null)}
              onRemember={() => {
                setRemembering(null);
                act(rememberVoice(mediaId, speaker.id));
              }}
              onConfirm={() => act(confirmVoice(mediaId, speaker.id))}
              onReject={() => act(rejectVoice(mediaId, speaker.id))}
            />
          </li>
        ))}
      </ul>
      {problem && <p className="job-error">{problem}</p>}
    </section>
  );
}

/** "Merge into…": one of the other named things (speakers, saved voices); nothing when there is no other. */
export function MergeIntoSelect({ label, own, choices, onMerge }: { label: string; own: number; choices: ReadonlyArray<{ id: number; name: string }>; onMerge(into: number): void }) {
  const others = choices.filter((other) => other.id !== own);
  if (others.length === 0) return null;
  return (
    <select aria-label={label} value="" onChange={(event) => onMerge(Number(event.target.value))}>
      <option value="" disabled>
        Merge into…
      </option>
      {others.map((other) => (
        <option key={other.id} value={other.id}>
          {other.name}
        </option>
      ))}
    </select>
  );
}

/** One speaker's place in the voice library: a suggested voice to answer, a recognised one, or saving theirs. */
function VoiceControls({
  speaker,
  link,
  canRemember,
  asking,
  onAsk,
  onRemember,
  onConfirm,
  onReject,
}: {
  speaker: { id: number; name: string };
  link: EditableTranscript['voices'][number] | undefined;
  canRemember: boolean;
  asking: boolean;
  onAsk(ask: boolean): void;
  onRemember(): void;
  onConfirm(): void;
  onReject(): void;
}) {
  if (link?.state === 'suggested') {
    return (
      <span className="voice-suggestion" data-testid="voice-suggestion">
        <span title="Sounds like a voice you saved">{link.name}?</span>
        <button type="button" className="button small" aria-label={`Yes, ${speaker.name} is ${link.name}`} onClick={onConfirm}>
          Yes
        </button>
        <button type="button" className="button ghost small" aria-label={`No, ${speaker.name} is not ${link.name}`} onClick={onReject}>
          No
        </button>
      </span>
    );
  }
  if (link?.state === 'named') {
    return (
      <span className="muted voice-badge" data-testid="voice-badge" title="Recognised from the voices saved in Settings ▸ Voices">
        saved voice
      </span>
    );
  }
  if (!canRemember || isDefaultSpeakerName(speaker.name)) return null;
  if (!asking) {
    return (
      <button type="button" className="button ghost small" onClick={() => onAsk(true)}>
        Remember voice…
      </button>
    );
  }
  return (
    <div className="voice-consent" role="group" aria-label={`Save ${speaker.name}'s voice`}>
      <p>
        Save {speaker.name}’s voice, so new recordings name them? A voice print is personal data: it stays on this computer (never uploaded, not
        even to a cloud pool). Ask {speaker.name} first; delete it any time in Settings ▸ Voices.
      </p>
      <button type="button" className="button small" onClick={onRemember}>
        Save voice
      </button>
      <button type="button" className="button ghost small" onClick={() => onAsk(false)}>
        Cancel
      </button>
    </div>
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

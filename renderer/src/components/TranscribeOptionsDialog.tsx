import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Task, type JobOptions, type Settings } from '../../../contracts/domain';
import { formatBytes } from '../../../contracts/byte-size';
import { useSettingsStore } from '../stores/settings-store';
import { ChoiceSelect, LanguageSelect, TASK_LABEL } from './ChoiceSelect';

/** Every choice resolved: what the dialog edits. */
export type ResolvedOptions = Required<JobOptions>;

export function resolveOptions(settings: Settings, options: JobOptions): ResolvedOptions {
  return { model: settings.model, language: settings.language, task: settings.task, diarization: settings.diarization, speakers: settings.speakers, ...options };
}

type SpeakerMode = 'auto' | 'exact' | 'off';

interface TranscribeOptionsDialogProps {
  title: string;
  /** What the files are, under the title ("2 files", the file's name). */
  subject: string;
  submitLabel: string;
  initial: ResolvedOptions;
  /** Shown above the buttons: what this replaces. */
  warning?: string | null;
  /** The "Ask every time" box, for the sheet shown when adding. */
  askAgain?: boolean;
  onSubmit(options: ResolvedOptions, askAgain: boolean): void;
  /** Closed without choosing; `skip` says to go on with Settings as they are. */
  onCancel(): void;
  skipLabel?: string;
  onSkip?(): void;
}

/**
 * The choices that make one file's transcript: language, speakers, model and task. Used when adding
 * files (the per-file sheet, remembered and skippable) and for Transcribe again…. A modal dialog:
 * Escape cancels.
 */
export function TranscribeOptionsDialog({ title, subject, submitLabel, initial, warning = null, askAgain, onSubmit, onCancel, skipLabel, onSkip }: TranscribeOptionsDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const models = useSettingsStore((state) => state.models).filter((model) => model.kind === 'whisper');
  const [choice, setChoice] = useState(initial);
  const [ask, setAsk] = useState(askAgain ?? true);
  const chosen = useRef(false);
  const speakerMode: SpeakerMode = choice.diarization === 'off' ? 'off' : choice.speakers.exact !== null ? 'exact' : 'auto';
  const ids = { title: useId(), language: useId(), speakers: useId(), model: useId(), task: useId() };

  useEffect(() => {
    dialog.current?.showModal();
    if (useSettingsStore.getState().models.length === 0) void useSettingsStore.getState().loadModels();
  }, []);

  const setSpeakers = (mode: SpeakerMode, exact = choice.speakers.exact ?? 2): void => {
    const diarization = mode === 'off' ? 'off' : choice.diarization === 'off' ? 'auto' : choice.diarization;
    setChoice({ ...choice, diarization, speakers: { exact: mode === 'exact' ? exact : null, min: null, max: null } });
  };

  return (
    <dialog
      ref={dialog}
      className="sheet"
      aria-labelledby={ids.title}
      data-testid="transcribe-options"
      onClose={() => {
        if (!chosen.current) onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          chosen.current = true;
          dialog.current?.close();
          onSubmit(choice, ask);
        }}
      >
        <h2 id={ids.title}>{title}</h2>
        <p className="muted sheet-subject">{subject}</p>
        <div className="sheet-fields">
          <Row label="Language" id={ids.language}>
            <LanguageSelect id={ids.language} value={choice.language} onChange={(language) => setChoice({ ...choice, language })} />
          </Row>
          <Row label="Speakers" id={ids.speakers}>
            <div className="row">
              <select id={ids.speakers} value={speakerMode} onChange={(event) => setSpeakers(event.target.value as SpeakerMode)}>
                <option value="auto">Find out how many</option>
                <option value="exact">Exactly…</option>
                <option value="off">No speaker labels</option>
              </select>
              {speakerMode === 'exact' && (
                <input
                  type="number"
                  className="count"
                  min={1}
                  max={32}
                  aria-label="Number of speakers"
                  value={choice.speakers.exact ?? 2}
                  onChange={(event) => setSpeakers('exact', Math.min(32, Math.max(1, Math.round(Number(event.target.value) || 1))))}
                />
              )}
            </div>
          </Row>
          <Row label="Model" id={ids.model}>
            <select id={ids.model} value={choice.model} onChange={(event) => setChoice({ ...choice, model: event.target.value })}>
              {(models.some((model) => model.id === choice.model) ? models : [{ id: choice.model, name: choice.model, installed: 'app', sizeBytes: 0 }, ...models]).map((model) => (
                <option key={model.id} value={model.id}>
                  {model.name}
                  {model.installed ? '' : ` (downloads ${formatBytes(model.sizeBytes)} first)`}
                </option>
              ))}
            </select>
          </Row>
          <Row label="Task" id={ids.task}>
            <ChoiceSelect id={ids.task} value={choice.task} choices={Task.options} labels={TASK_LABEL} onChange={(task) => setChoice({ ...choice, task })} />
          </Row>
        </div>
        {warning && (
          <p className="notice" role="note">
            {warning}
          </p>
        )}
        {askAgain !== undefined && (
          <label className="sheet-ask">
            <input type="checkbox" checked={ask} onChange={(event) => setAsk(event.target.checked)} /> Ask every time I add files (Settings ▸ Transcription turns it back on)
          </label>
        )}
        <div className="sheet-buttons">
          {onSkip && (
            <button
              type="button"
              className="button ghost"
              onClick={() => {
                chosen.current = true;
                dialog.current?.close();
                onSkip();
              }}
            >
              {skipLabel}
            </button>
          )}
          <button type="button" className="button ghost" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="button primary" autoFocus>
            {submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function Row({ label, id, children }: { label: string; id: string; children: ReactNode }) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
    </div>
  );
}

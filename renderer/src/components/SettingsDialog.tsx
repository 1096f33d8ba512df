import { cloneElement, useEffect, useId, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { DEVICES, DIARIZATION_MODES, Task, THEMES, type Device, type DiarizationMode, type SpeakerCount, type Theme } from '../../../contracts/domain';
import { api } from '../platform/api';
import { useSettingsStore } from '../stores/settings-store';
import { ChoiceSelect, LanguageSelect, TASK_LABEL } from './ChoiceSelect';
import { CloudOffloadSettings } from './CloudOffloadSettings';
import { DiagnosticsSection } from './DiagnosticsSection';
import { UpdatesSection } from './Updates';
import { VoicesSection } from './VoicesSection';
import { ModelList } from './ModelList';
import { providerName } from './TranscriptView';

const DEVICE_LABEL: Record<Device, string> = {
  auto: 'Automatic (fastest available)',
  cuda: 'NVIDIA GPU (CUDA)',
  webgpu: 'GPU (WebGPU)',
  dml: 'GPU (DirectML, Windows)',
  coreml: 'Core ML (macOS)',
  cpu: 'CPU only',
};
const DIARIZATION_LABEL: Record<DiarizationMode, string> = {
  auto: 'On: neural models, else the built-in method',
  neural: 'On: neural models only (downloaded if missing)',
  builtin: 'On: built-in method (no models)',
  off: 'Off: no speaker labels',
};
const THEME_LABEL: Record<Theme, string> = { system: 'Like the system', light: 'Light', dark: 'Dark' };

/** Every setting, saved to the library the moment it changes. A modal dialog: Escape closes it. */
export function SettingsDialog({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { settings, devices, update, loadModels, chooseFolder } = useSettingsStore();
  useEffect(() => {
    dialog.current?.showModal();
    void loadModels();
  }, [loadModels]);
  return (
    <dialog ref={dialog} className="settings" aria-labelledby="settings-title" onClose={onClose} data-testid="settings">
      <div className="settings-head">
        <h2 id="settings-title">Settings</h2>
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          Done
        </button>
      </div>
      {!settings ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="settings-body">
          <Section title="Transcription">
            <Field label="Language">
              <LanguageSelect value={settings.language} onChange={(language) => void update({ language })} />
            </Field>
            <Field label="Task">
              <ChoiceSelect value={settings.task} choices={Task.options} labels={TASK_LABEL} onChange={(task) => void update({ task })} />
            </Field>
            <Field label="Device">
              <ChoiceSelect value={settings.device} choices={DEVICES} labels={DEVICE_LABEL} onChange={(device) => void update({ device })} />
            </Field>
            {devices && (
              <p className="muted setting-note" data-testid="devices">
                Tried in this order: {devices.order.map(providerName).join(' → ')}.{' '}
                {devices.lastRun
                  ? `The last transcription ran on ${providerName(devices.lastRun.provider)}${devices.lastRun.fallbacks.length ? ` (${devices.lastRun.fallbacks.map((fallback) => `${providerName(fallback.provider)}: ${fallback.reason}`).join('; ')})` : ''}.`
                  : 'Nothing has been transcribed yet.'}
              </p>
            )}
            <PromptField value={settings.initialPrompt} onSave={(initialPrompt) => void update({ initialPrompt })} />
            <label className="setting-check">
              <input type="checkbox" checked={settings.askWhenAdding} onChange={(event) => void update({ askWhenAdding: event.target.checked })} /> Show the options sheet (speakers, model…)
              when adding files
            </label>
          </Section>
          <Section title="Speakers">
            <Field label="Speaker labels">
              <ChoiceSelect value={settings.diarization} choices={DIARIZATION_MODES} labels={DIARIZATION_LABEL} onChange={(diarization) => void update({ diarization })} />
            </Field>
            <SpeakerCountField value={settings.speakers} disabled={settings.diarization === 'off'} onSave={(speakers) => void update({ speakers })} />
          </Section>
          <Section title="Voices">
            <VoicesSection settings={settings} update={update} />
          </Section>
          <Section title="Models">
            <ModelList chosen={settings.model} onChoose={(model) => void update({ model })} />
          </Section>
          <Section title="Cloud offload">
            <CloudOffloadSettings settings={settings} update={update} />
          </Section>
          <Section title="Storage">
            <StorageField value={settings.storageDir} choose={chooseFolder} />
          </Section>
          <Section title="Appearance">
            <fieldset className="choices">
              <legend>Theme</legend>
              {THEMES.map((theme) => (
                <label key={theme}>
                  <input type="radio" name="theme" value={theme} checked={settings.theme === theme} onChange={() => void update({ theme })} /> {THEME_LABEL[theme]}
                </label>
              ))}
            </fieldset>
          </Section>
          <Section title="Updates">
            <UpdatesSection settings={settings} update={update} />
          </Section>
          <Section title="Help">
            <DiagnosticsSection />
          </Section>
        </div>
      )}
    </dialog>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="settings-section" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** A label and its control, tied by id: the control's accessible name is the label alone. */
function Field({ label, children }: { label: string; children: ReactElement<{ id?: string }> }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id })}
    </div>
  );
}

function PromptField({ value, onSave }: { value: string | null; onSave(value: string | null): void }) {
  const [draft, setDraft] = useState(value ?? '');
  return (
    <Field label="Names and terms to spell right">
      <input
        type="text"
        value={draft}
        maxLength={1000}
        placeholder="e.g. Verbatim, Dr. Ngozi Okonjo-Iweala, ONNX"
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => draft.trim() !== (value ?? '') && onSave(draft.trim() || null)}
      />
    </Field>
  );
}

function SpeakerCountField({ value, disabled, onSave }: { value: SpeakerCount; disabled: boolean; onSave(value: SpeakerCount): void }) {
  const mode = value.exact !== null ? 'exact' : value.min !== null || value.max !== null ? 'range' : 'auto';
  const number = (text: string): number | null => (text === '' ? null : Math.min(32, Math.max(1, Math.round(Number(text)))));
  return (
    <fieldset className="choices" disabled={disabled}>
      <legend>Number of speakers</legend>
      <label>
        <input type="radio" name="speakers" checked={mode === 'auto'} onChange={() => onSave({ exact: null, min: null, max: null })} /> Find out from the audio
      </label>
      <label>
        <input type="radio" name="speakers" checked={mode === 'exact'} onChange={() => onSave({ exact: 2, min: null, max: null })} /> Exactly{' '}
        <input
          type="number"
          min={1}
          max={32}
          className="count"
          aria-label="Exact number of speakers"
          disabled={mode !== 'exact'}
          value={value.exact ?? ''}
          onChange={(event) => onSave({ exact: number(event.target.value), min: null, max: null })}
        />
      </label>
      <label>
        <input type="radio" name="speakers" checked={mode === 'range'} onChange={() => onSave({ exact: null, min: 1, max: 4 })} /> Between{' '}
        <input type="number" min={1} max={32} className="count" aria-label="Fewest speakers" disabled={mode !== 'range'} value={value.min ?? ''} onChange={(event) => onSave({ ...value, exact: null, min: number(event.target.value) })} /> and{' '}
        <input type="number" min={1} max={32} className="count" aria-label="Most speakers" disabled={mode !== 'range'} value={value.max ?? ''} onChange={(event) => onSave({ ...value, exact: null, max: number(event.target.value) })} />
      </label>
    </fieldset>
  );
}

/** The folder is named in the app's own folder picker (main process), never typed into a form the API would carry; a browser has no such picker. */
function StorageField({ value, choose }: { value: string | null; choose(reset: boolean): Promise<void> }) {
  return (
    <div className="storage">
      <Field label="Folder for downloaded models">
        <output className="storage-folder">{value ?? "The library's own folder"}</output>
      </Field>
      {api.nativePaths ? (
        <>
          <p className="muted setting-note">Models are the large files. Installed ones move to the folder you choose, e.g. on a larger disk.</p>
          <div className="row">
            <button type="button" className="button" onClick={() => void choose(false)}>
              Choose folder…
            </button>
            {value && (
              <button type="button" className="button ghost" onClick={() => void choose(true)}>
                Use the default
              </button>
            )}
          </div>
        </>
      ) : (
        <p className="muted setting-note">Models are the large files. The desktop app lets you keep them in another folder, e.g. on a larger disk.</p>
      )}
    </div>
  );
}

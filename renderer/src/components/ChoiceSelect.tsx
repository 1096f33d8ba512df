import type { Task } from '../../../contracts/domain';
import { LANGUAGES_BY_NAME } from '../../../contracts/languages';

/** A select over a fixed list of values, each shown by its label; `id` lets a Field tie its label to it. */
export function ChoiceSelect<T extends string>({ id, value, choices, labels, onChange }: { id?: string; value: T; choices: readonly T[]; labels: Record<T, string>; onChange(value: T): void }) {
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value as T)}>
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {labels[choice]}
        </option>
      ))}
    </select>
  );
}

/** "Detect automatically", then every language Whisper knows, by name. */
export function LanguageSelect({ id, value, onChange }: { id?: string; value: string; onChange(language: string): void }) {
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="auto">Detect automatically</option>
      {LANGUAGES_BY_NAME.map(([code, name]) => (
        <option key={code} value={code}>
          {name}
        </option>
      ))}
    </select>
  );
}

export const TASK_LABEL: Record<Task, string> = { transcribe: 'Transcribe (in the language spoken)', translate: 'Translate into English' };

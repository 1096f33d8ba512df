import { DEFAULT_EXPORT_OPTIONS, Settings } from '../contracts/domain';
import type { SettingsStore } from './library/settings-store';

const DEFAULTS: Settings = {
  // The most accurate model that runs several times faster than realtime on any laptop's CPU.
  model: 'whisper-base',
  language: 'auto',
  task: 'transcribe',
  device: 'auto',
  initialPrompt: null,
  diarization: 'auto',
  speakers: { exact: null, min: null, max: null },
  storageDir: null,
  theme: 'system',
  offloadMode: 'off',
  poolUrl: null,
  poolCaPath: null,
  askWhenAdding: true,
  addOptions: {},
  exportOptions: DEFAULT_EXPORT_OPTIONS,
  checkForUpdates: true,
  updateChannel: 'stable',
  recogniseVoices: true,
};
/** Where the settings live in the library's key-value table. */
export const SETTINGS_KEY = 'app.settings';
/** The last language the user chose by name, kept after they go back to "detect". */
const LAST_LANGUAGE_KEY = 'app.lastLanguage';

/** The user's settings, kept in the library, with their defaults and the environment's overrides. */
export class AppSettings {
  constructor(
    private readonly store: SettingsStore,
    private readonly env: NodeJS.ProcessEnv,
    /** This host's own defaults (the CLI's flags, a test's model), under what the user chose. */
    private readonly defaults: Partial<Settings> = {},
  ) {}

  get(): Settings {
    // Unknown or invalid stored keys (from another version) fall back to defaults instead of failing.
    const stored = Settings.partial().safeParse(this.store.get(SETTINGS_KEY) ?? {});
    return { ...DEFAULTS, ...this.defaults, ...(stored.success ? stored.data : {}) };
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = { ...this.get(), ...patch };
    this.store.set(SETTINGS_KEY, next);
    if (patch.language && patch.language !== 'auto') this.store.set(LAST_LANGUAGE_KEY, patch.language);
    return next;
  }

  /**
   * The language detection falls back on when unsure: the one the user last chose, else the
   * system's (from the locale, as `Intl` reports it: "de-AT" → "de").
   */
  languageFallback(systemLocale = Intl.DateTimeFormat().resolvedOptions().locale): string | null {
    const last = this.store.get(LAST_LANGUAGE_KEY);
    if (typeof last === 'string') return last;
    const system = /^([a-z]{2,3})\b/i.exec(systemLocale)?.[1]?.toLowerCase();
    return system ?? null;
  }
}

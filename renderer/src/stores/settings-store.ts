import { create } from 'zustand';
import type { EngineRun, ModelDownload, Settings, SettingsPatch } from '../../../contracts/domain';
import type { ModelStatus } from '../../../contracts/models';
import { api } from '../platform/api';
import { attempt } from './toast-store';

interface SettingsState {
  settings: Settings | null;
  models: ModelStatus[];
  downloads: Record<string, ModelDownload>;
  devices: { order: string[]; lastRun: EngineRun | null } | null;
  load(): Promise<void>;
  loadModels(): Promise<void>;
  update(patch: SettingsPatch): Promise<boolean>;
  /** Opens the app's folder picker for the models folder (reset: back to the library's); installed models move. */
  chooseFolder(reset: boolean): Promise<void>;
  /** Saves the pool's address, CA and token together; errors are thrown for the form to show. */
  connectPool(connection: { url: string | null; caPath: string | null; token: string | null }): Promise<void>;
  mergeDownloads(downloads: readonly ModelDownload[]): void;
  download(id: string): Promise<void>;
  cancelDownload(id: string): Promise<void>;
  removeModel(id: string): Promise<void>;
}

let updateSequence = 0;

export const useSettingsStore = create<SettingsState>((set, get) => ({
  settings: null,
  models: [],
  downloads: {},
  devices: null,

  async load() {
    const [settings, models, devices] = await Promise.all([
      api.invoke('settings.get', {}),
      api.invoke('models.list', {}),
      api.invoke('system.devices', {}),
    ]);
    set({ settings, models, devices });
  },

  async loadModels() {
    const [models, devices] = await Promise.all([api.invoke('models.list', {}), api.invoke('system.devices', {})]);
    set({ models, devices });
  },

  async update(patch) {
    // Shown at once (a radio button must not spring back while the library saves it); undone if refused.
    const before = get().settings;
    if (before) set({ settings: { ...before, ...patch } });
    const sequence = ++updateSequence;
    const settings = await attempt('saving settings', () => api.invoke('settings.update', patch));
    // An older answer does not know of newer changes already shown: only the latest one is taken.
    if (sequence !== updateSequence) return settings !== undefined;
    if (!settings) {
      if (before) set({ settings: { ...get().settings!, ...Object.fromEntries(Object.keys(patch).map((key) => [key, before[key as keyof typeof before]])) } });
      return false;
    }
    set({ settings });
    if (patch.device !== undefined) await get().loadModels();
    return true;
  },

  async chooseFolder(reset) {
    const settings = await attempt('moving the models', () => api.invoke('models.chooseFolder', { reset }));
    if (!settings) return;
    set({ settings });
    await get().loadModels();
  },

  async connectPool(connection) {
    await api.invoke('offload.connect', connection);
    set({ settings: await api.invoke('settings.get', {}) });
  },

  mergeDownloads(downloads) {
    const finished = downloads.some((download) => download.state !== 'downloading' && get().downloads[download.id]?.state === 'downloading');
    set((state) => ({ downloads: { ...state.downloads, ...Object.fromEntries(downloads.map((download) => [download.id, download])) } }));
    if (finished) void get().loadModels();
  },

  async download(id) {
    await attempt('starting the download', () => api.invoke('models.download', { id }));
  },

  async cancelDownload(id) {
    await attempt('canceling the download', () => api.invoke('models.cancelDownload', { id }));
  },

  async removeModel(id) {
    await attempt('deleting the model', () => api.invoke('models.remove', { id }));
    set((state) => ({ downloads: Object.fromEntries(Object.entries(state.downloads).filter(([key]) => key !== id)) }));
    await get().loadModels();
  },
}));

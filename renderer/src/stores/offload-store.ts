import { create } from 'zustand';
import type { OffloadStatus } from '../../../contracts/api';
import type { PoolStatus } from '../../../contracts/cloud-api';
import { api } from '../platform/api';

type TestResult = { ok: true; pool: PoolStatus } | { ok: false; message: string };

interface OffloadState {
  status: OffloadStatus | null;
  /** The last "Test connection", while the form has not changed since. */
  test: TestResult | null;
  testing: boolean;
  load(): Promise<void>;
  changed(status: OffloadStatus): void;
  runTest(draft: { url?: string; token?: string; caPath?: string | null }): Promise<void>;
  clearTest(): void;
}

export const useOffloadStore = create<OffloadState>((set) => ({
  status: null,
  test: null,
  testing: false,

  async load() {
    set({ status: await api.invoke('offload.status', {}) });
  },

  changed(status) {
    set({ status });
  },

  async runTest(draft) {
    set({ testing: true, test: null });
    try {
      set({ test: { ok: true, pool: await api.invoke('offload.test', draft) } });
    } catch (error) {
      set({ test: { ok: false, message: error instanceof Error ? error.message : String(error) } });
    } finally {
      set({ testing: false });
    }
  },

  clearTest() {
    set({ test: null });
  },
}));

import { create } from 'zustand';
import type { JobView, Placement } from '../../../contracts/domain';
import { api } from '../platform/api';
import { useLibraryStore } from './library-store';
import { attempt } from './toast-store';

interface JobsState {
  /** Transcription jobs; exports are quick and show as their download instead. */
  jobs: Record<number, JobView>;
  load(): Promise<void>;
  merge(changed: readonly JobView[]): void;
  addFiles(files: readonly File[]): Promise<void>;
  cancel(id: number): Promise<void>;
  retry(id: number): Promise<void>;
  /** Run here, Run in the cloud, or decide for me. */
  place(id: number, placement: Placement): Promise<void>;
  /** Moves a waiting job one place earlier (-1) or later (+1) in the queue. */
  move(id: number, by: -1 | 1): Promise<void>;
}

export const useJobsStore = create<JobsState>((set, get) => ({
  jobs: {},

  async load() {
    get().merge(await api.invoke('jobs.list', {}));
  },

  merge(changed) {
    set((state) => {
      const jobs = { ...state.jobs };
      for (const job of changed) if (job.kind === 'process-media') jobs[job.id] = job;
      return { jobs };
    });
  },

  async addFiles(files) {
    if (files.length === 0) return;
    const added = await attempt('adding files', async () => api.invoke('media.add', { paths: await api.pathsForFiles(files) }));
    if (added?.[0] && useLibraryStore.getState().selectedId === null) useLibraryStore.getState().select(added[0].mediaId);
  },

  async place(id, placement) {
    await attempt('choosing where it runs', () => api.invoke('jobs.setPlacement', { jobId: id, placement }));
  },

  async cancel(id) {
    await attempt('canceling', () => api.invoke('jobs.cancel', { jobId: id }));
  },

  async retry(id) {
    await attempt('retrying', () => api.invoke('jobs.retry', { jobId: id }));
  },

  async move(id, by) {
    const waiting = orderedJobs(get().jobs).filter((job) => job.state === 'queued');
    const from = waiting.findIndex((job) => job.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= waiting.length) return;
    [waiting[from], waiting[to]] = [waiting[to]!, waiting[from]!];
    await attempt('reordering the queue', () => api.invoke('jobs.reorder', { jobIds: waiting.map((job) => job.id) }));
  },
}));

const ACTIVE_ORDER: Record<JobView['state'], number> = { running: 0, queued: 1, failed: 2, canceled: 2, done: 2 };

/** Running first, then the queue in the order it will run, then finished jobs, newest first. */
export function orderedJobs(jobs: Record<number, JobView>): JobView[] {
  return Object.values(jobs).sort(
    (a, b) =>
      ACTIVE_ORDER[a.state] - ACTIVE_ORDER[b.state] ||
      (a.position ?? 0) - (b.position ?? 0) ||
      (b.finishedAt ?? b.createdAt) - (a.finishedAt ?? a.createdAt) ||
      b.id - a.id,
  );
}

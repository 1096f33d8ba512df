import { create } from 'zustand';
import type { JobView } from '../../../contracts/domain';
import { api } from '../platform/api';

interface JobsState {
  jobs: Record<number, JobView>;
  selectedId: number | null;
  /** A problem the user should see that belongs to no job (e.g. an import that failed). */
  notice: string | null;
  load(): Promise<void>;
  merge(changed: readonly JobView[]): void;
  select(id: number | null): void;
  addFiles(files: readonly File[]): Promise<void>;
  cancel(id: number): Promise<void>;
  retry(id: number): Promise<void>;
  dismissNotice(): void;
}

export const useJobsStore = create<JobsState>((set, get) => ({
  jobs: {},
  selectedId: null,
  notice: null,

  async load() {
    get().merge(await api.invoke('jobs.list', {}));
  },

  merge(changed) {
    set((state) => {
      const jobs = { ...state.jobs };
      for (const job of changed) jobs[job.id] = job;
      return { jobs };
    });
  },

  select(id) {
    set({ selectedId: id });
  },

  async addFiles(files) {
    if (files.length === 0) return;
    try {
      const paths = await api.pathsForFiles(files);
      const added = await api.invoke('media.add', { paths });
      if (get().selectedId === null && added[0]) set({ selectedId: added[0].jobId });
    } catch (error) {
      set({ notice: error instanceof Error ? error.message : String(error) });
    }
  },

  async cancel(id) {
    await api.invoke('jobs.cancel', { jobId: id });
  },

  async retry(id) {
    await api.invoke('jobs.retry', { jobId: id });
  },

  dismissNotice() {
    set({ notice: null });
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

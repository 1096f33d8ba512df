import { create } from 'zustand';
import type { AddOutcome, JobOptions, JobView, Placement } from '../../../contracts/domain';
import { api } from '../platform/api';
import { useLibraryStore } from './library-store';
import { useSettingsStore } from './settings-store';
import { attempt, useToastStore } from './toast-store';

interface JobsState {
  /** Transcription jobs; exports are quick and show as their download instead. */
  jobs: Record<number, JobView>;
  /** Why the queue starts nothing now (the disk is full); null while it runs. */
  held: string | null;
  setHeld(held: string | null): void;
  load(): Promise<void>;
  merge(changed: readonly JobView[]): void;
  /** Files dropped or picked: the options sheet first, unless the user turned it off. */
  addFiles(files: readonly File[]): Promise<void>;
  /** Paths waiting for the options sheet's answer. */
  pendingAdd: string[] | null;
  /** Queues files with options for them alone (none: Settings as they are). */
  add(paths: readonly string[], options?: JobOptions): Promise<void>;
  /** Queues recordings again with new options (Transcribe again…). */
  retranscribe(mediaIds: readonly number[], options: JobOptions): Promise<void>;
  cancelAdd(): void;
  /** Takes the done and canceled jobs off the queue; their transcripts stay. */
  clearFinished(): Promise<void>;
  cancel(id: number): Promise<void>;
  retry(id: number): Promise<void>;
  /** Run here, Run in the cloud, or decide for me. */
  place(id: number, placement: Placement): Promise<void>;
  /** Moves a waiting job one place earlier (-1) or later (+1) in the queue. */
  move(id: number, by: -1 | 1): Promise<void>;
}

export const useJobsStore = create<JobsState>((set, get) => ({
  jobs: {},
  held: null,

  setHeld(held) {
    set({ held });
  },

  async load() {
    const [jobs, { held }] = await Promise.all([api.invoke('jobs.list', {}), api.invoke('queue.state', {})]);
    get().merge(jobs);
    set({ held });
  },

  merge(changed) {
    set((state) => {
      const jobs = { ...state.jobs };
      for (const job of changed) if (job.kind === 'process-media') jobs[job.id] = job;
      return { jobs };
    });
  },

  pendingAdd: null,

  async addFiles(files) {
    if (files.length === 0) return;
    const paths = await attempt('adding files', () => api.pathsForFiles(files));
    if (!paths?.length) return;
    const settings = useSettingsStore.getState().settings;
    if (settings?.askWhenAdding === false) await get().add(paths, settings.addOptions);
    else set({ pendingAdd: paths });
  },

  cancelAdd() {
    set({ pendingAdd: null });
  },

  async add(paths, options) {
    set({ pendingAdd: null });
    const added = await attempt('adding files', () => api.invoke('media.add', { paths: [...paths], ...(options ? { options } : {}) }));
    if (added) opened(added);
  },

  async clearFinished() {
    const cleared = await attempt('clearing finished jobs', () => api.invoke('jobs.clearFinished', {}));
    if (!cleared) return;
    set((state) => {
      const jobs = { ...state.jobs };
      for (const id of cleared) delete jobs[id];
      return { jobs };
    });
  },

  async retranscribe(mediaIds, options) {
    await attempt('transcribing again', () => api.invoke('media.retranscribe', { mediaIds: [...mediaIds], options }));
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

/** The first file added opens; one already in the library is opened, and it says so. */
function opened(added: readonly AddOutcome[]): void {
  const library = useLibraryStore.getState();
  const [first] = added;
  if (!first) return;
  const known = added.filter((outcome) => outcome.duplicate);
  if (known.length === added.length && added.length === 1) {
    library.select(first.mediaId);
    useToastStore.getState().push(`“${fileName(first.path)}” is already in your library, so it was opened. To run it with other choices, use Transcribe again….`);
  } else {
    if (library.selectedId === null) library.select(first.mediaId);
    if (known.length) useToastStore.getState().push(`${known.length} of these ${added.length} files were already in your library; they were not added again.`);
  }
}

function fileName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

import { create } from 'zustand';
import type { LibraryItem, LibrarySort, SearchHit } from '../../../contracts/domain';
import { api } from '../platform/api';
import { attempt } from './toast-store';
import { usePlayerStore } from './player-store';

interface LibraryState {
  items: LibraryItem[];
  loaded: boolean;
  sort: LibrarySort;
  descending: boolean;
  /** The recording shown in the transcript pane. */
  selectedId: number | null;
  /** Recordings ticked for a batch export. */
  checked: number[];
  query: string;
  hits: SearchHit[];
  load(): Promise<void>;
  setSort(sort: LibrarySort, descending: boolean): Promise<void>;
  select(mediaId: number | null): void;
  /** Opens a recording at a moment: a search hit's segment. */
  open(mediaId: number, atSec: number): void;
  toggleChecked(mediaId: number): void;
  clearChecked(): void;
  search(query: string): Promise<void>;
  remove(mediaId: number): Promise<void>;
}

/** Answers to older keystrokes may arrive after newer ones: only the newest query's are shown. */
let searchSequence = 0;

export const useLibraryStore = create<LibraryState>((set, get) => ({
  items: [],
  loaded: false,
  sort: 'date',
  descending: true,
  selectedId: null,
  checked: [],
  query: '',
  hits: [],

  async load() {
    const { sort, descending } = get();
    const items = await api.invoke('library.list', { sort, descending });
    set((state) => ({ items, loaded: true, checked: state.checked.filter((id) => items.some((item) => item.mediaId === id)) }));
  },

  async setSort(sort, descending) {
    set({ sort, descending });
    await attempt('sorting the library', () => get().load());
  },

  select(mediaId) {
    set({ selectedId: mediaId });
  },

  open(mediaId, atSec) {
    set({ selectedId: mediaId });
    usePlayerStore.getState().seek(mediaId, atSec);
  },

  toggleChecked(mediaId) {
    set((state) => ({ checked: state.checked.includes(mediaId) ? state.checked.filter((id) => id !== mediaId) : [...state.checked, mediaId] }));
  },

  clearChecked() {
    set({ checked: [] });
  },

  async search(query) {
    const sequence = ++searchSequence;
    set({ query });
    if (!query.trim()) {
      set({ hits: [] });
      return;
    }
    const hits = await attempt('searching', () => api.invoke('transcripts.search', { query }));
    if (sequence === searchSequence && hits) set({ hits });
  },

  async remove(mediaId) {
    await attempt('removing the recording', () => api.invoke('media.remove', { mediaId }));
    if (get().selectedId === mediaId) set({ selectedId: null });
  },
}));

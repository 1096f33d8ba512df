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
  /** The person a search is limited to (a speaker name), or null for anyone. */
  speaker: string | null;
  /** The people named in the library, offered as that limit. */
  speakerNames: string[];
  hits: SearchHit[];
  load(): Promise<void>;
  setSort(sort: LibrarySort, descending: boolean): Promise<void>;
  select(mediaId: number | null): void;
  /** Opens a recording at a moment: a search hit's segment. */
  open(mediaId: number, atSec: number): void;
  toggleChecked(mediaId: number): void;
  clearChecked(): void;
  search(query: string): Promise<void>;
  limitToSpeaker(speaker: string | null): Promise<void>;
  loadSpeakerNames(): Promise<void>;
  remove(mediaId: number): Promise<void>;
}

/** The open recording is remembered, so a reload or restart comes back to it. */
const SELECTED_KEY = 'verbatim.selectedMedia';

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
  speaker: null,
  speakerNames: [],
  hits: [],

  async load() {
    const { sort, descending } = get();
    const items = await api.invoke('library.list', { sort, descending });
    const remembered = get().loaded ? null : Number(localStorage.getItem(SELECTED_KEY));
    set((state) => ({
      items,
      loaded: true,
      checked: state.checked.filter((id) => items.some((item) => item.mediaId === id)),
      selectedId: state.selectedId ?? (items.some((item) => item.mediaId === remembered) ? remembered : null),
    }));
  },

  async setSort(sort, descending) {
    set({ sort, descending });
    await attempt('sorting the library', () => get().load());
  },

  select(mediaId) {
    set({ selectedId: mediaId });
    if (mediaId === null) localStorage.removeItem(SELECTED_KEY);
    else localStorage.setItem(SELECTED_KEY, String(mediaId));
  },

  open(mediaId, atSec) {
    get().select(mediaId);
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
    const { speaker } = get();
    if (!query.trim() && !speaker) {
      set({ hits: [] });
      return;
    }
    const hits = await attempt('searching', () => api.invoke('transcripts.search', { query, ...(speaker ? { speaker } : {}) }));
    if (sequence === searchSequence && hits) set({ hits });
  },

  async limitToSpeaker(speaker) {
    set({ speaker });
    await get().search(get().query);
  },

  async loadSpeakerNames() {
    const names = await api.invoke('speakers.names', {});
    set((state) => ({ speakerNames: names.map((entry) => entry.name), speaker: names.some((entry) => entry.name === state.speaker) ? state.speaker : null }));
  },

  async remove(mediaId) {
    await attempt('removing the recording', () => api.invoke('media.remove', { mediaId }));
    if (get().selectedId === mediaId) get().select(null);
  },
}));

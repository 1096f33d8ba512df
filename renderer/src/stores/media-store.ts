import { create } from 'zustand';
import type { MediaDetail } from '../../../contracts/domain';
import { api } from '../platform/api';

interface MediaState {
  details: Record<number, MediaDetail>;
  /** Loads (or reloads, after a job finished) one media's details. */
  fetch(mediaId: number): Promise<void>;
}

export const useMediaStore = create<MediaState>((set) => ({
  details: {},
  async fetch(mediaId) {
    const detail = await api.invoke('media.get', { mediaId });
    set((state) => ({ details: { ...state.details, [mediaId]: detail } }));
  },
}));

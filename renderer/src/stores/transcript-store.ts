import { create } from 'zustand';
import type { ExportFormat, Transcript } from '../../../contracts/domain';
import { api } from '../platform/api';

interface TranscriptState {
  /** null: the media has no transcript (yet). */
  transcripts: Record<number, Transcript | null>;
  fetch(mediaId: number): Promise<void>;
  /** Saves the transcript in a format: a download in a browser, a save dialog in the app. */
  exportAs(mediaId: number, format: ExportFormat): Promise<void>;
}

const MIME: Record<ExportFormat, string> = {
  txt: 'text/plain',
  srt: 'application/x-subrip',
  vtt: 'text/vtt',
  json: 'application/json',
};

export const useTranscriptStore = create<TranscriptState>((set) => ({
  transcripts: {},
  async fetch(mediaId) {
    const transcript = await api.invoke('transcripts.get', { mediaId });
    set((state) => ({ transcripts: { ...state.transcripts, [mediaId]: transcript } }));
  },
  async exportAs(mediaId, format) {
    const { fileName, content } = await api.invoke('transcripts.export', { mediaId, format });
    const url = URL.createObjectURL(new Blob([content], { type: `${MIME[format]};charset=utf-8` }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    // Revoked on the next turn: the click has started the download by then.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  },
}));

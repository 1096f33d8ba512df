import { create } from 'zustand';
import type { ExportFormat, Transcript } from '../../../contracts/domain';
import { api } from '../platform/api';

interface TranscriptState {
  /** null: the media has no transcript (yet). */
  transcripts: Record<number, Transcript | null>;
  fetch(mediaId: number): Promise<void>;
  /** Saves the transcript in a format: a download in a browser, a save dialog in the app. */
  exportAs(mediaId: number, format: ExportFormat): Promise<void>;
  renameSpeaker(mediaId: number, speaker: number, name: string): Promise<void>;
  mergeSpeakers(mediaId: number, from: number, into: number): Promise<void>;
}

export const useTranscriptStore = create<TranscriptState>((set) => {
  const keep = (mediaId: number, transcript: Transcript | null): void => set((state) => ({ transcripts: { ...state.transcripts, [mediaId]: transcript } }));
  return {
    transcripts: {},
    async fetch(mediaId) {
      keep(mediaId, await api.invoke('transcripts.get', { mediaId }));
    },
    async exportAs(mediaId, format) {
      const { fileName, content, encoding, mimeType } = await api.invoke('transcripts.export', { mediaId, format });
      const body = encoding === 'base64' ? Uint8Array.from(atob(content), (char) => char.charCodeAt(0)) : content;
      const url = URL.createObjectURL(new Blob([body], { type: encoding === 'utf8' ? `${mimeType};charset=utf-8` : mimeType }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      // Revoked on the next turn: the click has started the download by then.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
    async renameSpeaker(mediaId, speaker, name) {
      keep(mediaId, await api.invoke('speakers.rename', { mediaId, speaker, name }));
    },
    async mergeSpeakers(mediaId, from, into) {
      keep(mediaId, await api.invoke('speakers.merge', { mediaId, from, into }));
    },
  };
});

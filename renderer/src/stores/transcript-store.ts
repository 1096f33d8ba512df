import { create } from 'zustand';
import type { EditableTranscript, ExportFormat } from '../../../contracts/domain';
import { api } from '../platform/api';
import { reuseUnchanged } from '../reuse-segments';
import { attempt } from './toast-store';

interface TranscriptState {
  /** null: the media has no transcript (yet). */
  transcripts: Record<number, EditableTranscript | null>;
  fetch(mediaId: number): Promise<void>;
  /** Saves transcripts in a format, several as one ZIP: a download in a browser, a save dialog in the app. */
  exportAs(mediaIds: readonly number[], format: ExportFormat): Promise<void>;
  /** The whole transcript as text (the TXT export, with the export options) on the clipboard. */
  copyAll(mediaId: number): Promise<void>;
  editSegment(mediaId: number, segment: number, text: string): Promise<void>;
  undo(mediaId: number): Promise<void>;
  redo(mediaId: number): Promise<void>;
  setSpeaker(mediaId: number, segment: number, choice: { speaker: number } | { name: string }): Promise<void>;
  splitSegment(mediaId: number, segment: number, word: number): Promise<void>;
  mergeWithNext(mediaId: number, segment: number): Promise<void>;
  renameSpeaker(mediaId: number, speaker: number, name: string): Promise<void>;
  mergeSpeakers(mediaId: number, from: number, into: number): Promise<void>;
  /** The voice library, from a transcript: save a named speaker's voice, accept or decline a suggested one. */
  rememberVoice(mediaId: number, speaker: number): Promise<void>;
  confirmVoice(mediaId: number, speaker: number): Promise<void>;
  rejectVoice(mediaId: number, speaker: number): Promise<void>;
}

export const useTranscriptStore = create<TranscriptState>((set) => {
  const keep = (mediaId: number, transcript: EditableTranscript | null | undefined): void => {
    if (transcript === undefined) return;
    set((state) => {
      const previous = state.transcripts[mediaId]?.segments;
      return { transcripts: { ...state.transcripts, [mediaId]: transcript && { ...transcript, segments: reuseUnchanged(previous, transcript.segments) } } };
    });
  };
  return {
    transcripts: {},
    async fetch(mediaId) {
      keep(mediaId, await attempt('loading the transcript', () => api.invoke('transcripts.get', { mediaId })));
    },
    async exportAs(mediaIds, format) {
      const file = await attempt(`exporting ${format.toUpperCase()}`, () => api.invoke('transcripts.export', { mediaIds: [...mediaIds], format }));
      if (!file) return;
      const body = file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (char) => char.charCodeAt(0)) : file.content;
      const url = URL.createObjectURL(new Blob([body], { type: file.encoding === 'utf8' ? `${file.mimeType};charset=utf-8` : file.mimeType }));
      const link = document.createElement('a');
      link.href = url;
      link.download = file.fileName;
      link.click();
      // Revoked on the next turn: the click has started the download by then.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
    async copyAll(mediaId) {
      await attempt('copying the transcript', async () => {
        const file = await api.invoke('transcripts.export', { mediaIds: [mediaId], format: 'txt' });
        await navigator.clipboard.writeText(file.content).catch(() => {
          throw new Error('The transcript could not be copied: this window may not use the clipboard.');
        });
      });
    },
    async editSegment(mediaId, segment, text) {
      keep(mediaId, await attempt('saving your edit', () => api.invoke('transcripts.editSegment', { mediaId, segment, text })));
    },
    async undo(mediaId) {
      keep(mediaId, await attempt('undoing', () => api.invoke('transcripts.undo', { mediaId })));
    },
    async redo(mediaId) {
      keep(mediaId, await attempt('redoing', () => api.invoke('transcripts.redo', { mediaId })));
    },
    async setSpeaker(mediaId, segment, choice) {
      keep(mediaId, await attempt('changing the speaker', () => api.invoke('transcripts.setSpeaker', { mediaId, segment, ...choice })));
    },
    async splitSegment(mediaId, segment, word) {
      keep(mediaId, await attempt('splitting the segment', () => api.invoke('transcripts.splitSegment', { mediaId, segment, word })));
    },
    async mergeWithNext(mediaId, segment) {
      keep(mediaId, await attempt('merging the segments', () => api.invoke('transcripts.mergeWithNext', { mediaId, segment })));
    },
    async renameSpeaker(mediaId, speaker, name) {
      keep(mediaId, await attempt('renaming the speaker', () => api.invoke('speakers.rename', { mediaId, speaker, name })));
    },
    async mergeSpeakers(mediaId, from, into) {
      keep(mediaId, await attempt('merging speakers', () => api.invoke('speakers.merge', { mediaId, from, into })));
    },
    async rememberVoice(mediaId, speaker) {
      keep(mediaId, await attempt('saving the voice', () => api.invoke('voices.remember', { mediaId, speaker })));
    },
    async confirmVoice(mediaId, speaker) {
      keep(mediaId, await attempt('naming the speaker', () => api.invoke('voices.confirm', { mediaId, speaker })));
    },
    async rejectVoice(mediaId, speaker) {
      keep(mediaId, await attempt('declining the suggestion', () => api.invoke('voices.reject', { mediaId, speaker })));
    },
  };
});

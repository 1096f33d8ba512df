import { useEffect } from 'react';
import { api } from '../platform/api';
import { useOffloadStore } from '../stores/offload-store';
import { useJobsStore } from '../stores/jobs-store';
import { useLibraryStore } from '../stores/library-store';
import { useMediaStore } from '../stores/media-store';
import { useSettingsStore } from '../stores/settings-store';
import { useTranscriptStore } from '../stores/transcript-store';
import { attempt } from '../stores/toast-store';
import { AddSheet } from './AddSheet';
import { DropZone } from './DropZone';
import { FirstRun } from './FirstRun';
import { UpdateNotice } from './Updates';
import { Sidebar } from './Sidebar';
import { Toasts } from './Toasts';
import { Toolbar } from './Toolbar';
import { TranscriptPane } from './TranscriptPane';
import { InterruptedRecordings } from './InterruptedRecordings';
import { RecorderPanel } from './RecorderPanel';
import { useLiveStore } from '../live/live-store';

/** How long library changes are gathered before the list is reloaded: a running job changes it often. */
const LIBRARY_RELOAD_MS = 250;

export function App() {
  useEffect(() => {
    const jobs = useJobsStore.getState();
    const library = useLibraryStore.getState();
    const settings = useSettingsStore.getState();
    let reload: ReturnType<typeof setTimeout> | undefined;
    const stale = new Set<number>();
    const unsubscribe = [
      api.on('jobs.changed', ({ jobs: changed }) => jobs.merge(changed)),
      api.on('queue.changed', ({ held }) => jobs.setHeld(held)),
      api.on('models.changed', ({ downloads }) => settings.mergeDownloads(downloads)),
      api.on('offload.changed', ({ status }) => useOffloadStore.getState().changed(status)),
      api.on('live.changed', ({ session }) => useLiveStore.getState().changed(session)),
      api.on('live.caption', ({ sessionId, caption }) => useLiveStore.getState().caption(sessionId, caption)),
      // Opening a recording from the library leaves the recorder (the toolbar still shows it runs).
      useLibraryStore.subscribe((state, previous) => {
        if (state.selectedId !== previous.selectedId && state.selectedId !== null) useLiveStore.getState().show(false);
      }),
      api.on('library.changed', ({ mediaIds }) => {
        mediaIds.forEach((id) => stale.add(id));
        clearTimeout(reload);
        reload = setTimeout(() => {
          const ids = [...stale];
          stale.clear();
          void attempt('refreshing the library', () => useLibraryStore.getState().load());
          // Open transcripts and details that changed elsewhere (a job finishing) are fetched again.
          const { transcripts, fetch } = useTranscriptStore.getState();
          const { details, fetch: fetchDetail } = useMediaStore.getState();
          for (const id of ids) {
            if (id in transcripts) void fetch(id);
            if (id in details) void fetchDetail(id).catch(() => undefined);
          }
          const { query, speaker, search, loadSpeakerNames } = useLibraryStore.getState();
          if (query || speaker) void search(query);
          void loadSpeakerNames().catch(() => undefined);
        }, LIBRARY_RELOAD_MS);
      }),
    ];
    void attempt('loading the queue', () => jobs.load());
    void attempt('loading the library', () => library.load());
    void attempt('loading settings', () => settings.load());
    void attempt('looking for interrupted recordings', () => useLiveStore.getState().loadUnfinished());
    return () => {
      clearTimeout(reload);
      unsubscribe.forEach((off) => off());
    };
  }, []);

  const recorderOpen = useLiveStore((state) => state.open);
  const recording = useLiveStore((state) => state.phase === 'recording' || state.phase === 'paused');
  useEffect(() => {
    document.title = recording ? '● Recording — Verbatim' : 'Verbatim';
  }, [recording]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || !event.shiftKey || event.key.toLowerCase() !== 'r') return;
      event.preventDefault();
      const live = useLiveStore.getState();
      void (live.phase === 'idle' ? live.start() : live.stop());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const theme = useSettingsStore((state) => state.settings?.theme ?? 'system');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <DropZone>
      <div className="app">
        <Toolbar />
        <FirstRun />
        <UpdateNotice />
        <InterruptedRecordings />
        <main className="panes">
          <Sidebar />
          {recorderOpen ? <RecorderPanel /> : <TranscriptPane />}
        </main>
        <AddSheet />
        <Toasts />
      </div>
    </DropZone>
  );
}

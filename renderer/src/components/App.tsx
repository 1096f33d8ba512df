import { useEffect } from 'react';
import { api } from '../platform/api';
import { useJobsStore } from '../stores/jobs-store';
import { useLibraryStore } from '../stores/library-store';
import { useMediaStore } from '../stores/media-store';
import { useSettingsStore } from '../stores/settings-store';
import { useTranscriptStore } from '../stores/transcript-store';
import { attempt } from '../stores/toast-store';
import { DropZone } from './DropZone';
import { FirstRun } from './FirstRun';
import { Sidebar } from './Sidebar';
import { Toasts } from './Toasts';
import { Toolbar } from './Toolbar';
import { TranscriptPane } from './TranscriptPane';

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
      api.on('models.changed', ({ downloads }) => settings.mergeDownloads(downloads)),
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
          const { query, search } = useLibraryStore.getState();
          if (query) void search(query);
        }, LIBRARY_RELOAD_MS);
      }),
    ];
    void attempt('loading the queue', () => jobs.load());
    void attempt('loading the library', () => library.load());
    void attempt('loading settings', () => settings.load());
    return () => {
      clearTimeout(reload);
      unsubscribe.forEach((off) => off());
    };
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
        <main className="panes">
          <Sidebar />
          <TranscriptPane />
        </main>
        <Toasts />
      </div>
    </DropZone>
  );
}

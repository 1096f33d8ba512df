import { useEffect } from 'react';
import { api } from '../platform/api';
import { useJobsStore } from '../stores/jobs-store';
import { AddFilesButton } from './AddFilesButton';
import { DetailPane } from './DetailPane';
import { DropZone } from './DropZone';
import { Notice } from './Notice';
import { QueueList } from './QueueList';

export function App() {
  useEffect(() => {
    const { load, merge } = useJobsStore.getState();
    const unsubscribe = api.on('jobs.changed', ({ jobs }) => merge(jobs));
    void load();
    return unsubscribe;
  }, []);

  return (
    <DropZone>
      <div className="app">
        <header className="toolbar">
          <h1 className="brand">Verbatim</h1>
          <AddFilesButton />
        </header>
        <Notice />
        <main className="panes">
          <QueueList />
          <DetailPane />
        </main>
      </div>
    </DropZone>
  );
}

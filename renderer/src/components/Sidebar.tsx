import { useState } from 'react';
import { useJobsStore } from '../stores/jobs-store';
import { useLibraryStore } from '../stores/library-store';
import { LibraryPanel } from './LibraryPanel';
import { QueueList } from './QueueList';
import { SearchResults } from './SearchResults';

type Tab = 'library' | 'queue';

/** Library and Queue as tabs; while a search is typed (or limited to a person), its results take the panel. */
export function Sidebar() {
  const [tab, setTab] = useState<Tab>('library');
  const searching = useLibraryStore((state) => state.query.trim() !== '' || state.speaker !== null);
  const active = useJobsStore((state) => Object.values(state.jobs).filter((job) => job.state === 'queued' || job.state === 'running').length);
  if (searching) {
    return (
      <aside className="sidebar" aria-label="Search results">
        <SearchResults />
      </aside>
    );
  }
  const tabs: Array<[Tab, string]> = [
    ['library', 'Library'],
    ['queue', active ? `Queue (${active})` : 'Queue'],
  ];
  return (
    <aside className="sidebar">
      <div role="tablist" aria-label="Sidebar" className="tabs">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            className={`tab ${tab === id ? 'active' : ''}`}
            onClick={() => setTab(id)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') setTab(tab === 'library' ? 'queue' : 'library');
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'library' ? <LibraryPanel /> : <QueueList />}
      </div>
    </aside>
  );
}

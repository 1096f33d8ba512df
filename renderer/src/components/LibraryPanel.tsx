import { memo } from 'react';
import { EXPORT_FORMATS, LIBRARY_SORTS, type LibraryItem, type LibrarySort } from '../../../contracts/domain';
import { formatClock, formatDate } from '../format';
import { useLibraryStore } from '../stores/library-store';
import { useTranscriptStore } from '../stores/transcript-store';

const SORT_LABEL: Record<LibrarySort, string> = { date: 'Date added', name: 'Name', duration: 'Duration' };
const STATE_LABEL = { queued: 'Queued', running: 'Working', done: null, failed: 'Failed', canceled: 'Canceled' } as const;

/** Every recording, sortable, with ticks for exporting several at once. */
export function LibraryPanel() {
  const { items, loaded, sort, descending, checked, setSort, clearChecked } = useLibraryStore();
  const exportAs = useTranscriptStore((state) => state.exportAs);
  if (loaded && items.length === 0) {
    return (
      <div className="empty" data-testid="library-empty">
        <p className="empty-title">Your library is empty</p>
        <p>Drop audio or video files or folders anywhere in this window, or choose Add files.</p>
      </div>
    );
  }
  return (
    <section className="library" aria-label="Library">
      <div className="library-controls">
        <label>
          Sort by{' '}
          <select value={sort} onChange={(event) => void setSort(event.target.value as LibrarySort, descending)}>
            {LIBRARY_SORTS.map((value) => (
              <option key={value} value={value}>
                {SORT_LABEL[value]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button ghost"
          aria-label={descending ? 'Descending; switch to ascending' : 'Ascending; switch to descending'}
          onClick={() => void setSort(sort, !descending)}
        >
          {descending ? '↓' : '↑'}
        </button>
      </div>
      {checked.length > 0 && (
        <div className="batch-bar" role="group" aria-label="Export selected transcripts">
          <span>{checked.length} selected · export {checked.length > 1 ? 'as one ZIP of' : 'as'}</span>
          {EXPORT_FORMATS.map((format) => (
            <button key={format} type="button" className="button ghost small" onClick={() => void exportAs(checked, format)}>
              {format.toUpperCase()}
            </button>
          ))}
          <button type="button" className="button ghost small" onClick={clearChecked}>
            Clear
          </button>
        </div>
      )}
      <ul className="library-list">
        {items.map((item) => (
          <LibraryRow key={item.mediaId} item={item} />
        ))}
      </ul>
    </section>
  );
}

const LibraryRow = memo(function LibraryRow({ item }: { item: LibraryItem }) {
  const selected = useLibraryStore((state) => state.selectedId === item.mediaId);
  const checked = useLibraryStore((state) => state.checked.includes(item.mediaId));
  const { select, toggleChecked } = useLibraryStore.getState();
  const state = item.state ? STATE_LABEL[item.state] : null;
  return (
    <li className={`library-item ${selected ? 'selected' : ''}`} data-testid="library-item" data-media-id={item.mediaId}>
      <input type="checkbox" checked={checked} disabled={!item.hasTranscript} aria-label={`Select ${item.fileName} for export`} onChange={() => toggleChecked(item.mediaId)} />
      <button type="button" className="library-main" aria-current={selected ? 'true' : undefined} onClick={() => select(item.mediaId)}>
        <span className="library-name" title={item.path}>
          {item.fileName}
        </span>
        <span className="library-meta">
          {formatDate(item.addedAt)}
          {item.durationSec !== null && ` · ${formatClock(item.durationSec)}`}
          {item.speakers > 0 && ` · ${item.speakers} ${item.speakers === 1 ? 'speaker' : 'speakers'}`}
          {state && <span className={`badge ${item.state}`}>{state}</span>}
        </span>
        {item.preview && <span className="library-preview">{item.preview}</span>}
      </button>
    </li>
  );
});

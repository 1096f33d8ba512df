import { useState } from 'react';
import { EXPORT_FORMATS, LIBRARY_SORTS, type LibrarySort } from '../../../contracts/domain';
import { useLibraryStore } from '../stores/library-store';
import { useTranscriptStore } from '../stores/transcript-store';
import { AddFilesButton } from './AddFilesButton';
import { ChoiceSelect } from './ChoiceSelect';
import { LibraryList } from './LibraryList';
import { TranscribeAgainButton } from './TranscribeAgainButton';

const SORT_LABEL: Record<LibrarySort, string> = { date: 'Date added', name: 'Name', duration: 'Duration' };

/** Every recording, sortable, with ticks for exporting several at once. */
export function LibraryPanel() {
  const { items, loaded, sort, descending, checked, setSort, clearChecked } = useLibraryStore();
  const exportAs = useTranscriptStore((state) => state.exportAs);
  const [cloudOnly, setCloudOnly] = useState(false);
  const anyCloud = items.some((item) => item.ranOn === 'pool');
  const shown = cloudOnly ? items.filter((item) => item.ranOn === 'pool') : items;
  if (loaded && items.length === 0) {
    return (
      <div className="empty" data-testid="library-empty">
        <p className="empty-title">Your library is empty</p>
        <p>Drop audio or video files or folders anywhere in this window.</p>
        <p>
          <AddFilesButton filesOnly />
        </p>
      </div>
    );
  }
  return (
    <section className="library" aria-label="Library">
      <div className="library-controls">
        <label>
          Sort by{' '}
          <ChoiceSelect value={sort} choices={LIBRARY_SORTS} labels={SORT_LABEL} onChange={(choice) => void setSort(choice, descending)} />
        </label>
        <button
          type="button"
          className="button ghost"
          aria-label={descending ? 'Descending; switch to ascending' : 'Ascending; switch to descending'}
          onClick={() => void setSort(sort, !descending)}
        >
          {descending ? '↓' : '↑'}
        </button>
        {(anyCloud || cloudOnly) && (
          <label className="library-filter">
            <input type="checkbox" checked={cloudOnly} onChange={(event) => setCloudOnly(event.target.checked)} /> Only those sent to the cloud
          </label>
        )}
      </div>
      {checked.length > 0 && (
        <div className="batch-bar" role="group" aria-label="Export selected transcripts">
          <span>{checked.length} selected · export {checked.length > 1 ? 'as one ZIP of' : 'as'}</span>
          {EXPORT_FORMATS.map((format) => (
            <button key={format} type="button" className="button ghost small" onClick={() => void exportAs(checked, format)}>
              {format.toUpperCase()}
            </button>
          ))}
          <TranscribeAgainButton mediaIds={checked} subject={`${checked.length} ${checked.length === 1 ? 'recording' : 'recordings'}`} edited />
          <button type="button" className="button ghost small" onClick={clearChecked}>
            Clear
          </button>
        </div>
      )}
      <LibraryList items={shown} />
    </section>
  );
}

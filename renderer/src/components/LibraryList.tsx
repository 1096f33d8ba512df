import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { LibraryItem } from '../../../contracts/domain';
import { formatClock, formatDate } from '../format';
import { useLibraryStore } from '../stores/library-store';
import { CloudBadge } from './CloudBadge';

const STATE_LABEL = { queued: 'Queued', running: 'Working', done: null, failed: 'Failed', canceled: 'Canceled' } as const;
const LIVE_LABEL = { recording: 'Recording', paused: 'Paused', interrupted: 'Interrupted', stopped: null } as const;
/** A row with a preview line; rows are measured once drawn, so this only has to be close. */
const ESTIMATED_ROW_PX = 68;

/**
 * Only the rows in view (and a few either side) are in the page: re-sorting or refreshing a library
 * of ten thousand recordings lays out a screenful, not ten thousand rows.
 */
export function LibraryList({ items }: { items: LibraryItem[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  // The app is not built with the React Compiler; rows get plain numbers and the instance's stable measureElement.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey: (index) => items[index]!.mediaId,
    overscan: 8,
  });
  useRevealSelected(items, virtualizer);
  return (
    <div ref={scroller} className="library-scroller">
      <ul className="library-list" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => (
          <LibraryRow key={row.key} item={items[row.index]!} index={row.index} count={items.length} top={row.start} measure={virtualizer.measureElement} />
        ))}
      </ul>
    </div>
  );
}

/** A recording opened from elsewhere (a search hit, a restart) is scrolled into view once. */
function useRevealSelected(items: LibraryItem[], virtualizer: Virtualizer<HTMLDivElement, Element>): void {
  const selectedId = useLibraryStore((state) => state.selectedId);
  const revealed = useRef<number | null>(null);
  useEffect(() => {
    if (selectedId === null || revealed.current === selectedId) return;
    const index = items.findIndex((item) => item.mediaId === selectedId);
    if (index < 0) return;
    revealed.current = selectedId;
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [items, selectedId, virtualizer]);
}

interface RowProps {
  item: LibraryItem;
  index: number;
  count: number;
  top: number;
  measure: (element: Element | null) => void;
}

const LibraryRow = memo(function LibraryRow({ item, index, count, top, measure }: RowProps) {
  const selected = useLibraryStore((state) => state.selectedId === item.mediaId);
  const checked = useLibraryStore((state) => state.checked.includes(item.mediaId));
  const { select, toggleChecked } = useLibraryStore.getState();
  const state = item.live ? LIVE_LABEL[item.live] : item.state ? STATE_LABEL[item.state] : null;
  return (
    <li
      ref={measure}
      data-index={index}
      className={`library-item ${selected ? 'selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      aria-setsize={count}
      aria-posinset={index + 1}
      data-testid="library-item"
      data-media-id={item.mediaId}
    >
      <input type="checkbox" checked={checked} disabled={!item.hasTranscript} aria-label={`Select ${item.fileName} for export`} onChange={() => toggleChecked(item.mediaId)} />
      <button type="button" className="library-main" aria-current={selected ? 'true' : undefined} onClick={() => select(item.mediaId)}>
        <span className="library-name" title={item.path}>
          {item.fileName}
        </span>
        <span className="library-meta">
          {formatDate(item.addedAt)}
          {item.durationSec !== null && ` · ${formatClock(item.durationSec)}`}
          {item.speakers > 0 && ` · ${item.speakers} ${item.speakers === 1 ? 'speaker' : 'speakers'}`}
          {state && <span className={`badge ${item.live ?? item.state}`}>{state}</span>}
          {item.ranOn === 'pool' && <CloudBadge />}
        </span>
        {item.preview && <span className="library-preview">{item.preview}</span>}
      </button>
    </li>
  );
});

import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { LibraryItem } from '../../../contracts/domain';
import { formatClock, formatDate } from '../format';
import { api } from '../platform/api';
import { useLibraryStore } from '../stores/library-store';
import { CloudBadge } from './CloudBadge';

const STATE_LABEL = { queued: 'Queued', running: 'Working', done: null, failed: 'Failed', canceled: 'Canceled' } as const;
const LIVE_LABEL = { recording: 'Recording', paused: 'Paused', interrupted: 'Interrupted', stopped: null } as const;
/** A row with a preview line; rows are measured once drawn, so this only has to be close. */
const ESTIMATED_ROW_PX = 68;

/**
 * Only the rows in view (and a few either side) are in the page: re-sorting or refreshing a library
 * of ten thousand recordings lays out a screenful, not ten thousand rows. The list is one tab stop
 * (roving tabindex): ↑/↓, Home and End move between recordings and open them, Space ticks one for
 * export, Enter goes into its transcript (Esc there comes back).
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
  const selectedId = useLibraryStore((state) => state.selectedId);
  const [focused, setFocused] = useState<number | null>(null);
  const selectedIndex = items.findIndex((item) => item.mediaId === selectedId);
  const active = Math.min(items.length - 1, Math.max(0, focused ?? (selectedIndex >= 0 ? selectedIndex : 0)));

  const onKey = (event: KeyboardEvent<HTMLUListElement>): void => {
    if (!(event.target instanceof HTMLElement) || !event.target.classList.contains('library-main')) return;
    const moves: Record<string, number | undefined> = { ArrowDown: active + 1, ArrowUp: active - 1, Home: 0, End: items.length - 1 };
    const to = moves[event.key];
    const item = items[active];
    if (to !== undefined) {
      event.preventDefault();
      const next = Math.min(items.length - 1, Math.max(0, to));
      setFocused(next);
      useLibraryStore.getState().select(items[next]!.mediaId);
      virtualizer.scrollToIndex(next, { align: 'auto' });
      // The row may only be drawn once scrolled to.
      requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"] .library-main`)?.focus());
    } else if (event.key === ' ' && item) {
      event.preventDefault();
      if (item.hasTranscript) useLibraryStore.getState().toggleChecked(item.mediaId);
    } else if (event.key === 'Enter' && item) {
      event.preventDefault();
      useLibraryStore.getState().select(item.mediaId);
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid=segment]')?.focus({ preventScroll: false }));
    }
  };

  return (
    <div ref={scroller} className="library-scroller">
      <ul className="library-list" style={{ height: virtualizer.getTotalSize() }} aria-label="Recordings" onKeyDown={onKey}>
        {virtualizer.getVirtualItems().map((row) => (
          <LibraryRow
            key={row.key}
            item={items[row.index]!}
            index={row.index}
            count={items.length}
            top={row.start}
            active={row.index === active}
            onFocusRow={setFocused}
            measure={virtualizer.measureElement}
          />
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
  /** The list's one tab stop. */
  active: boolean;
  onFocusRow(index: number): void;
  measure: (element: Element | null) => void;
}

const LibraryRow = memo(function LibraryRow({ item, index, count, top, active, onFocusRow, measure }: RowProps) {
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
      <input
        type="checkbox"
        tabIndex={-1}
        checked={checked}
        disabled={!item.hasTranscript}
        aria-label={`Select ${item.fileName} for export`}
        onChange={() => toggleChecked(item.mediaId)}
      />
      <button
        type="button"
        className="library-main"
        tabIndex={active ? 0 : -1}
        aria-current={selected ? 'true' : undefined}
        aria-keyshortcuts="ArrowUp ArrowDown Space Enter"
        onFocus={() => onFocusRow(index)}
        onClick={() => select(item.mediaId)}
      >
        <span className="library-name" title={api.nativePaths ? item.path : item.fileName}>
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

import { Ellipsis } from 'lucide-react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { Segment, Speaker } from '../../../contracts/domain';
import { formatClock } from '../format';
import { useTranscriptStore } from '../stores/transcript-store';
import { useToastStore } from '../stores/toast-store';
import { speakerColour } from './SpeakerList';
import { useDismissOutside } from './use-dismiss';

/** What a row's actions can open: its menu, or straight to choosing who said it. */
export type ActionsView = 'menu' | 'speaker' | null;

interface SegmentActionsProps {
  mediaId: number;
  index: number;
  segment: Segment;
  speakers: readonly Speaker[];
  isLast: boolean;
  view: ActionsView;
  onView(view: ActionsView): void;
  /** Split mode: the row's words become the places to cut. */
  onSplit(): void;
}

/**
 * A segment's "More" menu and its speaker chooser: give the segment to someone (or to a new
 * speaker, by typing a name), split it, merge it with the next one, copy its text. Escape or a
 * click elsewhere closes it; focus goes back to the button that opened it.
 */
export function SegmentActions({ mediaId, index, segment, speakers, isLast, view, onView, onSplit }: SegmentActionsProps) {
  const { setSpeaker, mergeWithNext } = useTranscriptStore.getState();
  const box = useRef<HTMLDivElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [place, setPlace] = useState<CSSProperties>({});
  const at = formatClock(segment.start);
  const close = (): void => {
    onView(null);
    requestAnimationFrame(() => opener.current?.focus());
  };

  // Above the transcript, not inside the row: rows contain their own painting (content-visibility),
  // which would clip a menu drawn within them. Opens upwards where there is no room below.
  useLayoutEffect(() => {
    if (!view || !opener.current) return;
    const rect = opener.current.getBoundingClientRect();
    const below = window.innerHeight - rect.bottom > 260;
    setPlace({ position: 'fixed', right: window.innerWidth - rect.right, ...(below ? { top: rect.bottom + 4 } : { bottom: window.innerHeight - rect.top + 4 }) });
  }, [view]);

  const dismiss = useCallback(() => onView(null), [onView]);
  useDismissOutside(view !== null, [box, layer], dismiss);
  useEffect(() => {
    // The first item gets focus, so the keyboard carries on inside the menu.
    if (view) layer.current?.querySelector<HTMLElement>('[role=menuitem]:not(:disabled), [role=menuitemradio], input')?.focus();
  }, [view]);

  const run = (action: () => Promise<void>): void => {
    close();
    void action();
  };

  return (
    <div
      className="segment-actions"
      ref={box}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && view) {
          event.preventDefault();
          event.stopPropagation();
          close();
        } else if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && view) {
          event.preventDefault();
          event.stopPropagation();
          const items = [...(layer.current?.querySelectorAll<HTMLElement>('[role=menuitem]:not(:disabled), [role=menuitemradio], input') ?? [])];
          const current = items.indexOf(document.activeElement as HTMLElement);
          items[(current + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
        }
      }}
    >
      <button
        ref={opener}
        type="button"
        className="button ghost small segment-more"
        tabIndex={-1}
        aria-haspopup="menu"
        aria-expanded={view !== null}
        aria-label={`More actions for the segment at ${at}`}
        onClick={() => onView(view ? null : 'menu')}
      >
        <Ellipsis size={16} aria-hidden />
      </button>
      {view &&
        createPortal(
          <div ref={layer} style={place} className="popover-layer">
            {view === 'menu' ? (
        <div className="popover" role="menu" aria-label={`Segment at ${at}`}>
          {speakers.length > 0 && <MenuItem onClick={() => onView('speaker')}>Change speaker…</MenuItem>}
          <MenuItem disabled={segment.words.length < 2} onClick={() => (close(), onSplit())}>
            Split at a word…
          </MenuItem>
          <MenuItem disabled={isLast} onClick={() => run(() => mergeWithNext(mediaId, index))}>
            Merge with next
          </MenuItem>
          <MenuItem
            onClick={() =>
              run(() =>
                navigator.clipboard.writeText(segment.text).catch(() => useToastStore.getState().push('The text could not be copied: this window may not use the clipboard.')),
              )
            }
          >
            Copy text
          </MenuItem>
        </div>
            ) : (
              <SpeakerChooser at={at} current={segment.speaker} speakers={speakers} onChoose={(choice) => run(() => setSpeaker(mediaId, index, choice))} />
            )}
          </div>,
          document.body,
        )}
    </div>
  );
}

function MenuItem({ children, disabled = false, onClick }: { children: ReactNode; disabled?: boolean; onClick(): void }) {
  return (
    <button type="button" role="menuitem" className="menu-item" disabled={disabled} onClick={onClick}>
      {children}
    </button>
  );
}

function SpeakerChooser({ at, current, speakers, onChoose }: { at: string; current: number | null; speakers: readonly Speaker[]; onChoose(choice: { speaker: number } | { name: string }): void }) {
  const [name, setName] = useState('');
  return (
    <div className="popover" role="menu" aria-label={`Who speaks at ${at}`}>
      {speakers.map((speaker) => (
        <button key={speaker.id} type="button" role="menuitemradio" aria-checked={speaker.id === current} className="menu-item" onClick={() => onChoose({ speaker: speaker.id })}>
          <span className="speaker-dot" style={{ background: speakerColour(speaker.id) }} aria-hidden />
          {speaker.name}
        </button>
      ))}
      <input
        className="menu-input"
        aria-label="New speaker’s name"
        placeholder="New speaker…"
        maxLength={100}
        value={name}
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && name.trim()) {
            event.preventDefault();
            onChoose({ name: name.trim() });
          }
        }}
      />
    </div>
  );
}

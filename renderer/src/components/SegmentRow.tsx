import { Pencil } from 'lucide-react';
import { memo, useRef, useState, type KeyboardEvent } from 'react';
import type { Segment, Speaker } from '../../../contracts/domain';
import { formatClock } from '../format';
import { usePlayerStore } from '../stores/player-store';
import { useTranscriptStore } from '../stores/transcript-store';
import { SegmentActions, type ActionsView } from './SegmentActions';
import { speakerColour } from './SpeakerList';

/** Words the model was less sure of than this are marked for the reader to check. */
export const LOW_CONFIDENCE = 0.5;

/** A search query's words as the transcript marks them: any word starting with one of them. */
export function searchTerms(query: string): readonly string[] {
  return (query.toLocaleLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((term) => term.length > 0);
}

function matches(word: string, terms: readonly string[]): boolean {
  if (terms.length === 0) return false;
  const bare = word.toLocaleLowerCase().replace(/^[^\p{L}\p{N}]+/u, '');
  return terms.some((term) => bare.startsWith(term));
}

interface SegmentRowProps {
  mediaId: number;
  index: number;
  segment: Segment;
  /** Shown where the speaker changes. */
  speakerName: string | null;
  speakers: readonly Speaker[];
  isLast: boolean;
  /** The playing word's index in this segment (-1: between words); null when this segment is not playing. */
  activeWord: number | null;
  /** Search terms to mark (the same array for every row until the query changes). */
  searched: readonly string[];
  editing: boolean;
  /** Both the same function for every row, so a row re-renders only when its own props change. */
  onEditing(index: number, on: boolean): void;
  onSave(index: number, text: string): void;
}

/**
 * One segment: a click on a word seeks to it; Enter (or a double click) edits the text, Enter saves,
 * Escape cancels. The speaker's name, or the row's menu (right click, Shift+F10), changes who said
 * it, splits it at a word or merges it with the next. The row is one tab stop, so the keyboard
 * walks segments, not every word.
 */
export const SegmentRow = memo(function SegmentRow({ mediaId, index, segment, speakerName, speakers, isLast, activeWord, searched, editing, onEditing, onSave }: SegmentRowProps) {
  const row = useRef<HTMLLIElement>(null);
  const [actions, setActions] = useState<ActionsView>(null);
  const [splitting, setSplitting] = useState(false);
  const splitAt = (word: number): void => {
    setSplitting(false);
    void useTranscriptStore.getState().splitSegment(mediaId, index, word);
    row.current?.focus();
  };
  const seek = (sec: number): void => usePlayerStore.getState().seek(mediaId, sec);
  const finish = (text: string | null): void => {
    if (text !== null && text.trim() !== segment.text.trim()) onSave(index, text);
    onEditing(index, false);
    requestAnimationFrame(() => row.current?.focus());
  };
  const onKey = (event: KeyboardEvent<HTMLLIElement>): void => {
    if (splitting && event.key === 'Escape') {
      event.preventDefault();
      setSplitting(false);
      return;
    }
    if (editing || event.target !== row.current) return;
    if (event.key === 'Enter' || event.key === 'e') {
      event.preventDefault();
      onEditing(index, true);
    } else if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
      event.preventDefault();
      setActions('menu');
    }
  };
  return (
    <li
      ref={row}
      className={`segment${activeWord !== null ? ' playing' : ''}${splitting ? ' splitting' : ''}`}
      data-testid="segment"
      tabIndex={0}
      aria-label={`${formatClock(segment.start)}${speakerName ? `, ${speakerName}` : ''}: ${segment.text}`}
      onKeyDown={onKey}
      onContextMenu={(event) => {
        if (editing) return;
        event.preventDefault();
        setActions('menu');
      }}
      onFocus={(event) => {
        if (event.target === row.current && !editing) seek(segment.start);
      }}
    >
      <button type="button" className="segment-time" tabIndex={-1} onClick={() => seek(segment.start)} aria-hidden>
        {formatClock(segment.start)}
      </button>
      {speakerName && segment.speaker !== null && (
        <button
          type="button"
          tabIndex={-1}
          className="segment-speaker"
          data-testid="segment-speaker"
          style={{ color: speakerColour(segment.speaker) }}
          title="Change who says this"
          onClick={() => setActions('speaker')}
        >
          {speakerName}
        </button>
      )}
      {splitting && (
        <p className="segment-hint" role="status">
          Click the word the second part starts with. Esc cancels.
        </p>
      )}
      {editing ? (
        <textarea
          className="segment-editor"
          aria-label={`Edit the text at ${formatClock(segment.start)}`}
          defaultValue={segment.text}
          autoFocus
          rows={Math.max(2, Math.ceil(segment.text.length / 80))}
          onBlur={(event) => finish(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              finish(event.currentTarget.value);
            } else if (event.key === 'Escape') {
              event.preventDefault();
              finish(null);
            }
          }}
        />
      ) : (
        <p className="segment-text" onDoubleClick={() => onEditing(index, true)}>
          {segment.words.length
            ? segment.words.map((word, wordIndex) => (
                <span key={wordIndex}>
                  {wordIndex > 0 && ' '}
                  <span
                    className={`word${word.probability < LOW_CONFIDENCE ? ' low-confidence' : ''}${activeWord === wordIndex ? ' current' : ''}${matches(word.text, searched) ? ' search-match' : ''}`}
                    data-testid="word"
                    data-start={word.start}
                    title={`${formatClock(word.start, true)} · ${Math.round(word.probability * 100)} % sure`}
                    role={splitting && wordIndex > 0 ? 'button' : undefined}
                    aria-label={splitting && wordIndex > 0 ? `Split before “${word.text}”` : undefined}
                    onClick={() => (splitting ? wordIndex > 0 && splitAt(wordIndex) : seek(word.start))}
                  >
                    {word.text}
                  </span>
                </span>
              ))
            : segment.text}
        </p>
      )}
      {!editing && (
        <div className="segment-tools">
          <button type="button" className="button ghost small segment-edit" tabIndex={-1} onClick={() => onEditing(index, true)} aria-label={`Edit the text at ${formatClock(segment.start)}`}>
            <Pencil size={13} aria-hidden /> Edit
          </button>
          <SegmentActions mediaId={mediaId} index={index} segment={segment} speakers={speakers} isLast={isLast} view={actions} onView={setActions} onSplit={() => setSplitting(true)} />
        </div>
      )}
    </li>
  );
});

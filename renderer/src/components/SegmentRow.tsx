import { memo, useRef, type KeyboardEvent } from 'react';
import type { Segment } from '../../../contracts/domain';
import { formatClock } from '../format';
import { usePlayerStore } from '../stores/player-store';
import { speakerColour } from './SpeakerList';

/** Words the model was less sure of than this are marked for the reader to check. */
export const LOW_CONFIDENCE = 0.5;

interface SegmentRowProps {
  mediaId: number;
  index: number;
  segment: Segment;
  /** Shown where the speaker changes. */
  speakerName: string | null;
  /** The playing word's index in this segment (-1: between words); null when this segment is not playing. */
  activeWord: number | null;
  editing: boolean;
  /** Both the same function for every row, so a row re-renders only when its own props change. */
  onEditing(index: number, on: boolean): void;
  onSave(index: number, text: string): void;
}

/**
 * One segment: a click on a word seeks to it; Enter (or a double click) edits the text, Enter saves,
 * Escape cancels. The row is one tab stop, so the keyboard walks segments, not every word.
 */
export const SegmentRow = memo(function SegmentRow({ mediaId, index, segment, speakerName, activeWord, editing, onEditing, onSave }: SegmentRowProps) {
  const row = useRef<HTMLLIElement>(null);
  const seek = (sec: number): void => usePlayerStore.getState().seek(mediaId, sec);
  const finish = (text: string | null): void => {
    if (text !== null && text.trim() !== segment.text.trim()) onSave(index, text);
    onEditing(index, false);
    requestAnimationFrame(() => row.current?.focus());
  };
  const onKey = (event: KeyboardEvent<HTMLLIElement>): void => {
    if (editing || event.target !== row.current) return;
    if (event.key === 'Enter' || event.key === 'e') {
      event.preventDefault();
      onEditing(index, true);
    }
  };
  return (
    <li
      ref={row}
      className={`segment ${activeWord !== null ? 'playing' : ''}`}
      data-testid="segment"
      tabIndex={0}
      aria-label={`${formatClock(segment.start)}${speakerName ? `, ${speakerName}` : ''}: ${segment.text}`}
      onKeyDown={onKey}
      onFocus={(event) => {
        if (event.target === row.current && !editing) seek(segment.start);
      }}
    >
      <button type="button" className="segment-time" tabIndex={-1} onClick={() => seek(segment.start)} aria-hidden>
        {formatClock(segment.start)}
      </button>
      {speakerName && segment.speaker !== null && (
        <span className="segment-speaker" data-testid="segment-speaker" style={{ color: speakerColour(segment.speaker) }}>
          {speakerName}
        </span>
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
                    className={`word${word.probability < LOW_CONFIDENCE ? ' low-confidence' : ''}${activeWord === wordIndex ? ' current' : ''}`}
                    data-testid="word"
                    data-start={word.start}
                    title={`${formatClock(word.start, true)} · ${Math.round(word.probability * 100)} % sure`}
                    onClick={() => seek(word.start)}
                  >
                    {word.text}
                  </span>
                </span>
              ))
            : segment.text}
        </p>
      )}
      {!editing && (
        <button type="button" className="button ghost small segment-edit" tabIndex={-1} onClick={() => onEditing(index, true)} aria-label={`Edit the text at ${formatClock(segment.start)}`}>
          Edit
        </button>
      )}
    </li>
  );
});

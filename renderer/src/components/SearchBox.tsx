import { useEffect, useRef } from 'react';
import { useLibraryStore } from '../stores/library-store';

/**
 * Searches every transcript as you type; "/" or Ctrl/Cmd+F jumps here from anywhere. Beside it, once
 * speakers have been named, a choice of whose words to search (with no words typed: all they said).
 */
export function SearchBox() {
  const { query, search, speaker, speakerNames, limitToSpeaker, loadSpeakerNames } = useLibraryStore();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void loadSpeakerNames().catch(() => undefined);
  }, [loadSpeakerNames]);
  useEffect(() => {
    const focus = (event: KeyboardEvent): void => {
      const typing = event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable=true]');
      if ((event.key === '/' && !typing) || (event.key === 'f' && (event.ctrlKey || event.metaKey))) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', focus);
    return () => window.removeEventListener('keydown', focus);
  }, []);
  return (
    <div className="search" role="search">
      <input
        ref={input}
        type="search"
        className="search-input"
        placeholder="Search all transcripts  ( / )"
        aria-label="Search all transcripts"
        value={query}
        onChange={(event) => void search(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') void search('');
        }}
      />
      {speakerNames.length > 0 && (
        <select
          className="search-speaker"
          aria-label="Whose words to search"
          value={speaker ?? ''}
          onFocus={() => void loadSpeakerNames().catch(() => undefined)}
          onChange={(event) => void limitToSpeaker(event.target.value || null)}
        >
          <option value="">Anyone</option>
          {speakerNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

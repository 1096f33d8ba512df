import { useEffect, useRef } from 'react';
import { useLibraryStore } from '../stores/library-store';

/** Searches every transcript as you type; "/" or Ctrl/Cmd+F jumps here from anywhere. */
export function SearchBox() {
  const query = useLibraryStore((state) => state.query);
  const search = useLibraryStore((state) => state.search);
  const input = useRef<HTMLInputElement>(null);
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
    </div>
  );
}

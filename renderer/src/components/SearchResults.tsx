import { formatClock } from '../format';
import { useLibraryStore } from '../stores/library-store';

/** Matching segments across the library; a click opens the recording at that moment. */
export function SearchResults() {
  const { hits, query, open } = useLibraryStore();
  return (
    <section className="search-results" aria-label={`Results for ${query}`}>
      <p className="muted search-count" aria-live="polite">
        {hits.length === 0 ? `Nothing found for “${query.trim()}”.` : `${hits.length}${hits.length >= 50 ? '+' : ''} ${hits.length === 1 ? 'match' : 'matches'}`}
      </p>
      <ul className="hit-list">
        {hits.map((hit) => (
          <li key={`${hit.mediaId}-${hit.segment}`}>
            <button type="button" className="hit" data-testid="search-hit" onClick={() => open(hit.mediaId, hit.start)}>
              <span className="hit-source">
                {hit.fileName} · {formatClock(hit.start)}
              </span>
              <span className="hit-text">
                {hit.parts.map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

import type { SearchHit } from '../../../contracts/domain';
import { formatClock } from '../format';
import { useLibraryStore } from '../stores/library-store';

/** Hits grouped by recording (the recording with the newest hit first), in time order within one. */
export function groupHits(hits: readonly SearchHit[]): Array<{ mediaId: number; fileName: string; hits: SearchHit[] }> {
  const groups = new Map<number, { mediaId: number; fileName: string; hits: SearchHit[] }>();
  for (const hit of hits) {
    const group = groups.get(hit.mediaId) ?? { mediaId: hit.mediaId, fileName: hit.fileName, hits: [] };
    group.hits.push(hit);
    groups.set(hit.mediaId, group);
  }
  return [...groups.values()].map((group) => ({ ...group, hits: group.hits.sort((a, b) => a.start - b.start) }));
}

/** Matching segments across the library, by recording; a click opens the recording at that moment. */
export function SearchResults() {
  const { hits, query, speaker, open } = useLibraryStore();
  const groups = groupHits(hits);
  const asked = [query.trim() && `“${query.trim()}”`, speaker && `said by ${speaker}`].filter(Boolean).join(' ');
  return (
    <section className="search-results" aria-label={`Results for ${asked}`}>
      <p className="muted search-count" aria-live="polite">
        {hits.length === 0
          ? `Nothing found ${query.trim() ? 'for ' : ''}${asked}.`
          : `${hits.length}${hits.length >= 50 ? '+' : ''} ${hits.length === 1 ? 'match' : 'matches'} in ${groups.length} ${groups.length === 1 ? 'recording' : 'recordings'}`}
      </p>
      {groups.map((group) => (
        <section key={group.mediaId} className="hit-group" aria-label={group.fileName} data-testid="search-group">
          <h3 className="hit-group-title">
            {group.fileName} <span className="muted">· {group.hits.length}</span>
          </h3>
          <ul className="hit-list">
            {group.hits.map((hit) => (
              <li key={hit.segment}>
                <button type="button" className="hit" data-testid="search-hit" onClick={() => open(hit.mediaId, hit.start)}>
                  <span className="hit-source">{formatClock(hit.start)}</span>
                  <span className="hit-text">
                    {hit.speaker && <span className="hit-speaker">{hit.speakerMatch ? <mark>{hit.speaker}</mark> : hit.speaker}: </span>}
                    {hit.parts.map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

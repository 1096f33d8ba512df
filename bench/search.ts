// Search benchmark: `npm run bench:search [-- --transcripts 10000 --segments 60]`.
// Builds a library of N transcripts (made-up words with a natural, Zipf-like frequency) in a real
// Verbatim database, then times the queries a user types, letter by letter, three ways:
//   verbatim   TranscriptStore.search: FTS5 with prefix indexes, newest first, stops at 50 hits
//   ranked     the obvious FTS5 query: ORDER BY rank (bm25), which scores every match first
//   like       no index at all: LIKE '%text%' over every segment
import { rmSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { TranscriptStore } from '../core/library/transcript-store';
import { scratchDir } from '../tests/helpers/media';
import { buildLibrary } from '../tests/helpers/synthetic-library';

const { values } = parseArgs({ options: { transcripts: { type: 'string', default: '10000' }, segments: { type: 'string', default: '60' } } });
const transcriptCount = Number(values.transcripts);
const segmentsEach = Number(values.segments);
const WORDS_PER_SEGMENT = 14;
const VOCABULARY = 20_000;
const LIMIT = 50;

/** Deterministic pseudo-random numbers, so every run searches the same library. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(42);
const syllables = ['ka', 'lo', 'mi', 'ne', 'ro', 'ta', 'vi', 'su', 'den', 'mar', 'pol', 'ter', 'gan', 'fi', 'bra', 'cho', 'ul', 'es', 'in', 'or'];
const vocabulary = Array.from({ length: VOCABULARY }, (_, rank) => {
  let word = '';
  for (let n = rank + 1; n > 0; n = Math.floor(n / syllables.length)) word += syllables[n % syllables.length];
  return word;
});
// Zipf: the word of rank r appears with weight 1/r, as in real speech.
const cumulative: number[] = [];
vocabulary.reduce((sum, _, rank) => (cumulative.push(sum + 1 / (rank + 1)), sum + 1 / (rank + 1)), 0);
function wordAt(): string {
  const target = next() * cumulative.at(-1)!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return vocabulary[low]!;
}

const dataDir = scratchDir('bench-search');
console.log(`building a library of ${transcriptCount.toLocaleString()} transcripts × ${segmentsEach} segments…`);
const built = performance.now();
const db = buildLibrary(dataDir, transcriptCount, segmentsEach, () => Array.from({ length: WORDS_PER_SEGMENT }, wordAt).join(' '));
const store = new TranscriptStore(db);
console.log(`built in ${((performance.now() - built) / 1000).toFixed(1)} s\n`);

// What a user types: each word letter by letter, common, middling and rare words, then two words.
const typed = (text: string): string[] => Array.from({ length: text.length }, (_, n) => text.slice(0, n + 1)).filter((query) => query.trim() !== '');
const queries = {
  'common word, typed': typed(vocabulary[2]!),
  'middling word, typed': typed(vocabulary[400]!),
  'rare word, typed': typed(vocabulary[15_000]!),
  'two words, typed': typed(`${vocabulary[30]!} ${vocabulary[700]!}`),
};

const ranked = (query: string): unknown[] => {
  const terms = query.match(/[\p{L}\p{N}]+/gu) ?? [];
  const match = terms.map((term, index) => (index === terms.length - 1 ? `"${term}"*` : `"${term}"`)).join(' ');
  return db.all(
    `SELECT s.seq, s.start_sec, highlight(segments_fts, 0, char(1), char(2)) FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
     WHERE segments_fts MATCH ? ORDER BY rank LIMIT ?`,
    [match, LIMIT],
  );
};
const like = (query: string): unknown[] => db.all('SELECT seq, start_sec, text FROM segments WHERE text LIKE ? LIMIT ?', [`%${query}%`, LIMIT]);
const methods: Record<string, (query: string) => unknown[]> = { verbatim: (query) => store.search(query, LIMIT), ranked, like };

const RUNS = 5;
const rows: string[] = [];
for (const [name, list] of Object.entries(queries)) {
  for (const [method, run] of Object.entries(methods)) {
    const times: number[] = [];
    let hits = 0;
    for (let repeat = 0; repeat < RUNS; repeat++) {
      for (const query of list) {
        const started = performance.now();
        hits = run(query).length;
        times.push(performance.now() - started);
      }
    }
    times.sort((a, b) => a - b);
    const at = (fraction: number): string => times[Math.min(times.length - 1, Math.floor(fraction * times.length))]!.toFixed(2);
    rows.push(`| ${name} (${list.length} keystrokes) | ${method} | ${at(0.5)} | ${at(0.95)} | ${times.at(-1)!.toFixed(2)} | ${hits} |`);
  }
}
console.log(`Search benchmark — ${os.cpus()[0]?.model ?? 'CPU'} × ${os.availableParallelism()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`${transcriptCount.toLocaleString()} transcripts, ${(transcriptCount * segmentsEach).toLocaleString()} segments; ms per query over ${RUNS} runs of every keystroke\n`);
console.log('| Query | Method | median ms | p95 ms | max ms | hits (last keystroke) |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
db.close();
rmSync(dataDir, { recursive: true, force: true });

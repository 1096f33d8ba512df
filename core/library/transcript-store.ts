import type { EngineRun, SearchHit, Segment, Transcript } from '../../contracts/domain';
import type { Database } from './database';

interface TranscriptRow {
  id: number;
  language: string;
  task: 'transcribe' | 'translate';
  model: string;
  provider: string;
  fallbacks: string;
  duration_sec: number;
}

export class TranscriptStore {
  constructor(private readonly db: Database) {}

  /** Stores a media's transcript, replacing the previous one whole or not at all. */
  save(mediaId: number, jobId: number | null, transcript: Transcript, now = Date.now()): number {
    return this.db.transaction(() => {
      this.db.run('DELETE FROM transcripts WHERE media_id = ?', [mediaId]);
      const { engine } = transcript;
      const transcriptId = Number(
        this.db.run(
          `INSERT INTO transcripts (media_id, job_id, language, task, model, provider, fallbacks, duration_sec, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [mediaId, jobId, transcript.language, transcript.task, engine.model, engine.provider, JSON.stringify(engine.fallbacks), transcript.durationSec, now],
        ).lastInsertRowid,
      );
      transcript.segments.forEach((segment, seq) => {
        const segmentId = Number(
          this.db.run(
            `INSERT INTO segments (transcript_id, seq, start_sec, end_sec, text, avg_logprob, no_speech_prob, temperature)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            [transcriptId, seq, segment.start, segment.end, segment.text, segment.avgLogprob, segment.noSpeechProb, segment.temperature],
          ).lastInsertRowid,
        );
        segment.words.forEach((word, wordSeq) =>
          this.db.run('INSERT INTO words (segment_id, seq, start_sec, end_sec, text, probability) VALUES (?, ?, ?, ?, ?, ?)', [
            segmentId,
            wordSeq,
            word.start,
            word.end,
            word.text,
            word.probability,
          ]),
        );
      });
      return transcriptId;
    });
  }

  get(mediaId: number): Transcript | null {
    const row = this.db.get<TranscriptRow>('SELECT * FROM transcripts WHERE media_id = ?', [mediaId]);
    if (!row) return null;
    const segments = this.db.all<{ id: number; start_sec: number; end_sec: number; text: string; avg_logprob: number; no_speech_prob: number; temperature: number }>(
      'SELECT * FROM segments WHERE transcript_id = ? ORDER BY seq',
      [row.id],
    );
    const words = this.db.all<{ segment_id: number; start_sec: number; end_sec: number; text: string; probability: number }>(
      `SELECT w.* FROM words w JOIN segments s ON s.id = w.segment_id WHERE s.transcript_id = ? ORDER BY s.seq, w.seq`,
      [row.id],
    );
    const bySegment = new Map<number, Segment['words']>();
    for (const word of words) {
      const list = bySegment.get(word.segment_id) ?? [];
      list.push({ start: word.start_sec, end: word.end_sec, text: word.text, probability: word.probability });
      bySegment.set(word.segment_id, list);
    }
    const engine: EngineRun = { model: row.model, provider: row.provider, fallbacks: JSON.parse(row.fallbacks) as EngineRun['fallbacks'] };
    return {
      language: row.language,
      task: row.task,
      engine,
      durationSec: row.duration_sec,
      segments: segments.map((segment) => ({
        start: segment.start_sec,
        end: segment.end_sec,
        text: segment.text,
        avgLogprob: segment.avg_logprob,
        noSpeechProb: segment.no_speech_prob,
        temperature: segment.temperature,
        words: bySegment.get(segment.id) ?? [],
      })),
    };
  }

  /** Segments matching a full-text query, best first; each word of the query must appear. */
  search(query: string, limit = 50): SearchHit[] {
    const terms = query.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (terms.length === 0) return [];
    // Quoted terms with a prefix star: user input never reaches FTS5's query syntax.
    const match = terms.map((term) => `"${term}"*`).join(' ');
    return this.db.all<SearchHit>(
      `SELECT t.media_id AS mediaId, m.file_name AS fileName, s.start_sec AS start, s.end_sec AS end,
              highlight(segments_fts, 0, '[', ']') AS snippet
       FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
       JOIN transcripts t ON t.id = s.transcript_id JOIN media m ON m.id = t.media_id
       WHERE segments_fts MATCH ? ORDER BY rank LIMIT ?`,
      [match, limit],
    );
  }
}

import { DiarizationRun, type EngineRun, type SearchHit, type Segment, type SnippetPart, type Speaker, type SpeakerTurn, type Transcript, type Word } from '../../contracts/domain';
import type { Database } from './database';

interface TranscriptRow {
  id: number;
  language: string;
  task: 'transcribe' | 'translate';
  model: string;
  provider: string;
  fallbacks: string;
  duration_sec: number;
  diarization: string | null;
  ran_on: 'local' | 'pool';
}

interface SegmentRow {
  id: number;
  start_sec: number;
  end_sec: number;
  text: string;
  avg_logprob: number;
  no_speech_prob: number;
  temperature: number;
  speaker: number | null;
}

interface WordRow {
  segment_id: number;
  start_sec: number;
  end_sec: number;
  text: string;
  probability: number;
  speaker: number | null;
}

function toWord(row: WordRow): Word {
  return { start: row.start_sec, end: row.end_sec, text: row.text, probability: row.probability, speaker: row.speaker };
}

export class TranscriptStore {
  constructor(private readonly db: Database) {}

  has(mediaId: number): boolean {
    return this.db.get('SELECT 1 FROM transcripts WHERE media_id = ?', [mediaId]) !== undefined;
  }

  /** Stores a media's transcript, replacing the previous one whole or not at all. */
  save(mediaId: number, jobId: number | null, transcript: Transcript, now = Date.now()): number {
    return this.db.transaction(() => {
      this.db.run('DELETE FROM transcripts WHERE media_id = ?', [mediaId]);
      const { engine } = transcript;
      const transcriptId = Number(
        this.db.run(
          `INSERT INTO transcripts (media_id, job_id, language, task, model, provider, fallbacks, duration_sec, diarization, ran_on, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            mediaId,
            jobId,
            transcript.language,
            transcript.task,
            engine.model,
            engine.provider,
            JSON.stringify(engine.fallbacks),
            transcript.durationSec,
            transcript.diarization ? JSON.stringify(transcript.diarization) : null,
            engine.ranOn ?? 'local',
            now,
          ],
        ).lastInsertRowid,
      );
      transcript.segments.forEach((segment, seq) => this.insertSegment(transcriptId, seq, segment));
      for (const speaker of transcript.speakers) {
        this.db.run('INSERT INTO speakers (transcript_id, speaker, name) VALUES (?, ?, ?)', [transcriptId, speaker.id, speaker.name]);
      }
      for (const turn of transcript.turns) this.insertTurn(transcriptId, turn);
      return transcriptId;
    });
  }

  /**
   * Live captions' confirmed text, one caption line at a time: the line `seq` is written (again,
   * as it grows) into the recording's transcript, created on its first line. The transcription job
   * after Stop replaces it whole (save()).
   */
  saveLiveSegment(mediaId: number, seq: number, segment: Segment, meta: { language: string; model: string; durationSec: number }, now = Date.now()): void {
    this.db.transaction(() => {
      let transcriptId = this.db.get<{ id: number }>('SELECT id FROM transcripts WHERE media_id = ?', [mediaId])?.id;
      if (transcriptId === undefined) {
        transcriptId = Number(
          this.db.run(
            `INSERT INTO transcripts (media_id, job_id, language, task, model, provider, fallbacks, duration_sec, diarization, created_at)
             VALUES (?, NULL, ?, 'transcribe', ?, 'live', '[]', ?, NULL, ?)`,
            [mediaId, meta.language, meta.model, meta.durationSec, now],
          ).lastInsertRowid,
        );
      } else this.db.run('UPDATE transcripts SET duration_sec = ? WHERE id = ?', [meta.durationSec, transcriptId]);
      this.db.run('DELETE FROM segments WHERE transcript_id = ? AND seq = ?', [transcriptId, seq]);
      this.insertSegment(transcriptId, seq, segment);
    });
  }

  insertSegment(transcriptId: number, seq: number, segment: Segment): void {
    const segmentId = Number(
      this.db.run(
        `INSERT INTO segments (transcript_id, seq, start_sec, end_sec, text, avg_logprob, no_speech_prob, temperature, speaker)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [transcriptId, seq, segment.start, segment.end, segment.text, segment.avgLogprob, segment.noSpeechProb, segment.temperature, segment.speaker],
      ).lastInsertRowid,
    );
    this.insertWords(segmentId, segment.words);
  }

  get(mediaId: number): Transcript | null {
    const row = this.db.get<TranscriptRow>('SELECT * FROM transcripts WHERE media_id = ?', [mediaId]);
    if (!row) return null;
    const segments = this.db.all<SegmentRow>('SELECT * FROM segments WHERE transcript_id = ? ORDER BY seq', [row.id]);
    const words = this.db.all<WordRow>(`SELECT w.* FROM words w JOIN segments s ON s.id = w.segment_id WHERE s.transcript_id = ? ORDER BY s.seq, w.seq`, [row.id]);
    const bySegment = new Map<number, Segment['words']>();
    for (const word of words) {
      const list = bySegment.get(word.segment_id) ?? [];
      list.push(toWord(word));
      bySegment.set(word.segment_id, list);
    }
    const engine: EngineRun = { model: row.model, provider: row.provider, fallbacks: JSON.parse(row.fallbacks) as EngineRun['fallbacks'], ranOn: row.ran_on };
    const diarization = row.diarization ? DiarizationRun.safeParse(JSON.parse(row.diarization)) : null;
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
        speaker: segment.speaker,
        words: bySegment.get(segment.id) ?? [],
      })),
      speakers: this.db.all<Speaker>('SELECT speaker AS id, name FROM speakers WHERE transcript_id = ? ORDER BY speaker', [row.id]),
      turns: this.db.all<{ start: number; end: number; speaker: number }>(
        'SELECT start_sec AS start, end_sec AS end, speaker FROM speaker_turns WHERE transcript_id = ? ORDER BY start_sec, id',
        [row.id],
      ),
      diarization: diarization?.success ? diarization.data : null,
    };
  }

  insertWords(segmentId: number, words: readonly Word[]): void {
    words.forEach((word, seq) =>
      this.db.run('INSERT INTO words (segment_id, seq, start_sec, end_sec, text, probability, speaker) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        segmentId,
        seq,
        word.start,
        word.end,
        word.text,
        word.probability,
        word.speaker,
      ]),
    );
  }

  insertTurn(transcriptId: number, turn: SpeakerTurn): void {
    this.db.run('INSERT INTO speaker_turns (transcript_id, start_sec, end_sec, speaker) VALUES (?, ?, ?, ?)', [transcriptId, turn.start, turn.end, turn.speaker]);
  }

  /**
   * Segments matching a full-text query; each word of the query must appear, the last one as a
   * prefix (results come while typing). Newest segments first: FTS5 walks its rowids in order and
   * stops at the limit, where ranking would score every match (all of them, for a short prefix).
   * Then what speakers the user named say, when the query matches their name ("Dr Okafor").
   * With `speaker`, only what the speakers of that name say, in every recording (an empty query then
   * lists it all, newest first).
   */
  search(query: string, limit = 50, speaker?: string): SearchHit[] {
    const terms = query.match(/[\p{L}\p{N}]+/gu) ?? [];
    const person = speaker?.trim() || null;
    if (terms.length === 0 && !person) return [];
    const bySpeaker = person ? 'AND sp.name = ? COLLATE NOCASE' : '';
    const speakerParams = person ? [person] : [];
    if (terms.length === 0) {
      return this.db
        .all<HitRow & { text: string }>(
          `SELECT t.media_id AS mediaId, m.file_name AS fileName, s.seq AS segment, s.start_sec AS start, s.end_sec AS end, sp.name AS speaker, s.text
           FROM speakers sp JOIN transcripts t ON t.id = sp.transcript_id JOIN media m ON m.id = t.media_id
           JOIN segments s ON s.transcript_id = t.id AND s.speaker = sp.speaker
           WHERE 1 ${bySpeaker} ORDER BY s.id DESC LIMIT ?`,
          [...speakerParams, limit],
        )
        .map(({ text, ...hit }) => ({ ...hit, parts: [{ text, match: false }], speakerMatch: true }));
    }
    // Quoted terms: user input never reaches FTS5's query syntax.
    const match = terms.map((term, index) => (index === terms.length - 1 ? `"${term}"*` : `"${term}"`)).join(' ');
    const byText = this.db
      .all<HitRow & { marked: string }>(
        `SELECT t.media_id AS mediaId, m.file_name AS fileName, s.seq AS segment, s.start_sec AS start, s.end_sec AS end, sp.name AS speaker,
                highlight(segments_fts, 0, char(1), char(2)) AS marked
         FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
         JOIN transcripts t ON t.id = s.transcript_id JOIN media m ON m.id = t.media_id
         LEFT JOIN speakers sp ON sp.transcript_id = t.id AND sp.speaker = s.speaker
         WHERE segments_fts MATCH ? ${bySpeaker} ORDER BY segments_fts.rowid DESC LIMIT ?`,
        [match, ...speakerParams, limit],
      )
      .map(({ marked, ...hit }) => ({ ...hit, parts: snippetParts(marked), speakerMatch: false }));
    if (byText.length >= limit || person) return byText;
    // Each term starts a word of the name (terms are letters and digits only, so nothing in them is a
    // LIKE wildcard); the default "Speaker N" names are everyone's, so they never match.
    const byName = this.db
      .all<HitRow & { text: string }>(
        `SELECT t.media_id AS mediaId, m.file_name AS fileName, s.seq AS segment, s.start_sec AS start, s.end_sec AS end, sp.name AS speaker, s.text
         FROM speakers sp JOIN transcripts t ON t.id = sp.transcript_id JOIN media m ON m.id = t.media_id
         JOIN segments s ON s.transcript_id = t.id AND s.speaker = sp.speaker
         WHERE sp.name NOT GLOB 'Speaker [0-9]*' ${terms.map(() => "AND (' ' || sp.name) LIKE ?").join(' ')}
         ORDER BY s.id DESC LIMIT ?`,
        [...terms.map((term) => `% ${term}%`), limit],
      )
      .map(({ text, ...hit }) => ({ ...hit, parts: [{ text, match: false }], speakerMatch: true }));
    const seen = new Set(byText.map((hit) => `${hit.mediaId}:${hit.segment}`));
    return [...byText, ...byName.filter((hit) => !seen.has(`${hit.mediaId}:${hit.segment}`))].slice(0, limit);
  }

  /** Gives speakers names before anyone has edited them (saved voices recognised in a new transcript). */
  nameSpeakers(mediaId: number, names: ReadonlyArray<{ speaker: number; name: string }>): void {
    for (const { speaker, name } of names) {
      this.db.run('UPDATE speakers SET name = ? WHERE speaker = ? AND transcript_id = (SELECT id FROM transcripts WHERE media_id = ?)', [name, speaker, mediaId]);
    }
  }

  /** The people named in the library (default "Speaker N" labels left out), each with how many recordings they speak in. */
  speakerNames(): Array<{ name: string; recordings: number }> {
    return this.db.all<{ name: string; recordings: number }>(
      `SELECT MIN(sp.name) AS name, COUNT(DISTINCT t.media_id) AS recordings
       FROM speakers sp JOIN transcripts t ON t.id = sp.transcript_id
       WHERE sp.name NOT GLOB 'Speaker [0-9]*' GROUP BY sp.name COLLATE NOCASE ORDER BY MIN(sp.name) COLLATE NOCASE`,
    );
  }
}

type HitRow = Omit<SearchHit, 'parts' | 'speakerMatch'>;

/** FTS5's highlight() output, with \x01…\x02 around matches, as parts the UI can mark safely. */
export function snippetParts(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let text = '';
  let match = false;
  for (const char of marked) {
    if (char !== START_MARK && char !== END_MARK) {
      text += char;
      continue;
    }
    if (text) parts.push({ text, match });
    text = '';
    match = char === START_MARK;
  }
  if (text) parts.push({ text, match });
  return parts;
}

const START_MARK = String.fromCharCode(1);
const END_MARK = String.fromCharCode(2);

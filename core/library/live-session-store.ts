import type { LiveSessionState } from '../../contracts/domain';
import type { Database } from './database';

export interface LiveSessionRecord {
  id: number;
  mediaId: number;
  path: string;
  fileName: string;
  state: LiveSessionState;
  inputLabel: string | null;
  lastChunk: number;
  durationSec: number;
  missingChunks: number;
  startedAt: number;
}

const SELECT = `SELECT l.id, l.media_id AS mediaId, l.path, m.file_name AS fileName, l.state, l.input_label AS inputLabel,
  l.last_chunk AS lastChunk, l.duration_sec AS durationSec, l.missing_chunks AS missingChunks, l.started_at AS startedAt
  FROM live_sessions l JOIN media m ON m.id = l.media_id`;

/** Microphone recordings and how much of each is safely on disk. */
export class LiveSessionStore {
  constructor(private readonly db: Database) {}

  create(mediaId: number, path: string, inputLabel: string | null, now = Date.now()): number {
    return Number(
      this.db.run('INSERT INTO live_sessions (media_id, path, state, input_label, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [mediaId, path, 'recording', inputLabel, now, now]).lastInsertRowid,
    );
  }

  get(id: number): LiveSessionRecord | undefined {
    return this.db.get<LiveSessionRecord>(`${SELECT} WHERE l.id = ?`, [id]);
  }

  /** Recordings a crash cut off, and those found so earlier and not yet finished or discarded. */
  inStates(states: readonly LiveSessionState[]): LiveSessionRecord[] {
    return this.db.all<LiveSessionRecord>(`${SELECT} WHERE l.state IN (${states.map(() => '?').join(', ')}) ORDER BY l.id`, [...states]);
  }

  /** What is now durable: chunks up to `lastChunk`, `durationSec` of audio. */
  markDurable(id: number, lastChunk: number, durationSec: number, missingChunks: number, now = Date.now()): void {
    this.db.run('UPDATE live_sessions SET last_chunk = ?, duration_sec = ?, missing_chunks = ?, updated_at = ? WHERE id = ?', [lastChunk, durationSec, missingChunks, now, id]);
  }

  setState(id: number, state: LiveSessionState, durationSec?: number, now = Date.now()): void {
    this.db.run('UPDATE live_sessions SET state = ?, duration_sec = COALESCE(?, duration_sec), updated_at = ? WHERE id = ?', [state, durationSec ?? null, now, id]);
  }
}

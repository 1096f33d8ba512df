import path from 'node:path';
import type { LibraryItem, LibrarySort, MediaDetail, MediaInfo, Waveform } from '../../contracts/domain';
import { JobError } from '../errors';
import type { Database } from './database';

interface MediaRow {
  id: number;
  path: string;
  file_name: string;
  content_hash: string | null;
  size_bytes: number | null;
  duration_sec: number | null;
  container: string | null;
  codec: string | null;
  sample_rate: number | null;
  channels: number | null;
  peaks: Buffer | null;
  peaks_per_sec: number | null;
  pcm_path: string | null;
}

export interface MediaIdentity {
  path: string;
  /** null when the file could not be read; such media are matched by path instead. */
  contentHash: string | null;
  sizeBytes: number | null;
}

/** "Interview 2" before "Interview 10", case and accents aside: the order a file manager shows. */
const NAME_ORDER = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export class MediaStore {
  constructor(private readonly db: Database) {}

  /** Finds the media with the same content (or, unreadable, the same path) or creates it. */
  upsert(identity: MediaIdentity, now = Date.now()): { id: number; created: boolean } {
    return this.db.transaction(() => {
      const existing = identity.contentHash
        ? this.db.get<{ id: number }>('SELECT id FROM media WHERE content_hash = ?', [identity.contentHash])
        : this.db.get<{ id: number }>('SELECT id FROM media WHERE path = ? AND content_hash IS NULL', [identity.path]);
      if (existing) {
        // The same bytes may have moved: remember where the user last dropped them from.
        this.db.run('UPDATE media SET path = ?, file_name = ?, updated_at = ? WHERE id = ?', [
          identity.path,
          path.basename(identity.path),
          now,
          existing.id,
        ]);
        return { id: existing.id, created: false };
      }
      const result = this.db.run(
        `INSERT INTO media (path, file_name, content_hash, size_bytes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [identity.path, path.basename(identity.path), identity.contentHash, identity.sizeBytes, now, now],
      );
      return { id: Number(result.lastInsertRowid), created: true };
    });
  }

  /**
   * The file now holds other bytes and the user takes them as this recording: what was known of the old
   * content (length, waveform, speech, decoded audio) goes. Returns the decoded audio's path, to delete.
   */
  replaceContent(id: number, identity: { contentHash: string; sizeBytes: number }, now = Date.now()): { pcmPath: string | null } {
    return this.db.transaction(() => {
      const holder = this.db.get<{ id: number; file_name: string }>('SELECT id, file_name FROM media WHERE content_hash = ? AND id <> ?', [identity.contentHash, id]);
      if (holder) throw new JobError(`The file as it is now is already in the library, as “${holder.file_name}”.`, 'duplicate');
      const pcmPath = this.pcmPath(id);
      this.db.run(
        `UPDATE media SET content_hash = ?, size_bytes = ?, duration_sec = NULL, container = NULL, codec = NULL, sample_rate = NULL,
           channels = NULL, peaks = NULL, peaks_per_sec = NULL, pcm_path = NULL, speech_sec = NULL, updated_at = ? WHERE id = ?`,
        [identity.contentHash, identity.sizeBytes, now, id],
      );
      return { pcmPath };
    });
  }

  saveDecoded(id: number, decoded: { info: MediaInfo; waveform: Waveform; pcmPath: string }, now = Date.now()): void {
    const { info, waveform } = decoded;
    this.db.run(
      `UPDATE media SET duration_sec = ?, container = ?, codec = ?, sample_rate = ?, channels = ?,
         peaks = ?, peaks_per_sec = ?, pcm_path = ?, updated_at = ? WHERE id = ?`,
      [
        info.durationSec,
        info.container,
        info.codec,
        info.sampleRate,
        info.channels,
        Buffer.from(waveform.peaks.map((peak) => Math.round(peak * 255))),
        waveform.peaksPerSec,
        decoded.pcmPath,
        now,
        id,
      ],
    );
  }

  /** The audio length from a transcript made elsewhere (the pool), where this machine never decoded the file. */
  saveDuration(id: number, durationSec: number, now = Date.now()): void {
    this.db.run('UPDATE media SET duration_sec = COALESCE(duration_sec, ?), updated_at = ? WHERE id = ?', [durationSec, now, id]);
  }

  /** Seconds of speech in the file: null until the speech detector has looked; undefined for no such file. */
  speechSec(id: number): number | null | undefined {
    return this.db.get<{ speech_sec: number | null }>('SELECT speech_sec FROM media WHERE id = ?', [id])?.speech_sec;
  }

  /** What the speech detector found in the file; its length too, where the file was not probed yet. */
  saveSpeech(id: number, found: { durationSec: number; speechSec: number }, now = Date.now()): void {
    this.db.run('UPDATE media SET speech_sec = ?, duration_sec = COALESCE(duration_sec, ?), updated_at = ? WHERE id = ?', [found.speechSec, found.durationSec, now, id]);
  }

  pcmPath(id: number): string | null {
    return this.db.get<{ pcm_path: string | null }>('SELECT pcm_path FROM media WHERE id = ?', [id])?.pcm_path ?? null;
  }

  get(id: number): MediaDetail | undefined {
    const row = this.db.get<MediaRow>('SELECT * FROM media WHERE id = ?', [id]);
    return row && toDetail(row);
  }

  /** Every recording with its newest transcription job and transcript, in the order asked for. */
  library(sort: LibrarySort, descending: boolean): LibraryItem[] {
    // Names are put in order below, as people read them; SQLite only knows byte order ("10" before "2").
    const column = { date: 'm.created_at', name: 'm.id', duration: 'm.duration_sec' }[sort];
    const direction = descending ? 'DESC' : 'ASC';
    const rows = this.db.all<Omit<LibraryItem, 'hasTranscript'> & { hasTranscript: number }>(
      `SELECT m.id AS mediaId, m.file_name AS fileName, m.path, m.created_at AS addedAt, m.duration_sec AS durationSec,
              j.state, j.id AS jobId, t.id IS NOT NULL AS hasTranscript,
              (SELECT l.state FROM live_sessions l WHERE l.media_id = m.id AND l.state <> 'stopped') AS live,
              (SELECT COUNT(*) FROM speakers sp WHERE sp.transcript_id = t.id) AS speakers, t.ran_on AS ranOn,
              COALESCE((SELECT group_concat(text, ' ') FROM (SELECT text FROM segments s WHERE s.transcript_id = t.id ORDER BY seq LIMIT 3)), '') AS preview
       FROM media m
       LEFT JOIN jobs j ON j.id = (SELECT MAX(id) FROM jobs WHERE media_id = m.id AND kind = 'process-media')
       LEFT JOIN transcripts t ON t.media_id = m.id
       ORDER BY ${column} IS NULL, ${column} ${direction}, m.id ${direction}`,
    );
    const items = rows.map((row) => ({ ...row, hasTranscript: row.hasTranscript === 1, preview: row.preview.slice(0, 200) }));
    if (sort === 'name') items.sort((a, b) => (descending ? -1 : 1) * (NAME_ORDER.compare(a.fileName, b.fileName) || a.mediaId - b.mediaId));
    return items;
  }

  /** Deletes a recording; its jobs, transcript and edits go with it (foreign keys cascade). */
  remove(id: number): { pcmPath: string | null } | undefined {
    const row = this.db.get<{ pcm_path: string | null }>('SELECT pcm_path FROM media WHERE id = ?', [id]);
    if (!row) return undefined;
    this.db.run('DELETE FROM media WHERE id = ?', [id]);
    return { pcmPath: row.pcm_path };
  }

  /** Bytes per audio second over decoded media: estimates the length of files not yet probed. */
  averageBytesPerSecond(): number | null {
    const row = this.db.get<{ ratio: number | null }>(
      'SELECT SUM(size_bytes) / SUM(duration_sec) AS ratio FROM media WHERE duration_sec > 0 AND size_bytes > 0',
    );
    return row?.ratio ?? null;
  }
}

function toDetail(row: MediaRow): MediaDetail {
  const info =
    row.duration_sec !== null && row.sample_rate !== null && row.channels !== null
      ? {
          durationSec: row.duration_sec,
          container: row.container ?? '',
          codec: row.codec ?? '',
          sampleRate: row.sample_rate,
          channels: row.channels,
        }
      : null;
  const waveform =
    row.peaks && row.peaks_per_sec
      ? { peaks: Array.from(row.peaks, (byte) => byte / 255), peaksPerSec: row.peaks_per_sec }
      : null;
  return { id: row.id, path: row.path, fileName: row.file_name, sizeBytes: row.size_bytes, info, waveform };
}

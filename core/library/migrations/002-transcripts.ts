// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- One transcript per media: re-running a job replaces it (in one transaction).
CREATE TABLE transcripts (
  id           INTEGER PRIMARY KEY,
  media_id     INTEGER NOT NULL UNIQUE REFERENCES media(id) ON DELETE CASCADE,
  job_id       INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  language     TEXT    NOT NULL,
  task         TEXT    NOT NULL CHECK (task IN ('transcribe', 'translate')),
  model        TEXT    NOT NULL,
  provider     TEXT    NOT NULL,
  -- JSON array of {provider, reason}: what was tried before provider, and why it was not used.
  fallbacks    TEXT    NOT NULL DEFAULT '[]',
  duration_sec REAL    NOT NULL,
  created_at   INTEGER NOT NULL
);

CREATE TABLE segments (
  id              INTEGER PRIMARY KEY,
  transcript_id   INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  start_sec       REAL    NOT NULL,
  end_sec         REAL    NOT NULL CHECK (end_sec >= start_sec),
  text            TEXT    NOT NULL,
  avg_logprob     REAL    NOT NULL,
  no_speech_prob  REAL    NOT NULL,
  temperature     REAL    NOT NULL,
  UNIQUE (transcript_id, seq)
);

CREATE TABLE words (
  segment_id  INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  start_sec   REAL    NOT NULL,
  end_sec     REAL    NOT NULL CHECK (end_sec >= start_sec),
  text        TEXT    NOT NULL,
  probability REAL    NOT NULL,
  PRIMARY KEY (segment_id, seq)
) WITHOUT ROWID;

-- Full-text search over segment text, kept in step with segments by triggers.
CREATE VIRTUAL TABLE segments_fts USING fts5(text, content='segments', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments BEGIN
  INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN
  INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER segments_fts_update AFTER UPDATE OF text ON segments BEGIN
  INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text);
END;

-- Which model ran on which provider, shown on the job while and after it runs.
ALTER TABLE jobs ADD COLUMN engine TEXT;
`;

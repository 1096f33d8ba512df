// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- A microphone recording, from Record until its transcription job is queued. While it records, the
-- audio up to last_chunk is on disk (fsynced) and lasts duration_sec; a row still 'recording' or
-- 'paused' at start-up was cut off by a crash and is offered back.
CREATE TABLE live_sessions (
  id             INTEGER PRIMARY KEY,
  media_id       INTEGER NOT NULL UNIQUE REFERENCES media(id) ON DELETE CASCADE,
  path           TEXT    NOT NULL,
  state          TEXT    NOT NULL CHECK (state IN ('recording', 'paused', 'interrupted', 'stopped')),
  input_label    TEXT,
  last_chunk     INTEGER NOT NULL DEFAULT -1,
  duration_sec   REAL    NOT NULL DEFAULT 0,
  missing_chunks INTEGER NOT NULL DEFAULT 0,
  started_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX live_sessions_by_state ON live_sessions (state);
`;

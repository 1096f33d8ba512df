// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
CREATE TABLE media (
  id            INTEGER PRIMARY KEY,
  path          TEXT    NOT NULL,
  file_name     TEXT    NOT NULL,
  -- sha256 of the file's bytes; NULL when the file could not be read when it was added.
  content_hash  TEXT    UNIQUE,
  size_bytes    INTEGER,
  duration_sec  REAL,
  container     TEXT,
  codec         TEXT,
  sample_rate   INTEGER,
  channels      INTEGER,
  -- Peak |amplitude| per bucket, one byte each (0…255), peaks_per_sec buckets a second.
  peaks         BLOB,
  peaks_per_sec REAL,
  pcm_path      TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX media_by_path ON media(path);

CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  media_id    INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  kind        TEXT    NOT NULL,
  lane        TEXT    NOT NULL CHECK (lane IN ('heavy', 'light')),
  state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'canceled')),
  priority    INTEGER NOT NULL DEFAULT 0,
  attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  stage       TEXT,
  progress    REAL    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  error       TEXT,
  created_at  INTEGER NOT NULL,
  queued_at   INTEGER NOT NULL,
  started_at  INTEGER,
  finished_at INTEGER,
  -- A running job has a start time; a finished one has a finish time.
  CHECK (state <> 'running' OR started_at IS NOT NULL),
  CHECK (state NOT IN ('done', 'failed', 'canceled') OR finished_at IS NOT NULL)
);
CREATE INDEX jobs_by_lane_order ON jobs(lane, state, priority DESC, queued_at, id);
CREATE INDEX jobs_by_media ON jobs(media_id);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

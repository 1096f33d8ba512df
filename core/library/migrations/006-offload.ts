// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- Cloud offload. placement: the user's per-job choice; runs_on: where the current (or last) attempt
-- runs; decision: the policy's last verdict as JSON {where, reason, localEtaSec, poolEtaSec}; notice:
-- what the user is told once (the pool failed it, so it ran here).
ALTER TABLE jobs ADD COLUMN placement TEXT NOT NULL DEFAULT 'auto' CHECK (placement IN ('auto', 'local', 'pool'));
ALTER TABLE jobs ADD COLUMN runs_on TEXT CHECK (runs_on IN ('local', 'pool'));
ALTER TABLE jobs ADD COLUMN decision TEXT;
ALTER TABLE jobs ADD COLUMN notice TEXT;

-- Transcripts made before this ran on this machine.
ALTER TABLE transcripts ADD COLUMN ran_on TEXT NOT NULL DEFAULT 'local' CHECK (ran_on IN ('local', 'pool'));

-- A job's life on the pool, kept from its first step so an app restart picks it up where it was:
-- the tus upload's URL (resumed, not restarted), the checked upload's id, the pool's job id.
CREATE TABLE pool_jobs (
  job_id      INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  pool_url    TEXT    NOT NULL,
  sha256      TEXT    NOT NULL,
  upload_url  TEXT,
  upload_id   TEXT,
  remote_id   TEXT,
  resubmits   INTEGER NOT NULL DEFAULT 0,
  started_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
`;

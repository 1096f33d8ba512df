// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- Speaker labels. Speakers are numbered per transcript (0 = "Speaker 1"); names are the user's.
ALTER TABLE segments ADD COLUMN speaker INTEGER;
ALTER TABLE words ADD COLUMN speaker INTEGER;

CREATE TABLE speakers (
  transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  speaker       INTEGER NOT NULL,
  name          TEXT    NOT NULL,
  PRIMARY KEY (transcript_id, speaker)
);

-- Who spoke when, overlaps included: what the JSON export carries beyond the per-word labels.
CREATE TABLE speaker_turns (
  id            INTEGER PRIMARY KEY,
  transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  start_sec     REAL    NOT NULL,
  end_sec       REAL    NOT NULL CHECK (end_sec >= start_sec),
  speaker       INTEGER NOT NULL
);
CREATE INDEX speaker_turns_by_transcript ON speaker_turns (transcript_id, start_sec);

-- JSON {tier, provider, fallbacks, error}: which diarization tier ran, on the transcript and the job.
ALTER TABLE transcripts ADD COLUMN diarization TEXT;
ALTER TABLE jobs ADD COLUMN diarization TEXT;
`;

// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- The voice library. A voice is a person the user chose to remember (opt-in, per person); its prints
-- are vectors of their voice, personal data that never leaves this machine. Deleting a voice deletes them.
CREATE TABLE voices (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX voices_by_name ON voices (name COLLATE NOCASE);
CREATE TABLE voice_prints (
  id       INTEGER PRIMARY KEY,
  voice_id INTEGER NOT NULL REFERENCES voices(id) ON DELETE CASCADE,
  kind     TEXT    NOT NULL,
  vector   BLOB    NOT NULL,
  -- The recording it was taken from; the print stays if that recording is removed.
  media_id INTEGER REFERENCES media(id) ON DELETE SET NULL
);
CREATE INDEX voice_prints_by_voice ON voice_prints (voice_id);

-- Each recording's speakers' prints from its latest run, kept while the library is on, so a voice can be
-- saved from any transcript; they go with the recording, and all of them when the library is turned off.
CREATE TABLE speaker_prints (
  media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  speaker  INTEGER NOT NULL,
  kind     TEXT    NOT NULL,
  vector   BLOB    NOT NULL,
  PRIMARY KEY (media_id, speaker, kind)
);

-- Which saved voice a recording's speaker is ('named'), may be ('suggested'), or was said not to be ('rejected').
CREATE TABLE speaker_voices (
  media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  speaker  INTEGER NOT NULL,
  voice_id INTEGER NOT NULL REFERENCES voices(id) ON DELETE CASCADE,
  state    TEXT    NOT NULL CHECK (state IN ('named', 'suggested', 'rejected')),
  score    REAL    NOT NULL,
  PRIMARY KEY (media_id, speaker, voice_id)
);
CREATE INDEX speaker_voices_by_voice ON speaker_voices (voice_id);
`;

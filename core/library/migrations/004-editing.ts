// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- Text edits, oldest first, each with the segment's text and words before and after (JSON), so undo and
-- redo survive a restart. undone = 1: undone and redoable; a new edit deletes those (the redo branch).
CREATE TABLE transcript_edits (
  id            INTEGER PRIMARY KEY,
  transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  segment_seq   INTEGER NOT NULL,
  before        TEXT    NOT NULL,
  after         TEXT    NOT NULL,
  undone        INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
  created_at    INTEGER NOT NULL
);
CREATE INDEX transcript_edits_by_transcript ON transcript_edits (transcript_id, undone, id);

-- Search runs on every keystroke: prefix indexes answer the first letters typed without scanning
-- the whole vocabulary. The table is rebuilt from segments (its content table).
DROP TRIGGER segments_fts_insert;
DROP TRIGGER segments_fts_delete;
DROP TRIGGER segments_fts_update;
DROP TABLE segments_fts;
CREATE VIRTUAL TABLE segments_fts USING fts5(text, content='segments', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
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
INSERT INTO segments_fts(segments_fts) VALUES ('rebuild');

-- The library list sorts by these.
CREATE INDEX media_by_created ON media (created_at);
CREATE INDEX media_by_name ON media (file_name COLLATE NOCASE);
`;

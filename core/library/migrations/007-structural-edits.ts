// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- Edits that change more than one segment's text. kind = 'text': before/after are one segment's
-- {text, words} at segment_seq (the edits 004 made). kind = 'patch': before/after are
-- {segments, speakers}: the run of segments starting at segment_seq as it was and as it became
-- (a split turns one into two, a merge two into one, a deletion one into none), and the speaker
-- list when the edit changed it (a rename, a new speaker), else null.
ALTER TABLE transcript_edits ADD COLUMN kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'patch'));
`;

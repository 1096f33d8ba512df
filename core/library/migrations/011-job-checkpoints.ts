// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- Where a running transcription stood after its last batch of windows (JSON TranscribeCheckpoint):
-- after a worker crash, an app crash or a restart the job carries on from there, not from zero.
-- Cleared when the job ends or is retried as new work.
ALTER TABLE jobs ADD COLUMN checkpoint TEXT;
`;

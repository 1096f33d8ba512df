// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- Seconds of speech in the file, found by the speech detector (before its job, when the engine looks
-- at queued files ahead): estimates count speech, as transcription's cost does, not the file's length.
ALTER TABLE media ADD COLUMN speech_sec REAL;
`;

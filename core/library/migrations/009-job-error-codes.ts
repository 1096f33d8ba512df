// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- Why a job failed, as a code (a MediaError's: 'no-audio', 'unrecognised'…), beside the sentence shown:
-- the UI offers Retry only where running it again could help.
ALTER TABLE jobs ADD COLUMN error_code TEXT;
`;

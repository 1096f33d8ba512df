// Never edit a migration that has shipped: add the next numbered file instead.
export default /* sql */ `
-- What the user chose for this file alone (JSON JobOptions: model, language, task, diarization,
-- speakers), over Settings at run time. '{}': Settings as they are.
ALTER TABLE jobs ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
`;

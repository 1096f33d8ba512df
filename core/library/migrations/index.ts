import initial from './001-initial';
import transcripts from './002-transcripts';
import speakers from './003-speakers';
import editing from './004-editing';
import liveRecordings from './005-live-recordings';
import offload from './006-offload';
import structuralEdits from './007-structural-edits';
import jobOptions from './008-job-options';
import jobErrorCodes from './009-job-error-codes';
import mediaSpeech from './010-media-speech';
import jobCheckpoints from './011-job-checkpoints';
import voices from './012-voices';

/** Schema history, oldest first. The position in this list is the schema version. */
export const migrations: readonly string[] = [initial, transcripts, speakers, editing, liveRecordings, offload, structuralEdits, jobOptions, jobErrorCodes, mediaSpeech, jobCheckpoints, voices];

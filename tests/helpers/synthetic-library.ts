import path from 'node:path';
import type { Transcript } from '../../contracts/domain';
import { Database } from '../../core/library/database';
import { MediaStore } from '../../core/library/media-store';
import { TranscriptStore } from '../../core/library/transcript-store';

/**
 * A real Verbatim library of `count` recordings, each with a transcript of `segmentsEach` segments whose
 * text `textOf` makes, in `dataDir/library.sqlite`. Words are left out: no benchmark here reads them,
 * and without them a 10,000-transcript library builds in seconds.
 */
export function buildLibrary(dataDir: string, count: number, segmentsEach: number, textOf: (recording: number, segment: number) => string): Database {
  const db = new Database(path.join(dataDir, 'library.sqlite'), { log: () => undefined, slowQueryMs: Number.POSITIVE_INFINITY });
  const media = new MediaStore(db);
  const store = new TranscriptStore(db);
  db.transaction(() => {
    for (let index = 0; index < count; index++) {
      const { id } = media.upsert({ path: `/recordings/interview-${index}.m4a`, contentHash: `hash-${index}`, sizeBytes: 1 });
      const transcript: Transcript = {
        language: 'en',
        task: 'transcribe',
        engine: { model: 'whisper-base', provider: 'cpu', fallbacks: [] },
        durationSec: segmentsEach * 5,
        segments: Array.from({ length: segmentsEach }, (_, seq) => ({
          start: seq * 5,
          end: seq * 5 + 4.5,
          text: textOf(index, seq),
          avgLogprob: -0.2,
          noSpeechProb: 0.01,
          temperature: 0,
          speaker: null,
          words: [],
        })),
        speakers: [],
        turns: [],
        diarization: null,
      };
      store.save(id, null, transcript);
    }
  });
  return db;
}

import path from 'node:path';
import type { Transcript } from '../../contracts/domain';
import { Database } from '../../core/library/database';
import { MediaStore } from '../../core/library/media-store';
import { TranscriptStore } from '../../core/library/transcript-store';

const SEGMENT_SEC = 5;
const SPOKEN_SEC = 4.5;

/**
 * A real Verbatim library of `count` recordings, each with a transcript of `segmentsEach` five-second
 * segments whose text `textOf` makes, in `dataDir/library.sqlite`. Words (timed evenly through their
 * segment) only when asked for: without them a 10,000-transcript library builds in seconds.
 */
export function buildLibrary(
  dataDir: string,
  count: number,
  segmentsEach: number,
  textOf: (recording: number, segment: number) => string,
  { words = false }: { words?: boolean } = {},
): Database {
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
        durationSec: segmentsEach * SEGMENT_SEC,
        segments: Array.from({ length: segmentsEach }, (_, seq) => {
          const start = seq * SEGMENT_SEC;
          const text = textOf(index, seq);
          const spoken = text.split(' ');
          const each = SPOKEN_SEC / spoken.length;
          return {
            start,
            end: start + SPOKEN_SEC,
            text,
            avgLogprob: -0.2,
            noSpeechProb: 0.01,
            temperature: 0,
            speaker: null,
            words: words ? spoken.map((word, at) => ({ start: start + at * each, end: start + (at + 0.9) * each, text: word, probability: 0.9, speaker: null })) : [],
          };
        }),
        speakers: [],
        turns: [],
        diarization: null,
      };
      store.save(id, null, transcript);
    }
  });
  return db;
}

// Word times on real far-field meeting audio (every AMI excerpt in ../shared), with the default model: where the
// cross-attention alignment is unsure, words still get times of their own inside their segment, in order, never a
// pile of zero-length words at a segment's end (a click on one would seek seconds late, a subtitle show late).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../contracts/domain';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { scratchDir, sharedAudio } from '../helpers/media';

const meetings = readdirSync(path.join(sharedAudio, 'ami-debug'))
  .filter((name) => name.endsWith('.wav'))
  .map((name) => path.join(sharedAudio, 'ami-debug', name));

describe('word times on far-field meetings', () => {
  let core: VerbatimCore;
  let jobs: JobView[];

  beforeAll(async () => {
    core = openCore(scratchDir('word-times'), { settingsDefaults: { model: 'whisper-base', diarization: 'off' } });
    await core.addFiles(meetings);
    jobs = await waitForJobs(core, allFinished, 600_000);
  }, 620_000);

  afterAll(async () => {
    await core?.close();
  });

  it.each(meetings.map((file) => [path.basename(file), file]))('%s: every word inside its segment, in order, with a length of its own', (_name, file) => {
    const job = jobs.find((each) => each.path === file)!;
    expect(job.state).toBe('done');
    const { segments } = core.editing.get(job.mediaId)!;
    for (const segment of segments) {
      let previous = segment.start;
      for (const word of segment.words) {
        const where = `${word.text} at ${word.start.toFixed(2)}–${word.end.toFixed(2)} in ${segment.start.toFixed(2)}–${segment.end.toFixed(2)}`;
        expect(word.start, where).toBeGreaterThanOrEqual(segment.start);
        expect(word.end, where).toBeLessThanOrEqual(segment.end + 1e-9);
        expect(word.start, where).toBeGreaterThanOrEqual(previous - 1e-9);
        // At least one 20 ms frame, and no single word of a meeting takes more than a few seconds.
        expect(word.end - word.start, where).toBeGreaterThanOrEqual(0.02 - 1e-9);
        expect(word.end - word.start, where).toBeLessThanOrEqual(5);
        previous = word.start;
      }
    }
  });
});

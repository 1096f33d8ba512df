// The desktop against hostile and malformed files: playlists, concat lists and manifests that point at a real
// recording outside their folder (the canary), polyglots, protocols in names, lying headers, garbage. Each fails
// its own job with one sentence, the queue goes on, and no word of the canary reaches the library or the player.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../contracts/domain';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { CANARY_WORDS, canaryTargets, makeCanary, makeHostileCorpus, type Canary } from '../helpers/hostile-media';
import { scratchDir, sharedAudio } from '../helpers/media';
import { hostClient, startWebHost } from '../helpers/web-host';

const FAILURE = /^“[^”]+” (is not an audio or video format Verbatim can read\.|is damaged or incomplete; Verbatim could not read its audio\.|holds more audio than it states \(\d+:\d\d\); it is damaged or not what it claims to be\.|claims \d+ channels at \d+ Hz, which no recording has; the file is damaged\.)$/;

describe('hostile media on the desktop', () => {
  let core: VerbatimCore;
  let canary: Canary;
  let corpus: string[];
  let good: string;
  let jobs: JobView[];

  beforeAll(async () => {
    canary = makeCanary(scratchDir('canary'));
    const dir = scratchDir('hostile');
    corpus = makeHostileCorpus(dir, canaryTargets(canary, dir));
    good = path.join(scratchDir('good'), 'after-the-attack.wav');
    copyFileSync(path.join(sharedAudio, 'read-speech/wav/LJ001-0001.wav'), good);
    core = openCore(scratchDir('data'), { settingsDefaults: { model: 'whisper-tiny', language: 'en', diarization: 'off' } });
    await core.addFiles([...corpus, good]);
    jobs = await waitForJobs(core, allFinished, 300_000);
  }, 320_000);

  afterAll(async () => {
    await core?.close();
  });

  it('holds at least 25 hostile or malformed files', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
  });

  it('fails each one in its own job, in one plain sentence that names only the file, on the first attempt', () => {
    for (const file of corpus) {
      const job = jobs.find((each) => each.path === file);
      expect(job, file).toBeDefined();
      expect(job!.state, file).toBe('failed');
      expect(job!.error, file).toMatch(FAILURE);
      expect(job!.error, file).not.toContain(canary.dir);
      expect(job!.attempts, file).toBe(1);
    }
  });

  it('goes on with the queue: the good file after them is transcribed', () => {
    const job = jobs.find((each) => each.path === good);
    expect(job?.state).toBe('done');
    expect(core.searchTranscripts('printing').map((hit) => hit.mediaId)).toEqual([job!.mediaId]);
  });

  it('brings no word of the canary into the library', () => {
    for (const word of CANARY_WORDS) expect(core.searchTranscripts(word), word).toEqual([]);
  });

  it('through the web host too: a playlist added in an allowed folder fails, and the player has no audio from where it points', async () => {
    const host = await startWebHost(scratchDir('web-data'));
    const client = await hostClient(host.url);
    try {
      const playlist = corpus.find((file) => file.endsWith('hls-absolute.m3u8'))!;
      const [added] = (await client.call('media.add', { paths: [playlist] })) as Array<{ mediaId: number; jobId: number }>;
      let job: JobView | undefined;
      for (let tries = 0; tries < 600 && !['failed', 'done'].includes(job?.state ?? ''); tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = ((await client.call('jobs.list', {})) as JobView[]).find((each) => each.id === added!.jobId);
      }
      expect(job?.state).toBe('failed');
      expect(job?.error).toMatch(FAILURE);
      const address = new URL(host.url);
      const audio = await fetch(`${address.origin}/api/media/${added!.mediaId}/audio.wav?token=${address.searchParams.get('token')}`);
      expect(audio.status).toBe(404);
    } finally {
      client.close();
      await host.stop();
    }
  }, 120_000);
});

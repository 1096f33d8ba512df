// The pool under load, with its default limits: 50 clients, each a tenant of its own, each sending 2
// recordings at once and following them to the end. None lost, none done twice, each sees only its own.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpeech } from '../../bench/lib/read-speech';
import { cachedMedia, ffmpeg, sharedAudio } from '../helpers/media';
import { startTestPool, type TestPool } from '../helpers/pool';

const CLIENTS = 50;
const JOBS_EACH = 2;
const OPTIONS = { model: 'whisper-tiny', language: 'en', diarization: 'off' } as const;

/** The first 2.5 s of real utterances, one per job a client sends: short, so all of them fit in a test run. */
const clips = readSpeech(sharedAudio)
  .slice(0, JOBS_EACH)
  .map((utterance) => cachedMedia(`cloud-load-${path.basename(utterance.wav)}`, (partial) => ffmpeg('-i', utterance.wav, '-t', '2.5', partial)));

let pool: TestPool;

beforeAll(async () => {
  pool = await startTestPool('load', { workers: ['transcribe', 'transcribe', 'light'] });
}, 120_000);

afterAll(async () => {
  await pool?.stop();
});

describe('cloud pool: load', () => {
  it(`runs ${CLIENTS} concurrent clients × ${JOBS_EACH} jobs with whisper-tiny: none lost, none duplicated, every client sees its own only`, async () => {
    const tenants = await Promise.all(Array.from({ length: CLIENTS }, (_, index) => pool.tenant(`load-${index}`)));
    const runs = await Promise.all(
      tenants.map(async ({ client }) => {
        const submitted = await Promise.all(clips.map(async (clip) => (await client.submit({ uploadId: (await client.upload(clip)).uploadId, options: OPTIONS })).job));
        const finished = await Promise.all(submitted.map((job) => client.follow(job.id)));
        const texts = await Promise.all(finished.map(async (job) => (await client.result(job.id)).transcript.segments.map((segment) => segment.text).join(' ')));
        const listed = (await client.jobs()).map((job) => job.id).sort();
        return { client, ids: submitted.map((job) => job.id), states: finished.map((job) => job.state), texts, listed };
      }),
    );

    for (const run of runs) {
      expect(run.states).toEqual(clips.map(() => 'done'));
      expect(run.listed).toEqual([...run.ids].sort());
    }
    // Every client's transcript of a clip is the same text, and none is empty.
    for (let clip = 0; clip < JOBS_EACH; clip += 1) {
      const texts = new Set(runs.map((run) => run.texts[clip]));
      expect(texts.size).toBe(1);
      expect([...texts][0]!.length).toBeGreaterThan(5);
    }
    // Another client's job is not found.
    await expect(runs[0]!.client.job(runs[1]!.ids[0]!)).rejects.toMatchObject({ status: 404 });
    const { rows } = await pool.db.query(
      `SELECT (SELECT count(*) FROM jobs)::int AS jobs, (SELECT count(DISTINCT job_id) FROM results)::int AS results,
              (SELECT count(*) FROM results)::int AS rows, (SELECT count(*) FROM usage)::int AS usage,
              (SELECT count(*) FROM jobs WHERE state <> 'done')::int AS unfinished`,
    );
    expect(rows[0]).toEqual({ jobs: CLIENTS * JOBS_EACH, results: CLIENTS * JOBS_EACH, rows: CLIENTS * JOBS_EACH, usage: CLIENTS * JOBS_EACH, unfinished: 0 });
  }, 600_000);
});

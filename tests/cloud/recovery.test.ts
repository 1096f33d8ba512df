// The pool when parts of it fail: a worker killed mid-job, one told to stop, Redis restarted, an
// upload that moves between gateways, a job that cannot succeed. Nothing is lost or done twice.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../cloud/admin/verbatim-cloud';
import type { PoolJobView } from '../../contracts/cloud-api';
import type { PoolClient } from '../../core/pool/pool-client';
import { readSpeechTake } from '../helpers/live';
import { readSpeech } from '../../bench/lib/read-speech';
import { sharedAudio } from '../helpers/media';
import { eventually, startTestPool, type TestPool } from '../helpers/pool';

/** The real read-speech utterances, one file each. */
const utterances = readSpeech(sharedAudio).map((item) => item.wav);
const OPTIONS = { model: 'whisper-tiny', language: 'en', diarization: 'off' } as const;

let pool: TestPool;
let carol: { token: string; client: PoolClient; tenantId: string };

beforeAll(async () => {
  pool = await startTestPool('recovery', {
    workers: ['transcribe', 'transcribe', 'light'],
    gateways: 2,
    // A dead worker's lock lapses in 4 s (30 s in production), so its job moves on quickly.
    // Requests are not rationed here (the gateway test covers that): these tests poll.
    env: { VERBATIM_RATE_PER_MINUTE: '100000', VERBATIM_RATE_PER_HOUR: '1000000', VERBATIM_LOCK_MS: '4000', VERBATIM_STALLED_INTERVAL_MS: '2000', VERBATIM_SHUTDOWN_GRACE_MS: '1500', VERBATIM_BACKOFF_MS: '200', VERBATIM_SWEEP_INTERVAL_MS: '1000', VERBATIM_RESULT_TTL_SEC: '3600' },
  });
  carol = await pool.tenant('carol');
}, 120_000);

afterAll(async () => {
  await pool?.stop();
});

/** The worker process running the job, found by the pid in the worker id PostgreSQL records. */
async function workerRunning(jobId: string) {
  const { rows } = await pool.db.query("SELECT worker FROM jobs WHERE id = $1 AND state = 'running'", [jobId]);
  const pid = Number(String(rows[0]?.worker ?? '').split('-').at(-2));
  return pool.pool.workers.find((worker) => worker.child.pid === pid && worker.child.exitCode === null);
}

async function until(client: PoolClient, jobId: string, states: PoolJobView['state'][]): Promise<PoolJobView> {
  return eventually(`job ${jobId} to be ${states.join('/')}`, async () => {
    const view = await client.job(jobId);
    return states.includes(view.state) && view;
  }, 120_000);
}

function poolLogs(): string {
  const dir = path.join(pool.dataDir, 'logs');
  return readdirSync(dir).map((name) => readFileSync(path.join(dir, name), 'utf8')).join('\n');
}

describe('cloud pool: recovery', () => {
  it('finishes a job whose worker is SIGKILLed on another worker, from its checkpoint, with exactly one result equal to a clean run', async () => {
    const { wav } = readSpeechTake(21);
    const { uploadId } = await carol.client.upload(wav);
    const { job } = await carol.client.submit({ uploadId, options: OPTIONS });
    // Killed once a batch of windows is checkpointed, with more still to decode.
    await eventually('a checkpoint', async () => (await pool.db.query('SELECT checkpoint FROM jobs WHERE id = $1', [job.id])).rows[0]?.checkpoint, 120_000);
    const victim = (await workerRunning(job.id))!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    await victim.exited;
    await pool.pool.startWorker('transcribe');

    const done = await until(carol.client, job.id, ['done', 'failed']);
    expect(done.state).toBe('done');
    expect(done.attempts).toBe(2);
    const counts = await pool.db.query('SELECT (SELECT count(*) FROM results WHERE job_id = $1)::int AS results, (SELECT count(*) FROM usage WHERE job_id = $1)::int AS usage', [job.id]);
    expect(counts.rows[0]).toEqual({ results: 1, usage: 1 });
    const started = poolLogs().split('\n').filter((line) => line.includes(job.id) && line.includes('"job started"'));
    expect(started).toHaveLength(2);
    // One attempt from the start, the other from where the first got to.
    expect(started.map((line) => Number(JSON.parse(line).resumeFrom)).sort((a, b) => a - b)[0]).toBe(0);
    expect(Math.max(...started.map((line) => Number(JSON.parse(line).resumeFrom)))).toBeGreaterThan(0);

    // The same audio for another tenant, never interrupted.
    const dave = await pool.tenant('dave');
    const clean = await dave.client.submit({ uploadId: (await dave.client.upload(wav)).uploadId, options: OPTIONS });
    expect((await dave.client.follow(clean.job.id)).state).toBe('done');
    const [resumed, uninterrupted] = await Promise.all([carol.client.result(job.id), dave.client.result(clean.job.id)]);
    expect(resumed.transcript.segments.length).toBeGreaterThan(10);
    expect(resumed.transcript.segments).toEqual(uninterrupted.transcript.segments);
  }, 180_000);

  it('hands a running job back on SIGTERM when it cannot finish within the grace period, and another worker finishes it', async () => {
    const { wav } = readSpeechTake(12);
    const { job } = await carol.client.submit({ uploadId: (await carol.client.upload(wav)).uploadId, options: OPTIONS });
    const worker = await eventually('the job to start', () => workerRunning(job.id));
    worker.child.kill('SIGTERM');
    const stoppedAt = Date.now();
    await worker.exited;
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    const done = await until(carol.client, job.id, ['done', 'failed']);
    expect(done.state).toBe('done');
    expect(poolLogs()).toMatch(new RegExp(`"jobId":"${job.id}".*"msg":"job handed back on shutdown"`));
    await pool.pool.startWorker('transcribe');
  }, 180_000);

  it('stops a running job when it is canceled, keeps no result, and its worker goes on to the next job', async () => {
    const { wav } = readSpeechTake(10);
    const { job } = await carol.client.submit({ uploadId: (await carol.client.upload(wav)).uploadId, options: OPTIONS });
    expect(job.state).toBe('queued');
    const worker = await eventually('the job to start', () => workerRunning(job.id));
    expect((await carol.client.cancel(job.id)).state).toBe('canceled');
    await eventually('the worker to stop it', async () => new RegExp(`"jobId":"${job.id}".*"msg":"job canceled while running"`).test(poolLogs()), 30_000);
    const next = await carol.client.submit({ uploadId: (await carol.client.upload(utterances[9]!)).uploadId, options: OPTIONS });
    expect((await carol.client.follow(next.job.id)).state).toBe('done');
    const { rows } = await pool.db.query('SELECT state, (SELECT count(*) FROM results WHERE job_id = $1)::int AS results FROM jobs WHERE id = $1', [job.id]);
    expect(rows[0]).toEqual({ state: 'canceled', results: 0 });
    expect(worker.child.exitCode).toBeNull();
  }, 120_000);

  it('loses nothing when Redis restarts mid-run', async () => {
    const files = utterances.slice(0, 6);
    const jobs = [];
    for (const file of files) jobs.push((await carol.client.submit({ uploadId: (await carol.client.upload(file)).uploadId, options: OPTIONS })).job);
    await pool.pool.redis.restart();
    const finished = await Promise.all(jobs.map((job) => until(carol.client, job.id, ['done', 'failed'])));
    expect(finished.map((job) => job.state)).toEqual(files.map(() => 'done'));
    const { rows } = await pool.db.query('SELECT count(*)::int AS results FROM results WHERE job_id = ANY($1::uuid[])', [jobs.map((job) => job.id)]);
    expect(rows[0].results).toBe(files.length);
  }, 180_000);

  it('finishes on one gateway an upload begun on another', async () => {
    const [first, second] = pool.pool.gateways;
    const onFirst = pool.client(carol.token, first!.url);
    const onSecond = pool.client(carol.token, second!.url);
    const controller = new AbortController();
    let url = '';
    const file = utterances[6]!;
    await expect(
      onFirst.upload(file, { chunkSize: 64 * 1024, onUploadUrl: (value) => (url = value), onProgress: (sent) => sent >= 64 * 1024 && controller.abort(new Error('moved')), signal: controller.signal }),
    ).rejects.toThrow('moved');
    expect(url.startsWith(first!.url)).toBe(true);
    const finished = await onSecond.upload(file, { uploadUrl: url.replace(first!.url, second!.url), chunkSize: 64 * 1024 });
    const { job } = await onSecond.submit({ uploadId: finished.uploadId, options: OPTIONS });
    expect((await onFirst.follow(job.id)).state).toBe('done');
    expect((await onFirst.result(job.id)).transcript.segments.length).toBeGreaterThan(0);
  }, 120_000);

  it('deletes a job, its transcript and its events once its retention ends, and nothing of its tenant stays', async () => {
    const erin = await pool.tenant('erin');
    const { uploadId } = await erin.client.upload(utterances[8]!);
    const { job } = await erin.client.submit({ uploadId, options: OPTIONS });
    const done = await erin.client.follow(job.id);
    expect(Date.parse(done.expiresAt!) - Date.parse(done.finishedAt!)).toBeCloseTo(3600_000, -3);
    expect((await erin.client.result(job.id)).transcript.segments.length).toBeGreaterThan(0);
    // Its retention ends now, as if the hour had passed.
    await pool.db.query("UPDATE jobs SET expires_at = now() - interval '1 second' WHERE id = $1", [job.id]);
    await eventually('the job to be deleted', async () => (await erin.client.job(job.id).catch((error) => error)).status === 404, 20_000);
    const left = await pool.db.query(
      `SELECT (SELECT count(*) FROM jobs WHERE tenant_id = $1)::int AS jobs, (SELECT count(*) FROM results r JOIN jobs j ON j.id = r.job_id WHERE j.tenant_id = $1)::int AS results,
              (SELECT count(*) FROM uploads WHERE tenant_id = $1 AND deleted_at IS NULL)::int AS uploads, (SELECT count(*) FROM usage WHERE tenant_id = $1)::int AS usage`,
      [erin.tenantId],
    );
    // The ledger keeps amounts, never content.
    expect(left.rows[0]).toEqual({ jobs: 0, results: 0, uploads: 0, usage: 1 });
    expect(existsSync(path.join(pool.dataDir, 'uploads', uploadId))).toBe(false);
    const redis = new Redis(pool.pool.redis.url);
    expect(await redis.exists(`verbatim:job-events:${job.id}`)).toBe(0);
    await redis.quit();
  }, 120_000);

  it('keeps a failed job’s reason for the dead-letter view; tokens are made and revoked by the admin CLI', async () => {
    const transcribers = pool.pool.workers.filter((worker) => worker.name.includes('transcribe') && worker.child.exitCode === null);
    for (const worker of transcribers) worker.child.kill('SIGSTOP');
    let job: PoolJobView;
    try {
      const { uploadId } = await carol.client.upload(utterances[7]!);
      job = (await carol.client.submit({ uploadId, options: OPTIONS })).job;
      // Its audio vanishes from storage before any worker gets to it.
      rmSync(path.join(pool.dataDir, 'uploads', uploadId));
    } finally {
      for (const worker of transcribers) worker.child.kill('SIGCONT');
    }
    const failed = await until(carol.client, job.id, ['done', 'failed']);
    expect(failed.state).toBe('failed');
    expect(failed.error).toEqual({ code: 'not-found', message: `“${path.basename(utterances[7]!)}” could not be found; it may have been moved or deleted.` });
    const lines: string[] = [];
    const env = { ...process.env, VERBATIM_DATABASE_URL: pool.pool.postgres.url };
    expect(await runAdmin(['jobs', 'failed'], (line) => lines.push(line), env)).toBe(0);
    expect(lines.find((line) => line.startsWith(job.id))).toMatch(/\tcarol\t.*attempts 1\t/);

    lines.length = 0;
    expect(await runAdmin(['tokens', 'create', '--tenant', 'carol', '--label', 'laptop'], (line) => lines.push(line), env)).toBe(0);
    const token = lines[0]!;
    expect(token).toMatch(/^vbt_[a-z0-9]{8}_[A-Za-z0-9]{32}$/);
    const { rows } = await pool.db.query('SELECT hash FROM api_tokens WHERE prefix = $1', [token.slice(4, 12)]);
    expect(rows[0].hash.toString('hex')).not.toContain(token);
    const laptop = pool.client(token);
    expect((await laptop.status()).tenant).toBe('carol');
    expect(await runAdmin(['tokens', 'revoke', token.slice(4, 12)], () => undefined, env)).toBe(0);
    await eventually('the revoked token to be refused', async () => (await laptop.status().catch((error) => error)).status === 401, 10_000);
    expect(await runAdmin(['tokens', 'create', '--tenant', 'nobody'], (line) => lines.push(line), env)).toBe(2);
    expect(lines.at(-1)).toMatch(/There is no tenant "nobody"/);
  }, 120_000);
});

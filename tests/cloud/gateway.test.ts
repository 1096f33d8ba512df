// The pool's gateway against a real pool: Redis, PostgreSQL, TLS with the test's own CA, a worker
// running the desktop's engine. Uploads, jobs, tenants, limits, and answers to bad requests.
import { copyFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcessSpawner } from '../../core/node/child-process-worker';
import { PoolRequestError, type PoolClient } from '../../core/pool/pool-client';
import { WorkerSupervisor } from '../../core/supervisor/worker-supervisor';
import { freePort } from '../../cloud/local/services';
import { eventually, localEngineInput, startTestPool, type TestPool } from '../helpers/pool';
import { cachedMedia, ffmpeg, scratchDir, sharedAudio, workerEntry } from '../helpers/media';

const utterance = (id: string) => path.join(sharedAudio, 'read-speech/wav', `${id}.wav`);
/** Requests a minute per token; the tests' own tenants stay under it. */
const RATE = 150;
const OPTIONS = { model: 'whisper-tiny', language: 'en', diarization: 'builtin' } as const;

let pool: TestPool;
let alice: { token: string; client: PoolClient; tenantId: string };
let bob: { token: string; client: PoolClient; tenantId: string };
let agent: Agent;
let workerMetricsPort: number;

/** A raw HTTPS request to the gateway, for what the typed client would never send. */
async function raw(method: string, route: string, init: { headers?: Record<string, string>; body?: string | Buffer } = {}) {
  const response = await request(`${pool.pool.url}${route}`, { method: method as 'GET', dispatcher: agent, headers: init.headers, body: init.body });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

beforeAll(async () => {
  workerMetricsPort = await freePort();
  // The light worker in a process of its own: pausing the transcribe worker must not stop uploads being probed.
  pool = await startTestPool('gateway', { workers: ['transcribe', 'light'], env: { VERBATIM_WORKER_METRICS_PORT: String(workerMetricsPort), VERBATIM_RATE_PER_MINUTE: String(RATE), VERBATIM_MAX_UPLOAD_BYTES: String(20 * 1024 * 1024), VERBATIM_MAX_QUEUED: '3' } });
  agent = new Agent({ connect: { ca: pool.pool.certificate.ca } });
  alice = await pool.tenant('alice');
  bob = await pool.tenant('bob');
}, 120_000);

afterAll(async () => {
  await agent?.close();
  await pool?.stop();
});

describe('cloud pool: the gateway', () => {
  it('transcribes an upload exactly as the desktop engine does, and the same audio and options give the same job', async () => {
    const file = utterance('LJ001-0001');
    const { uploadId } = await alice.client.upload(file);
    const submitted = await alice.client.submit({ uploadId, options: OPTIONS });
    expect(submitted.created).toBe(true);
    const seen: string[] = [];
    const finished = await alice.client.follow(submitted.job.id, (view) => seen.push(`${view.state}:${view.stage ?? ''}`));
    expect(finished.state).toBe('done');
    expect(seen).toContain('running:transcribe');
    expect(finished.engine?.provider).toBe('cpu');
    expect(finished.engine?.fallbacks.map((fallback) => fallback.provider)).toContain('cuda');
    const { transcript } = await alice.client.result(finished.id);

    // The desktop's engine process, same file and settings.
    const supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(workerEntry) });
    const input = localEngineInput(file, scratchDir('desktop-engine'), {
      tier: 'builtin',
      neural: null,
      fallbacks: [],
      speakers: { exact: null, min: null, max: null },
      device: 'auto',
    });
    const desktop = await supervisor.run({ jobId: 1, kind: 'process-media', input, signal: new AbortController().signal, onProgress: () => undefined });
    supervisor.dispose();
    expect(transcript.segments.map((segment) => segment.text).join(' ')).toMatch(/printing, in the only sense/i);
    expect(transcript.segments).toEqual(desktop.output.transcript!.segments);
    expect(transcript.speakers).toEqual(desktop.output.transcript!.speakers);

    // The upload is gone once its job ended; the same audio uploaded again, with the same options, is the same job.
    await eventually('the upload to be deleted', async () => (await pool.db.query('SELECT deleted_at FROM uploads WHERE id = $1', [uploadId])).rows[0]?.deleted_at);
    const again = await alice.client.submit({ uploadId: (await alice.client.upload(file)).uploadId, options: OPTIONS });
    expect(again).toMatchObject({ created: false, job: { id: finished.id, state: 'done' } });
    const otherOptions = await alice.client.submit({ uploadId: (await alice.client.upload(file)).uploadId, options: { ...OPTIONS, diarization: 'off' } });
    expect(otherOptions.created).toBe(true);
    expect(otherOptions.job.id).not.toBe(finished.id);
    // Another tenant's same audio is that tenant's own job.
    const bobs = await bob.client.submit({ uploadId: (await bob.client.upload(file)).uploadId, options: OPTIONS });
    expect(bobs.created).toBe(true);
    await Promise.all([alice.client.follow(otherOptions.job.id), bob.client.follow(bobs.job.id)]);
    const { rows } = await pool.db.query('SELECT count(*)::int AS jobs FROM jobs');
    expect(rows[0].jobs).toBe(3);
  });

  it('keeps tenants apart: another tenant’s job and upload are not found, a bad token gets 401', async () => {
    const { uploadId, uploadUrl } = await alice.client.upload(utterance('LJ001-0002'));
    const { job } = await alice.client.submit({ uploadId, options: OPTIONS });
    for (const call of [() => bob.client.job(job.id), () => bob.client.result(job.id), () => bob.client.cancel(job.id)]) {
      await expect(call()).rejects.toMatchObject({ status: 404, code: 'not-found' });
    }
    expect((await raw('GET', `/v1/jobs/${job.id}/events`, { headers: { authorization: `Bearer ${bob.token}` } })).status).toBe(404);
    expect((await bob.client.jobs()).map((item) => item.id)).not.toContain(job.id);
    await expect(bob.client.submit({ uploadId, options: OPTIONS })).rejects.toMatchObject({ status: 404, code: 'upload-not-found' });
    const head = await raw('HEAD', new URL(uploadUrl).pathname, { headers: { authorization: `Bearer ${bob.token}`, 'tus-resumable': '1.0.0' } });
    expect(head.status).toBe(404);
    // A client cannot claim a tenant by sending the header the gateway uses inside.
    const spoofed = await raw('GET', `/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${bob.token}`, 'x-verbatim-tenant': alice.tenantId } });
    expect(spoofed.status).toBe(404);

    for (const authorization of ['', 'Bearer ', `Bearer ${alice.token}x`, `Bearer vbt_aaaaaaaa_${'A'.repeat(32)}`, 'Basic YWxpY2U6eA==']) {
      const answer = await raw('GET', '/v1/pool', { headers: authorization ? { authorization } : {} });
      expect(answer.status, authorization).toBe(401);
      expect(JSON.parse(answer.text).error.code).toBe('unauthorized');
    }
    await alice.client.follow(job.id);
  });

  it('resumes an upload after the connection drops, and refuses one that is too big, corrupted or not audio', async () => {
    const big = cachedMedia('cloud-resume.wav', (partial) => ffmpeg('-i', utterance('LJ001-0003'), '-ar', '48000', '-ac', '2', partial));
    const controller = new AbortController();
    let url = '';
    const first = alice.client.upload(big, {
      chunkSize: 256 * 1024,
      onUploadUrl: (value) => (url = value),
      onProgress: (sent) => sent > 300 * 1024 && controller.abort(new Error('connection dropped')),
      signal: controller.signal,
    });
    await expect(first).rejects.toThrow('connection dropped');
    const head = await raw('HEAD', new URL(url).pathname, { headers: { authorization: `Bearer ${alice.token}`, 'tus-resumable': '1.0.0' } });
    const offset = Number(head.headers['upload-offset']);
    expect(offset).toBeGreaterThan(0);
    let resumedFrom = -1;
    const resumed = await alice.client.upload(big, { uploadUrl: url, chunkSize: 256 * 1024, onProgress: (sent) => resumedFrom < 0 && (resumedFrom = sent) });
    expect(resumed.uploadUrl).toBe(url);
    expect(resumedFrom).toBeGreaterThanOrEqual(offset);
    const { job } = await alice.client.submit({ uploadId: resumed.uploadId, options: { ...OPTIONS, diarization: 'off' } });
    expect((await alice.client.follow(job.id)).state).toBe('done');

    const tooBig = await raw('POST', '/v1/uploads', {
      headers: { authorization: `Bearer ${alice.token}`, 'tus-resumable': '1.0.0', 'upload-length': String(21 * 1024 * 1024), 'upload-metadata': `sha256 ${Buffer.from('0'.repeat(64)).toString('base64')}` },
    });
    expect(tooBig.status).toBe(413);

    const dir = scratchDir('cloud-bad');
    const text = path.join(dir, 'notes.mp3');
    writeFileSync(text, 'these are not sounds\n'.repeat(200));
    await expect(alice.client.upload(text)).rejects.toMatchObject({ status: 422 });
    const copy = path.join(dir, 'copy.wav');
    copyFileSync(utterance('LJ001-0004'), copy);
    await expect(alice.client.upload(copy, { sha256: 'f'.repeat(64) })).rejects.toMatchObject({ status: 460 });
    const noHash = await raw('POST', '/v1/uploads', { headers: { authorization: `Bearer ${alice.token}`, 'tus-resumable': '1.0.0', 'upload-length': '100' } });
    expect(noHash.status).toBe(400);
  });

  it('answers SSE with Last-Event-ID from where the client left off, and cancels', async () => {
    const { uploadId } = await alice.client.upload(utterance('LJ001-0005'));
    const { job } = await alice.client.submit({ uploadId, options: { ...OPTIONS, priority: 'low' } });
    await alice.client.follow(job.id);
    const all = await raw('GET', `/v1/jobs/${job.id}/events?lastEventId=0-0`, { headers: { authorization: `Bearer ${alice.token}` } });
    const ids = [...all.text.matchAll(/^id: (.+)$/gm)].map((match) => match[1]!);
    expect(ids.length).toBeGreaterThan(2);
    expect(all.text).toMatch(/"state":"done"/);
    const later = await raw('GET', `/v1/jobs/${job.id}/events`, { headers: { authorization: `Bearer ${alice.token}`, 'last-event-id': ids[ids.length - 2]! } });
    expect([...later.text.matchAll(/^id: (.+)$/gm)].map((match) => match[1])).toEqual([ids[ids.length - 1]]);

    // Cancel while it waits: the worker is paused, so it cannot start.
    const worker = pool.pool.workers[0]!.child;
    worker.kill('SIGSTOP');
    try {
      const waiting = await alice.client.submit({ uploadId: (await alice.client.upload(utterance('LJ001-0006'))).uploadId, options: OPTIONS });
      expect(waiting.job.state).toBe('queued');
      expect(waiting.job.position).toBe(0);
      // From the speed measured on the jobs done so far.
      expect(waiting.job.etaSec).toBeGreaterThan(0);
      const canceled = await alice.client.cancel(waiting.job.id);
      expect(canceled.state).toBe('canceled');
      await expect(alice.client.result(waiting.job.id)).rejects.toMatchObject({ status: 409, code: 'not-done' });
    } finally {
      worker.kill('SIGCONT');
    }
  });

  it('says 429 with Retry-After over the request rate, the daily quota, or a full queue', async () => {
    const hasty = await pool.tenant('hasty');
    const answers = [];
    for (let index = 0; index <= RATE; index += 1) answers.push(await raw('GET', '/v1/pool', { headers: { authorization: `Bearer ${hasty.token}` } }));
    expect(answers.slice(0, RATE).every((answer) => answer.status === 200)).toBe(true);
    expect(answers[RATE]!.status).toBe(429);
    expect(Number(answers[RATE]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(answers[RATE]!.text).error.code).toBe('rate-limited');
    // Starting an upload is rationed; its chunks are not (a big file is hundreds of them): here 2 × RATE chunks.
    const file = path.join(sharedAudio, 'read-speech/wav/LJ001-0012.wav');
    await expect(hasty.client.upload(file)).rejects.toMatchObject({ status: 429 });
    const chunky = await pool.tenant('chunky');
    const chunkSize = Math.floor(statSync(file).size / (2 * RATE));
    expect((await chunky.client.upload(file, { chunkSize })).uploadId).toMatch(/^[0-9a-f]{32}$/);

    const frugal = await pool.tenant('frugal', 0.1);
    const { uploadId } = await frugal.client.upload(utterance('LJ001-0007'));
    const refusal = await frugal.client.submit({ uploadId, options: OPTIONS }).catch((error: PoolRequestError) => error);
    expect(refusal).toMatchObject({ status: 429, code: 'quota-exceeded' });
    expect((refusal as PoolRequestError).retryAfterSec).toBeGreaterThan(0);
    expect((refusal as PoolRequestError).retryAfterSec).toBeLessThanOrEqual(24 * 3600);

    const worker = pool.pool.workers[0]!.child;
    worker.kill('SIGSTOP');
    try {
      const busy = await pool.tenant('busy');
      const ids = ['LJ001-0008', 'LJ001-0009', 'LJ001-0010', 'LJ001-0011'];
      const uploads = await Promise.all(ids.map((id) => busy.client.upload(utterance(id))));
      for (const upload of uploads.slice(0, 3)) expect((await busy.client.submit({ uploadId: upload.uploadId, options: OPTIONS })).job.state).toBe('queued');
      await expect(busy.client.submit({ uploadId: uploads[3]!.uploadId, options: OPTIONS })).rejects.toMatchObject({ status: 429, code: 'queue-full' });
      const status = await busy.client.status();
      expect(status.queued).toBe(3);
    } finally {
      worker.kill('SIGCONT');
    }
  });

  it('never answers a malformed request with a 500, and stays up (fuzzed bodies, headers and paths)', async () => {
    const body = fc.oneof(
      fc.json(),
      fc.string(),
      fc.record({ uploadId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), options: fc.anything() }, { requiredKeys: [] }),
      fc.record({
        uploadId: fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
        options: fc.record({ model: fc.string(), language: fc.anything(), priority: fc.string(), speakers: fc.anything() }, { requiredKeys: [] }),
      }),
    );
    const header = fc.dictionary(
      fc.constantFrom('content-type', 'last-event-id', 'upload-length', 'upload-offset', 'upload-metadata', 'tus-resumable', 'x-verbatim-tenant', 'upload-defer-length'),
      fc.string({ maxLength: 40 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')),
    );
    const route = fc.constantFrom('/v1/jobs', '/v1/jobs/00000000-0000-0000-0000-000000000000', '/v1/jobs/x', '/v1/jobs/../pool', '/v1/uploads', '/v1/uploads/abc', '/v1/jobs/%ZZ/events', '/v1/pool', '/nothing');
    const method = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'HEAD', 'PUT');
    const fuzzer = await pool.tenant('fuzzer');
    await pool.db.query("UPDATE tenants SET quota_audio_sec_per_day = 1e9 WHERE name = 'fuzzer'");
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(method, route, header, body, async (verb, where, headers, payload) => {
        const answer = await raw(verb, where, {
          headers: { ...headers, authorization: `Bearer ${fuzzer.token}` },
          body: verb === 'GET' || verb === 'HEAD' ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
        });
        statuses.add(answer.status);
        expect(answer.status, `${verb} ${where} ${JSON.stringify(headers)}`).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
    expect(statuses.has(400)).toBe(true);
    expect((await raw('GET', '/healthz')).status).toBe(200);
  }, 120_000);

  it('reports health, readiness and Prometheus metrics', async () => {
    expect(JSON.parse((await raw('GET', '/healthz')).text)).toEqual({ ok: true });
    // The worker paused by the tests before missed its heartbeats: ready again once it beats.
    const ready = await eventually('the pool to be ready', async () => {
      const answer = await raw('GET', '/readyz');
      return answer.status === 200 && answer;
    }, 20_000);
    expect(JSON.parse(ready.text).checks.map((item: { name: string; ok: boolean }) => `${item.name}:${item.ok}`)).toEqual(['redis:true', 'postgres:true', 'storage:true', 'workers:true']);
    const metrics = (await raw('GET', '/metrics')).text;
    expect(metrics).toMatch(/^verbatim_http_requests_total\{method="POST",route="\/v1\/jobs",status="201"\} \d+/m);
    expect(metrics).toMatch(/^verbatim_queue_jobs\{queue="transcribe-default",state="prioritized"\} \d+/m);
    expect(metrics).toMatch(/^verbatim_gpu_seconds_total\{tenant="alice"\} [\d.]+/m);
    expect(metrics).toMatch(/^verbatim_realtime_factor\{queue="transcribe-default"\} [1-9][\d.]*/m);
    expect(metrics).toMatch(/^verbatim_workers\{queue="transcribe-default"\} 1$/m);
    // The transcribe worker's own: job durations by outcome, and speed.
    const worker = await (await request(`http://127.0.0.1:${workerMetricsPort}/metrics`)).body.text();
    const done = Number(/^verbatim_job_duration_seconds_count\{queue="transcribe-default",outcome="done"\} (\d+)$/m.exec(worker)?.[1]);
    expect(done).toBeGreaterThanOrEqual(5);
    expect(worker).toMatch(/^verbatim_job_realtime_factor_count\{queue="transcribe-default",provider="cpu"\} \d+$/m);
  });
});

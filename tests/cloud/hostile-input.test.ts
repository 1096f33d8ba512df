// The pool as an attacker meets it: requests without a token spelled every way the router accepts, other tenants'
// uploads named from inside files, hostile and malformed media, audio that hides its length, and the operator's
// endpoints. Everything real: Redis, PostgreSQL, TLS with the test's CA, the gateway and a worker.
import { execFileSync } from 'node:child_process';
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_PREFIX } from '../../cloud/queues';
import { PoolRequestError, type PoolClient } from '../../core/pool/pool-client';
import { CANARY_WORDS, makeCanary, makeHostileCorpus, matroskaStating } from '../helpers/hostile-media';
import { probeDuration, scratchDir, sharedAudio } from '../helpers/media';
import { eventually, startTestPool, type TestPool } from '../helpers/pool';

const OPTIONS = { model: 'whisper-tiny', language: 'en', diarization: 'off' } as const;
const EXPIRY_SEC = 8;
const utterance = (id: string) => path.join(sharedAudio, 'read-speech/wav', `${id}.wav`);

let pool: TestPool;
let redis: Redis;
let alice: { token: string; client: PoolClient; tenantId: string };
let bob: { token: string; client: PoolClient; tenantId: string };
/** Alice's upload, created and left unfinished: what a request without her token must not touch. */
let aliceUpload: string;

interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/** One request written by hand over TLS: the request target goes out exactly as given (encoded, absolute-form…). */
function rawHttps(method: string, target: string, init: { headers?: Record<string, string>; body?: Buffer | string; localAddress?: string; port?: number } = {}): Promise<RawAnswer> {
  const port = init.port ?? Number(new URL(pool.pool.url).port);
  const body = typeof init.body === 'string' ? Buffer.from(init.body) : (init.body ?? Buffer.alloc(0));
  const headers = { host: `127.0.0.1:${port}`, connection: 'close', 'content-length': String(body.length), ...init.headers };
  return new Promise((resolve, reject) => {
    // From a chosen local address: the gateway sees a peer that is not this machine's 127.0.0.1.
    const tcp = net.connect({ host: '127.0.0.1', port, localAddress: init.localAddress });
    const socket = tls.connect({ socket: tcp, host: '127.0.0.1', ca: pool.pool.certificate.ca }, () => {
      socket.write(`${method} ${target} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n`);
      socket.write(body);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: split < 0 ? '' : text.slice(split + 4) });
    });
  });
}

const tusCreation = (length: number) => ({
  'tus-resumable': '1.0.0',
  'upload-length': String(length),
  'upload-metadata': `sha256 ${Buffer.from('0'.repeat(64)).toString('base64')},filename ${Buffer.from('x.wav').toString('base64')}`,
});

/** What an upload leaves behind: tus records in Redis, files in the storage folder, accepted rows in PostgreSQL. */
async function uploadTraces(): Promise<{ records: number; files: number; rows: number }> {
  const records = (await redis.keys(`${REDIS_PREFIX}:tus:*`)).length;
  const files = readdirSync(path.join(pool.dataDir, 'uploads')).length;
  const rows = Number((await pool.db.query('SELECT count(*) FROM uploads')).rows[0].count);
  return { records, files, rows };
}

beforeAll(async () => {
  pool = await startTestPool('hostile', { env: { VERBATIM_UPLOAD_EXPIRY_SEC: String(EXPIRY_SEC), VERBATIM_SWEEP_INTERVAL_MS: '1000', VERBATIM_RATE_PER_MINUTE: '1000' } });
  redis = new Redis(pool.pool.redis.url);
  alice = await pool.tenant('alice');
  bob = await pool.tenant('bob');
  const created = await rawHttps('POST', '/v1/uploads', { headers: { ...tusCreation(1000), authorization: `Bearer ${alice.token}` } });
  expect(created.status).toBe(201);
  aliceUpload = /^location: .*\/([^/\s]+)\s*$/im.exec(created.head)![1]!;
}, 120_000);

afterAll(async () => {
  redis?.disconnect();
  await pool?.stop();
});

describe('cloud pool: one authentication gate for every route', () => {
  it('refuses each reproduced bypass, and an upload is made for no one', async () => {
    const before = await uploadTraces();
    const { port } = new URL(pool.pool.url);
    for (const target of ['/%761/uploads', '/v%31/uploads', '/%76%31/%75ploads', `https://127.0.0.1:${port}/v1/uploads`, `https://evil.example/v1/uploads`, '//v1/uploads']) {
      const answer = await rawHttps('POST', target, { headers: tusCreation(50_000_000) });
      expect(answer.status, target).toBeGreaterThanOrEqual(400);
      expect(answer.status, target).toBeLessThan(500);
      expect(answer.head, target).not.toMatch(/^location:/im);
    }
    // Data for someone else's upload, by an encoded path: refused before tus reads a byte.
    for (const target of [`/v%31/uploads/${aliceUpload}`, `https://127.0.0.1:${port}/v1/uploads/${aliceUpload}`]) {
      const patch = await rawHttps('PATCH', target, { headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: Buffer.alloc(1000, 7) });
      expect(patch.status, target).toBe(401);
    }
    const head = await rawHttps('HEAD', `/v1/uploads/${aliceUpload}`, { headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${alice.token}` } });
    expect(head.head).toMatch(/^upload-offset: 0\s*$/im);
    expect(await uploadTraces()).toEqual(before);
  });

  it('answers no spelling of a path without a token with anything but a refusal (fuzzed encodings and absolute forms)', async () => {
    const before = await uploadTraces();
    const { port } = new URL(pool.pool.url);
    const base = fc.constantFrom('/v1/uploads', `/v1/uploads/${aliceUpload}`, '/v1/jobs', '/v1/pool', '/v1/jobs/00000000-0000-0000-0000-000000000000/result');
    const spelled = fc
      .record({
        path: base,
        encode: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        upper: fc.boolean(),
        prefix: fc.constantFrom('', `https://127.0.0.1:${port}`, `http://127.0.0.1:${port}`, 'https://pool.example', 'HTTPS://127.0.0.1'),
        doubled: fc.constantFrom('', '/', '/./', '/x/../'),
        trailing: fc.constantFrom('', '/', '?a=1', '#x', '/.'),
      })
      .map(({ path: route, encode, upper, prefix, doubled, trailing }) => {
        const encoded = [...route]
          .map((char, index) => {
            if (!encode[index] || char === '/') return char;
            const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
            return `%${upper ? hex.toUpperCase() : hex}`;
          })
          .join('');
        return `${prefix}${doubled ? encoded.replace('/', doubled.endsWith('/') ? doubled : `${doubled}/`) : encoded}${trailing}`;
      });
    const method = fc.constantFrom('POST', 'PATCH', 'HEAD', 'GET', 'DELETE', 'PUT');
    const credentials = fc.constantFrom<Record<string, string>>({}, { authorization: `Bearer vbt_deadbeef_${'x'.repeat(32)}` }, { authorization: 'Basic YWxpY2U6YWxpY2U=' }, { authorization: 'Bearer ' });
    await fc.assert(
      fc.asyncProperty(method, spelled, credentials, async (verb, target, auth) => {
        const patching = verb === 'PATCH';
        const answer = await rawHttps(verb, target, {
          headers: { ...tusCreation(1000), ...(patching ? { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' } : {}), ...auth },
          body: patching ? Buffer.alloc(500, 1) : undefined,
        });
        expect(answer.status, `${verb} ${target}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${verb} ${target}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    expect(await uploadTraces()).toEqual(before);
  }, 120_000);

  it('says what went wrong in its own words: never a parser\'s, PostgreSQL\'s or a stack', async () => {
    const broken = await rawHttps('POST', '/v1/jobs', { headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: '{"uploadId": ' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toEqual({ error: { code: 'bad-request', message: 'The request could not be read.' } });
    const typed = await rawHttps('POST', '/v1/jobs', { headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'text/x-nonsense' }, body: 'x' });
    expect(typed.status).toBe(415);
    expect(JSON.parse(typed.body).error.message).toBe('This content type is not accepted here.');
    const unknown = await rawHttps('GET', '/v1/nothing-here', { headers: { authorization: `Bearer ${alice.token}` } });
    expect(unknown.status).toBe(404);
    // The storage folder replaced by a file under the gateway: tus's own answer would carry the error's text, the path in it.
    const storage = path.join(pool.dataDir, 'uploads');
    renameSync(storage, `${storage}.away`);
    writeFileSync(storage, 'not a folder');
    try {
      const failed = await rawHttps('POST', '/v1/uploads', { headers: { ...tusCreation(1000), authorization: `Bearer ${alice.token}` } });
      expect(failed.status).toBe(500);
      expect(failed.body.trim()).toBe('The pool could not take this upload; try again.');
    } finally {
      rmSync(storage, { force: true });
      renameSync(`${storage}.away`, storage);
    }
  });
});

describe('cloud pool: the operator\'s endpoints are private by default', () => {
  it('serves /metrics and /readyz\'s reasons to this machine only, and to the world says only whether it is ready', async () => {
    const local = await rawHttps('GET', '/metrics');
    expect(local.status).toBe(200);
    expect(local.body).toMatch(/^verbatim_http_requests_total/m);
    // Another address, even on this host's loopback range: not the operator's.
    const elsewhere = await rawHttps('GET', '/metrics', { localAddress: '127.0.0.2' });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body).not.toMatch(/tenant=|verbatim_/);
    await eventually('the pool to be ready', async () => (await rawHttps('GET', '/readyz')).status === 200, 20_000);
    expect(JSON.parse((await rawHttps('GET', '/readyz')).body).checks.map((check: { name: string }) => check.name)).toEqual(['redis', 'postgres', 'storage', 'workers']);
    expect(JSON.parse((await rawHttps('GET', '/readyz', { localAddress: '127.0.0.2' })).body)).toEqual({ ready: true });
  });

  it('with a metrics token, serves them to its holder only, wherever they are', async () => {
    const token = 'operator-secret-with-enough-length';
    const gateway = await pool.pool.startGateway(undefined, { VERBATIM_METRICS_TOKEN: token });
    try {
      const at = { port: gateway.port };
      expect((await rawHttps('GET', '/metrics', at)).status).toBe(401);
      expect((await rawHttps('GET', '/metrics', { ...at, headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await rawHttps('GET', '/metrics', { ...at, headers: { authorization: `Bearer ${token.slice(0, -1)}` } })).status).toBe(401);
      expect((await rawHttps('GET', '/metrics', { ...at, localAddress: '127.0.0.2', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
  });
});

describe('cloud pool: unfinished uploads expire', () => {
  it('tells the client by when to finish, and deletes what was not finished by then', async () => {
    const created = await rawHttps('POST', '/v1/uploads', { headers: { ...tusCreation(2000), authorization: `Bearer ${bob.token}` } });
    expect(created.head).toMatch(/^upload-expires: .+GMT\s*$/im);
    const id = /^location: .*\/([^/\s]+)\s*$/im.exec(created.head)![1]!;
    const half = await rawHttps('PATCH', `/v1/uploads/${id}`, {
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', authorization: `Bearer ${bob.token}` },
      body: Buffer.alloc(1000, 3),
    });
    expect(half.status).toBe(204);
    expect(readdirSync(path.join(pool.dataDir, 'uploads'))).toContain(id);
    for (const upload of [id, aliceUpload]) {
      await eventually(`upload ${upload} to expire`, async () => !readdirSync(path.join(pool.dataDir, 'uploads')).includes(upload), (EXPIRY_SEC + 15) * 1000);
    }
    expect(await redis.keys(`${REDIS_PREFIX}:tus:${id}*`)).toEqual([]);
    const gone = await rawHttps('HEAD', `/v1/uploads/${id}`, { headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${bob.token}` } });
    expect(gone.status).toBe(404);
  }, 60_000);
});

describe('cloud pool: hostile media', () => {
  it('fails every hostile file, even one naming another tenant\'s upload, and never hands out a word of it', async () => {
    // Alice's recording, uploaded and accepted, waiting in the shared storage under its id.
    const canary = makeCanary(scratchDir('pool-canary'));
    const aliceIds = {
      wav: (await alice.client.upload(canary.wav)).uploadId,
      mp3: (await alice.client.upload(canary.mp3)).uploadId,
      ts: (await alice.client.upload(canary.ts)).uploadId,
    };
    // Bob's files point at hers by the name it has in storage: relative to his own upload, in the same folder.
    const storage = path.join(pool.dataDir, 'uploads');
    const corpus = makeHostileCorpus(scratchDir('pool-hostile'), { absolute: (kind) => path.join(storage, aliceIds[kind]), relative: (kind) => aliceIds[kind] });
    const outcomes: string[] = [];
    for (const file of corpus) {
      let uploadId: string;
      try {
        ({ uploadId } = await bob.client.upload(file));
      } catch (error) {
        expect(error, path.basename(file)).toBeInstanceOf(PoolRequestError);
        expect((error as PoolRequestError).status, path.basename(file)).toBe(422);
        expect((error as Error).message, path.basename(file)).toMatch(/^The file (is not an audio or video format Verbatim can read|is damaged or incomplete|claims \d+ channels)/);
        outcomes.push('refused at upload');
        continue;
      }
      const { job } = await bob.client.submit({ uploadId, options: OPTIONS });
      const finished = await bob.client.follow(job.id);
      expect(finished.state, path.basename(file)).toBe('failed');
      expect(finished.error?.message, path.basename(file)).toMatch(/holds more audio than it states|is damaged|is not an audio or video format/);
      outcomes.push('failed as a job');
    }
    expect(outcomes.length).toBeGreaterThanOrEqual(25);
    expect(outcomes).toContain('refused at upload');
    expect(outcomes).toContain('failed as a job');
    // The pool goes on: Bob's real recording is transcribed, and no result of his holds a word of Alice's.
    const { uploadId } = await bob.client.upload(utterance('LJ001-0001'));
    const done = await bob.client.follow((await bob.client.submit({ uploadId, options: OPTIONS })).job.id);
    expect(done.state).toBe('done');
    const text = (await bob.client.result(done.id)).transcript.segments.map((segment) => segment.text).join(' ').toLowerCase();
    expect(text).toContain('printing');
    const results = await pool.db.query('SELECT r.transcript::text AS text FROM results r JOIN jobs j ON j.id = r.job_id WHERE j.tenant_id = $1', [bob.tenantId]);
    for (const word of CANARY_WORDS) for (const row of results.rows) expect(row.text.toLowerCase()).not.toContain(word);
  }, 240_000);
});

describe('cloud pool: usage is what was decoded', () => {
  it('charges a WebM written to a pipe (no length in its header) for its whole length', async () => {
    const source = utterance('LJ001-0004');
    const seconds = probeDuration(source);
    const file = path.join(scratchDir('pipe-webm'), 'browser-recording.webm');
    writeFileSync(file, execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', source, '-c:a', 'libopus', '-f', 'webm', 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 }));
    // As a browser's MediaRecorder leaves it: the container states no duration.
    expect(String(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file])).trim()).toBe('N/A');
    const carol = await pool.tenant('carol');
    const { uploadId } = await carol.client.upload(file);
    const stated = (await pool.db.query('SELECT duration_sec FROM uploads WHERE id = $1', [uploadId])).rows[0].duration_sec;
    expect(stated).toBeCloseTo(seconds, 0);
    const done = await carol.client.follow((await carol.client.submit({ uploadId, options: OPTIONS })).job.id);
    expect(done.state).toBe('done');
    const usage = (await pool.db.query('SELECT audio_sec FROM usage WHERE job_id = $1', [done.id])).rows[0].audio_sec;
    expect(usage).toBeCloseTo(seconds, 0);
    expect((await carol.client.status()).quota.usedTodaySec).toBeCloseTo(seconds, 0);
  }, 120_000);

  it('refuses a file that decodes more than a few percent longer than it was charged for', async () => {
    // Twenty seconds stated, thirty held: within what a desktop lets pass (estimates of length are rough),
    // not what the pool charged for.
    const dir = scratchDir('longer-than-charged');
    const file = path.join(dir, 'stated-20s.mka');
    writeFileSync(file, matroskaStating(dir, 20, 30));
    const dave = await pool.tenant('dave');
    const { uploadId } = await dave.client.upload(file);
    expect((await pool.db.query('SELECT duration_sec FROM uploads WHERE id = $1', [uploadId])).rows[0].duration_sec).toBeCloseTo(20, 0);
    const finished = await dave.client.follow((await dave.client.submit({ uploadId, options: OPTIONS })).job.id);
    expect(finished.state).toBe('failed');
    expect(finished.error?.message).toBe('“stated-20s.mka” holds more audio than it states (0:20); it is damaged or not what it claims to be.');
    expect((await pool.db.query('SELECT count(*) FROM usage u JOIN jobs j ON j.id = u.job_id WHERE j.tenant_id = $1', [dave.tenantId])).rows[0].count).toBe('0');
  }, 120_000);
});

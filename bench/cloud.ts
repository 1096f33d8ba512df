// Cloud pool benchmark: `npm run bench:cloud`. A whole pool on this machine (Redis, PostgreSQL,
// TLS gateway, workers from the built bundles), measured from a client on loopback:
//  1. status polls: 50 clients polling their job for 10 s — throughput and p50/p99 latency;
//  2. SSE fan-out: 500 subscribers to one job — how long until all hear its change;
//  3. end-to-end overhead: a 1-minute real-speech file through the pool against the same file run by
//     the desktop's engine process directly (the obvious alternative: transcribe locally);
//  4. throughput with 1 and 2 workers: 8 real-speech files of ~30 s, audio seconds per second.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { LocalPool } from '../cloud/local/local-pool';
import { createTenant, createToken } from '../cloud/db/tenants';
import { childProcessSpawner } from '../core/node/child-process-worker';
import { PoolClient } from '../core/pool/pool-client';
import { WorkerSupervisor } from '../core/supervisor/worker-supervisor';
import { ffmpeg, projectRoot, sharedAudio, sharedModels, workerEntry } from '../tests/helpers/media';
import { localEngineInput } from '../tests/helpers/pool';
import pg from 'pg';
import { longRealSpeech, readSpeech } from './lib/read-speech';

const OPTIONS = { model: 'whisper-tiny', language: 'en', diarization: 'off' } as const;
const work = path.join(projectRoot, '.cache/bench');
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function startPool(workers: number): Promise<{ pool: LocalPool; tenant: (name: string) => Promise<PoolClient>; stop: () => Promise<void> }> {
  const pool = await LocalPool.start({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'verbatim-bench-pool-')),
    distDir: path.join(projectRoot, 'dist'),
    // The benchmark's clients poll hard on purpose: the rate limit would measure itself.
    env: { VERBATIM_MODELS_DIR: sharedModels, VERBATIM_RATE_PER_MINUTE: '10000000', VERBATIM_RATE_PER_HOUR: '10000000', VERBATIM_LOG_LEVEL: 'warn' },
  });
  await pool.startWorker('light');
  for (let index = 0; index < workers; index += 1) await pool.startWorker('transcribe');
  await pool.startGateway();
  const db = new pg.Pool({ connectionString: pool.postgres.url, max: 2 });
  const clients: PoolClient[] = [];
  return {
    pool,
    tenant: async (name) => {
      const tenant = await createTenant(db, name, 1e9);
      const client = new PoolClient({ url: pool.url, token: (await createToken(db, tenant.id)).token, ca: pool.certificate.ca });
      clients.push(client);
      return client;
    },
    stop: async () => {
      await Promise.all(clients.map((client) => client.close()));
      await db.end();
      await pool.stop();
    },
  };
}

async function polls(): Promise<void> {
  const { pool, tenant, stop } = await startPool(1);
  try {
    const clients = await Promise.all(Array.from({ length: 50 }, (_, index) => tenant(`poller-${index}`)));
    const file = readSpeech(sharedAudio)[0]!.wav;
    const jobs = await Promise.all(clients.map(async (client) => (await client.submit({ uploadId: (await client.upload(file)).uploadId, options: OPTIONS })).job.id));
    const latencies: number[] = [];
    const until = Date.now() + 10_000;
    await Promise.all(
      clients.map(async (client, index) => {
        while (Date.now() < until) {
          const start = performance.now();
          await client.job(jobs[index]!);
          latencies.push(performance.now() - start);
        }
      }),
    );
    console.log(`status polls, 50 clients for 10 s (while the pool works through their 50 jobs): ${(latencies.length / 10).toFixed(0)} req/s, p50 ${ms(quantile(latencies, 0.5))}, p99 ${ms(quantile(latencies, 0.99))}`);

    // 500 subscribers to one waiting job, then a change: when does each hear it?
    const watcher = await tenant('watcher');
    const worker = pool.workers.find((item) => item.name.includes('transcribe'))!;
    worker.child.kill('SIGSTOP');
    const { job } = await watcher.submit({ uploadId: (await watcher.upload(readSpeech(sharedAudio)[1]!.wav)).uploadId, options: OPTIONS });
    const token = (watcher as unknown as { connection: { token: string } }).connection.token;
    const agent = new Agent({ connect: { ca: pool.certificate.ca }, connections: 600 });
    const heard: number[] = [];
    let changedAt = 0;
    const subscribers = Array.from({ length: 500 }, async () => {
      const response = await request(`${pool.url}/v1/jobs/${job.id}/events`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
      for await (const chunk of response.body) {
        if (String(chunk).includes('"state":"canceled"')) {
          heard.push(performance.now() - changedAt);
          break;
        }
      }
      response.body.destroy();
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    changedAt = performance.now();
    await watcher.cancel(job.id);
    await Promise.all(subscribers);
    worker.child.kill('SIGCONT');
    await agent.close();
    console.log(`SSE fan-out, 500 subscribers to one job: all heard its change within ${ms(Math.max(...heard))} (p50 ${ms(quantile(heard, 0.5))}, p99 ${ms(quantile(heard, 0.99))})`);
  } finally {
    await stop();
  }
}

async function overhead(): Promise<void> {
  const minute = longRealSpeech(sharedAudio, work, 1).file;
  const oneMinute = path.join(work, 'read-speech-60s.wav');
  ffmpeg('-i', minute, '-t', '60', oneMinute);
  const supervisor = new WorkerSupervisor({ spawn: childProcessSpawner(workerEntry) });
  const input = localEngineInput(oneMinute, work, null);
  // Warm both sides first (models opened once, as a running app and a running pool have them).
  await supervisor.run({ jobId: 1, kind: 'process-media', input, signal: new AbortController().signal, onProgress: () => undefined });
  let start = performance.now();
  await supervisor.run({ jobId: 2, kind: 'process-media', input: { ...input, cacheKey: 'local-engine-2' }, signal: new AbortController().signal, onProgress: () => undefined });
  const localMs = performance.now() - start;
  supervisor.dispose();

  const { tenant, stop } = await startPool(1);
  try {
    const warm = await tenant('warm');
    await warm.follow((await warm.submit({ uploadId: (await warm.upload(oneMinute)).uploadId, options: OPTIONS })).job.id);
    const client = await tenant('measured');
    start = performance.now();
    const { uploadId } = await client.upload(oneMinute);
    const uploadedMs = performance.now() - start;
    const { job } = await client.submit({ uploadId, options: OPTIONS });
    await client.follow(job.id);
    await client.result(job.id);
    const poolMs = performance.now() - start;
    console.log(
      `1-minute file, whisper-tiny, warm: local engine ${(localMs / 1000).toFixed(2)} s; through the pool ${(poolMs / 1000).toFixed(2)} s ` +
        `(upload ${(uploadedMs / 1000).toFixed(2)} s of it): overhead ${((poolMs - localMs) / 1000).toFixed(2)} s`,
    );
  } finally {
    await stop();
  }
}

async function throughput(workers: number): Promise<void> {
  const files = readSpeech(sharedAudio).slice(0, 16);
  // 8 files of about 30 s: pairs of utterances with a pause, so each is a whole window or more.
  const inputs = Array.from({ length: 8 }, (_, index) => {
    const out = path.join(work, `bench-cloud-${index}.wav`);
    ffmpeg('-i', files[2 * index]!.wav, '-i', files[2 * index + 1]!.wav, '-i', files[(2 * index + 2) % files.length]!.wav, '-filter_complex', 'concat=n=3:v=0:a=1', '-ar', '16000', '-ac', '1', out);
    return out;
  });
  const { tenant, stop } = await startPool(workers);
  try {
    const warm = await tenant('warm');
    await warm.follow((await warm.submit({ uploadId: (await warm.upload(inputs[0]!)).uploadId, options: { ...OPTIONS, task: 'translate' } })).job.id);
    const client = await tenant('measured');
    const start = performance.now();
    const jobs = await Promise.all(inputs.map(async (file) => (await client.submit({ uploadId: (await client.upload(file)).uploadId, options: OPTIONS })).job));
    const done = await Promise.all(jobs.map((job) => client.follow(job.id)));
    const seconds = (performance.now() - start) / 1000;
    const audio = done.reduce((sum, job) => sum + (job.durationSec ?? 0), 0);
    console.log(`throughput, ${workers} worker(s), 8 files (${audio.toFixed(0)} s of audio): ${seconds.toFixed(1)} s, ${(audio / seconds).toFixed(1)}× realtime`);
  } finally {
    await stop();
  }
}

console.log(`cloud pool benchmark — ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), ${new Date().toISOString().slice(0, 10)}`);
await polls();
await overhead();
await throughput(1);
await throughput(2);
process.exit(0);

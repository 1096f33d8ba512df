// Cloud offload end to end: the desktop's core against a real pool on loopback (Redis, PostgreSQL,
// TLS with the test's CA), on real read speech. Which side a job runs on, what happens when the
// pool goes away and comes back, a bad token, a pool worker killed mid-job, and the app killed
// mid-upload.
import BetterSqlite3 from 'better-sqlite3';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpeech } from '../../bench/lib/read-speech';
import { wordErrorRate } from '../../bench/lib/word-error-rate';
import type { Settings } from '../../contracts/domain';
import { SettingsStore } from '../../core/library/settings-store';
import type { VerbatimCore } from '../../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { readSpeechTake } from '../helpers/live';
import { scratchDir, sharedAudio } from '../helpers/media';
import { eventually, startTestPool, type TestPool } from '../helpers/pool';
import { callHost, startWebHost } from '../helpers/web-host';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../helpers/media';
import { testEnv } from '../helpers/core';

const utterances = readSpeech(sharedAudio);
const SETTINGS: Partial<Settings> = { model: 'whisper-tiny', language: 'en', diarization: 'off' };

let pool: TestPool;
const cores: VerbatimCore[] = [];

beforeAll(async () => {
  pool = await startTestPool('offload', {
    workers: ['transcribe', 'light'],
    env: { VERBATIM_RATE_PER_MINUTE: '100000', VERBATIM_RATE_PER_HOUR: '1000000', VERBATIM_LOCK_MS: '4000', VERBATIM_STALLED_INTERVAL_MS: '2000', VERBATIM_BACKOFF_MS: '200' },
  });
}, 120_000);

afterAll(async () => {
  for (const core of cores) await core.close();
  await pool?.stop();
});

/** The pool's settings as `npm run cloud` prints them, for one tenant, and quick polling for tests. */
function poolEnv(token: string): NodeJS.ProcessEnv {
  return {
    VERBATIM_POOL_URL: pool.pool.url,
    VERBATIM_POOL_TOKEN: token,
    VERBATIM_POOL_CA: pool.pool.certificate.caPath,
    VERBATIM_POOL_POLL_MS: '250',
    VERBATIM_POOL_RETRY_MS: '1000',
  };
}

function desktop(name: string, env: NodeJS.ProcessEnv, localSpeed?: number): VerbatimCore {
  const dataDir = scratchDir(`offload-${name}`);
  if (localSpeed !== undefined) {
    // This machine measured slow (speech seconds transcribed per second): its queue takes long, which is what makes the pool worth it.
    const seed = openCore(dataDir, { settingsDefaults: SETTINGS });
    new SettingsStore(seed.db).set('speed.speech', { audioSec: localSpeed * 60, wallSec: 60 });
    void seed.close();
  }
  const core = openCore(dataDir, { settingsDefaults: SETTINGS, env });
  cores.push(core);
  return core;
}

async function poolCount(sql: string, params: unknown[]): Promise<number> {
  return Number((await pool.db.query(sql, params)).rows[0].count);
}

describe('cloud offload', () => {
  it('sends a file that would wait behind long local jobs to the pool, and its transcript lands in the library marked as run there', async () => {
    const { token, tenantId } = await pool.tenant('busy');
    const core = desktop('busy', poolEnv(token), 2);
    await core.updateSettings({ offloadMode: 'when-busy' });
    const long = readSpeechTake(12).wav;
    const short = utterances[0]!;
    const [first] = await core.addFiles([long]);
    await waitForJobs(core, (jobs) => jobs[0]?.state === 'running');
    const [second] = await core.addFiles([short.wav]);
    const jobs = await waitForJobs(core, allFinished, 180_000);

    const local = jobs.find((job) => job.id === first!.jobId)!;
    const offloaded = jobs.find((job) => job.id === second!.jobId)!;
    expect(local).toMatchObject({ state: 'done', runsOn: 'local' });
    expect(offloaded).toMatchObject({ state: 'done', runsOn: 'pool', engine: { ranOn: 'pool', model: 'whisper-tiny' } });
    const transcript = core.editing.get(second!.mediaId)!;
    expect(transcript.engine.ranOn).toBe('pool');
    expect(wordErrorRate(short.reference, transcript.segments.map((segment) => segment.text).join(' '))).toBeLessThan(0.25);
    expect(core.editing.get(first!.mediaId)!.engine.ranOn).toBe('local');
    const items = core.library('date', false);
    expect(items.find((item) => item.mediaId === second!.mediaId)?.ranOn).toBe('pool');
    expect(items.find((item) => item.mediaId === first!.mediaId)?.ranOn).toBe('local');
    // The JSON export says where it ran.
    const exported = JSON.parse(String((await core.exports.exportTranscript(second!.mediaId, 'json')).content));
    expect(exported.engine).toMatchObject({ ranOn: 'pool', provider: 'cpu' });
    // Exactly the one file left the machine.
    expect(await poolCount('SELECT count(*) FROM uploads WHERE tenant_id = $1', [tenantId])).toBe(1);
  }, 240_000);

  it('matches a transcript made on the pool against the voice library here, where the saved voices are', async () => {
    const { token } = await pool.tenant('voices');
    const core = desktop('voices', poolEnv(token));
    const clip = (name: string): string => path.join(sharedAudio, 'real-speakers/clips', `${name}.wav`);
    const [saved] = await core.addFiles([clip('leijun-sr-1')], { diarization: 'builtin' });
    await waitForJobs(core, allFinished, 60_000);
    core.editing.renameSpeaker(saved!.mediaId, 0, 'Lei Jun');
    core.speakerVoices.remember(saved!.mediaId, 0);
    await core.updateSettings({ offloadMode: 'always' });
    const [later] = await core.addFiles([clip('leijun-sr-2')], { diarization: 'builtin' });
    const jobs = await waitForJobs(core, (all) => all.length === 2 && allFinished(all), 120_000);
    expect(jobs.find((job) => job.id === later!.jobId)).toMatchObject({ state: 'done', runsOn: 'pool' });
    // The pool sent back turns; the prints were taken from the audio here and matched here (cosine 0.90: named at once).
    const transcript = core.editing.get(later!.mediaId)!;
    expect(transcript.engine.ranOn).toBe('pool');
    expect(transcript.speakers[0]!.name).toBe('Lei Jun');
    expect(transcript.voices).toEqual([expect.objectContaining({ speaker: 0, name: 'Lei Jun', state: 'named' })]);
  }, 240_000);

  it('sends a waiting job to the cloud when the user chooses Run in the cloud, and canceling it cancels it on the pool', async () => {
    const { token, tenantId } = await pool.tenant('placement');
    // This machine measured quick: a file queued behind a short one is done here sooner than uploaded.
    const core = desktop('placement', poolEnv(token), 50);
    await core.updateSettings({ offloadMode: 'when-busy' });
    const [first, second] = await core.addFiles([utterances[6]!.wav, readSpeechTake(21).wav]);
    await waitForJobs(core, (jobs) => jobs.find((job) => job.id === first!.jobId)?.state === 'running');
    expect(core.listJobs().find((job) => job.id === second!.jobId)).toMatchObject({ state: 'queued', placement: 'auto' });
    core.setPlacement(second!.jobId, 'pool');
    await waitForJobs(core, (jobs) => jobs.find((job) => job.id === second!.jobId)?.stage === 'transcribe', 120_000);
    expect(core.listJobs().find((job) => job.id === second!.jobId)).toMatchObject({ runsOn: 'pool', placement: 'pool' });
    core.cancel(second!.jobId);
    await eventually('the pool job to be canceled', async () => (await pool.db.query("SELECT 1 FROM jobs WHERE tenant_id = $1 AND state = 'canceled'", [tenantId])).rowCount === 1);
    const jobs = await waitForJobs(core, allFinished, 120_000);
    expect(jobs.find((job) => job.id === second!.jobId)?.state).toBe('canceled');
    expect(core.editing.get(second!.mediaId)).toBeNull();
  }, 240_000);

  it('runs a job here, saying so once, when the pool ends it without a transcript', async () => {
    const { token, tenantId, client } = await pool.tenant('ended-there');
    const core = desktop('ended-there', poolEnv(token));
    await core.updateSettings({ offloadMode: 'always' });
    const take = readSpeechTake(12);
    const [added] = await core.addFiles([take.wav]);
    const remote = await eventually('the job running on the pool', async () => (await pool.db.query("SELECT id FROM jobs WHERE tenant_id = $1 AND state = 'running'", [tenantId])).rows[0], 120_000);
    // Someone with the tenant's token (another device, an operator) cancels it on the pool.
    await client.cancel(remote.id);
    const jobs = await waitForJobs(core, allFinished, 180_000);
    const job = jobs.find((candidate) => candidate.id === added!.jobId)!;
    expect(job).toMatchObject({ state: 'done', runsOn: 'local', placement: 'local', engine: { ranOn: 'local' } });
    expect(job.notice).toBe('The pool could not transcribe it (it was canceled there); it runs here instead.');
    expect(wordErrorRate(take.reference, core.editing.get(added!.mediaId)!.segments.map((segment) => segment.text).join(' '))).toBeLessThan(0.2);
  }, 240_000);

  it('submits a job once more when the pool no longer knows the id the app kept, and the pool answers with the same job', async () => {
    const { token, tenantId } = await pool.tenant('lost');
    const dataDir = scratchDir('offload-lost');
    const env = poolEnv(token);
    let host = await startWebHost(dataDir, env);
    await callHost(host.url, 'settings.update', { ...SETTINGS, offloadMode: 'always' });
    await callHost(host.url, 'media.add', { paths: [utterances[7]!.wav] });
    const library = path.join(dataDir, 'library.sqlite');
    await eventually('the job submitted to the pool', async () => {
      const db = new BetterSqlite3(library, { readonly: true, fileMustExist: true });
      try {
        return db.prepare<[], { remote_id: string | null }>('SELECT remote_id FROM pool_jobs').get()?.remote_id;
      } finally {
        db.close();
      }
    }, 60_000);
    await host.crash();
    // As if the pool had been reset meanwhile: the id the app kept means nothing there.
    const db = new BetterSqlite3(library);
    db.prepare('UPDATE pool_jobs SET remote_id = ?').run('00000000-0000-4000-8000-000000000000');
    db.close();
    host = await startWebHost(dataDir, env);
    try {
      const jobs = await eventually('the job to finish after the restart', async () => {
        const listed = (await callHost(host.url, 'jobs.list', {})) as Array<{ state: string; runsOn: string }>;
        return listed.every((job) => ['done', 'failed'].includes(job.state)) && listed;
      }, 120_000);
      expect(jobs).toEqual([expect.objectContaining({ state: 'done', runsOn: 'pool' })]);
      // Submitted again, idempotently: still one job on the pool.
      expect(await poolCount('SELECT count(*) FROM jobs WHERE tenant_id = $1', [tenantId])).toBe(1);
    } finally {
      await host.stop();
    }
  }, 240_000);

  it('runs here while the pool is down, with the breaker open, and uses the pool again once it is back', async () => {
    const { token } = await pool.tenant('outage');
    const core = desktop('outage', poolEnv(token));
    await core.updateSettings({ offloadMode: 'always' });
    const gateway = pool.pool.gateways[0]!;
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    // A file added now is bound for the pool; the pool does not answer, the breaker opens, and it runs here.
    const [down] = await core.addFiles([utterances[1]!.wav]);
    await waitForJobs(core, (jobs) => jobs.find((job) => job.id === down!.jobId)?.state === 'done', 120_000);
    expect(core.listJobs().find((job) => job.id === down!.jobId)).toMatchObject({ runsOn: 'local', engine: { ranOn: 'local' } });
    expect(core.offloadStatus().breaker.state).not.toBe('closed');
    expect(core.offloadStatus().lastError).toMatch(/could not reach the pool/);

    pool.pool.gateways.splice(0, 1);
    await pool.pool.startGateway(gateway.port);
    await eventually('the breaker to close', async () => core.offloadStatus().breaker.state === 'closed' && core.offloadStatus().pool !== null, 30_000);
    const [back] = await core.addFiles([utterances[2]!.wav]);
    await waitForJobs(core, (jobs) => jobs.find((job) => job.id === back!.jobId)?.state === 'done', 120_000);
    expect(core.listJobs().find((job) => job.id === back!.jobId)).toMatchObject({ runsOn: 'pool', engine: { ranOn: 'pool' } });
  }, 240_000);

  it('refuses a bad token in Settings with a clear error, and sends nothing', async () => {
    const bad = `vbt_deadbeef_${'x'.repeat(32)}`;
    const core = desktop('bad-token', { ...poolEnv(bad), VERBATIM_POOL_TOKEN: '' });
    expect((await core.connectPool({ url: pool.pool.url, caPath: pool.pool.certificate.caPath, token: bad })).token).toBe('saved');
    await expect(core.testPool({})).rejects.toThrow(/The pool refused the token/);
    await expect(core.updateSettings({ offloadMode: 'when-busy' })).rejects.toThrow(/The pool refused the token/);
    expect(core.getSettings().offloadMode).toBe('off');

    const uploadsBefore = await poolCount('SELECT count(*) FROM uploads', []);
    const jobsBefore = await poolCount('SELECT count(*) FROM jobs', []);
    const storedBefore = readdirSync(path.join(pool.dataDir, 'uploads')).length;
    const [added] = await core.addFiles([utterances[3]!.wav]);
    await waitForJobs(core, allFinished, 120_000);
    expect(core.listJobs().find((job) => job.id === added!.jobId)).toMatchObject({ state: 'done', runsOn: 'local' });
    expect(await poolCount('SELECT count(*) FROM uploads', [])).toBe(uploadsBefore);
    expect(await poolCount('SELECT count(*) FROM jobs', [])).toBe(jobsBefore);
    // Not even a partial upload.
    expect(readdirSync(path.join(pool.dataDir, 'uploads'))).toHaveLength(storedBefore);
  }, 180_000);

  it('yields exactly one transcript when the pool worker running the job is killed', async () => {
    const { token, tenantId } = await pool.tenant('worker-killed');
    const core = desktop('worker-killed', poolEnv(token));
    await core.updateSettings({ offloadMode: 'always' });
    const take = readSpeechTake(21);
    const [added] = await core.addFiles([take.wav]);
    const checkpointed = await eventually('a checkpoint on the pool', async () => (await pool.db.query('SELECT id, worker FROM jobs WHERE tenant_id = $1 AND checkpoint IS NOT NULL', [tenantId])).rows[0], 120_000);
    const pid = Number(String(checkpointed.worker).split('-').at(-2));
    const victim = pool.pool.workers.find((worker) => worker.child.pid === pid)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    await pool.pool.startWorker('transcribe');

    await waitForJobs(core, allFinished, 180_000);
    const job = core.listJobs().find((candidate) => candidate.id === added!.jobId)!;
    expect(job).toMatchObject({ state: 'done', runsOn: 'pool', attempts: 1 });
    const counts = await pool.db.query('SELECT attempts, (SELECT count(*) FROM results r WHERE r.job_id = j.id)::int AS results FROM jobs j WHERE tenant_id = $1', [tenantId]);
    expect(counts.rows).toEqual([{ attempts: 2, results: 1 }]);
    const text = core.editing.get(added!.mediaId)!.segments.map((segment) => segment.text).join(' ');
    // Nothing twice, nothing missing: as accurate as a clean run.
    expect(wordErrorRate(take.reference, text)).toBeLessThan(0.2);
  }, 300_000);

  it('offloads from the CLI with --offload, and its JSON export says where each file ran', async () => {
    const { token } = await pool.tenant('cli');
    const out = scratchDir('offload-cli-out');
    const run = (env: NodeJS.ProcessEnv, ...args: string[]) =>
      spawnSync(process.execPath, [path.join(projectRoot, 'dist/cli/verbatim.cjs'), 'transcribe', utterances[5]!.wav, '--model', 'whisper-tiny', '--language', 'en', '--diarize', 'off', '--format', 'json', '--out', out, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...testEnv, VERBATIM_DATA_DIR: scratchDir('offload-cli-data'), ...env },
        timeout: 120_000,
      });
    const offloaded = run(poolEnv(token), '--offload', 'always');
    expect(offloaded.stderr).toMatch(/Offload: pool at https:\/\/127\.0\.0\.1:\d+ with \d+ workers?, \d+ queued/);
    expect(offloaded.stderr).toContain('(transcribed on the pool)');
    expect(offloaded.status).toBe(0);
    const json = path.join(out, `${path.basename(utterances[5]!.wav, '.wav')}.json`);
    expect(JSON.parse(readFileSync(json, 'utf8')).engine).toMatchObject({ ranOn: 'pool', provider: 'cpu', model: 'whisper-tiny' });

    expect(run({}, '--offload', 'off').status).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).engine.ranOn).toBe('local');
    const unset = run({ VERBATIM_POOL_URL: '', VERBATIM_POOL_TOKEN: '' }, '--offload', 'auto');
    expect(unset.status).toBe(2);
    expect(unset.stderr).toContain('--offload needs the pool: set VERBATIM_POOL_URL and VERBATIM_POOL_TOKEN');
  }, 240_000);

  it('resumes an upload after the app is killed mid-upload, and follows its pool job after a second kill: one upload, one pool job, one transcript', async () => {
    const { token, tenantId } = await pool.tenant('app-killed');
    const dataDir = scratchDir('offload-app-killed');
    // A capped uplink and small chunks: the upload takes a few seconds, so the kill lands in the middle of it.
    const env = { ...poolEnv(token), VERBATIM_POOL_CHUNK_BYTES: String(256 * 1024), VERBATIM_POOL_UPLOAD_LIMIT: String(1024 * 1024) };
    const file = readSpeechTake(21).wav;
    let host = await startWebHost(dataDir, env);
    await callHost(host.url, 'settings.update', { ...SETTINGS, offloadMode: 'always' });
    await callHost(host.url, 'media.add', { paths: [file] });
    const poolJob = (): Promise<{ upload_url: string | null; remote_id: string | null } | undefined> =>
      eventually('the library to be readable', async () => {
        const db = new BetterSqlite3(path.join(dataDir, 'library.sqlite'), { readonly: true, fileMustExist: true });
        try {
          return [db.prepare<[], { upload_url: string | null; remote_id: string | null }>('SELECT upload_url, remote_id FROM pool_jobs').get()];
        } finally {
          db.close();
        }
      }).then(([row]) => row);
    const uploadUrl = await eventually('an upload under way', async () => (await poolJob())?.upload_url);
    // Some of it sent, not all.
    const offset = await eventually('a part of the file on the pool', async () => {
      const response = await pool.client(token).uploadOffset(uploadUrl);
      return response > 512 * 1024 && response;
    });
    await host.crash();
    expect(offset).toBeLessThan(statSync(file).size);

    host = await startWebHost(dataDir, env);
    // Killed again once the pool has the job: the next start follows it rather than submitting anew.
    const remoteId = await eventually('the job submitted to the pool', async () => (await poolJob())?.remote_id, 120_000);
    await host.crash();
    host = await startWebHost(dataDir, env);
    try {
      const jobs = await eventually('the job to finish after the restarts', async () => {
        const listed = (await callHost(host.url, 'jobs.list', {})) as Array<{ state: string; runsOn: string; attempts: number }>;
        return listed.every((job) => ['done', 'failed'].includes(job.state)) && listed;
      }, 180_000);
      expect(jobs).toEqual([expect.objectContaining({ state: 'done', runsOn: 'pool' })]);
      // One upload, the one that was under way: resumed, not sent again; one pool job, the one followed.
      const uploads = await pool.db.query('SELECT id FROM uploads WHERE tenant_id = $1', [tenantId]);
      expect(uploads.rows.map((row) => row.id)).toEqual([uploadUrl.split('/').pop()]);
      const remote = await pool.db.query('SELECT id, state FROM jobs WHERE tenant_id = $1', [tenantId]);
      expect(remote.rows).toEqual([{ id: remoteId, state: 'done' }]);
      const transcript = (await callHost(host.url, 'transcripts.get', { mediaId: 1 })) as { engine: { ranOn: string } };
      expect(transcript.engine.ranOn).toBe('pool');
    } finally {
      await host.stop();
    }
  }, 300_000);
});

// Offload benchmark: `npm run bench:offload`. A batch of 10 real read-speech files (about 15 s to
// 2 min each) transcribed by the desktop's core with offload Off, then with When busy against a pool
// on this same machine (one transcribe worker, Redis, PostgreSQL, TLS on loopback): the gain is
// parallelism, not a GPU. Reports total wall time for each, where each file ran, and how often the
// policy's choice finished first (the chosen side's actual time against the other side's estimate
// when the choice was made).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JobRecord } from '../core/library/job-store';
import { JobStore } from '../core/library/job-store';
import type { VerbatimCore } from '../core/verbatim-core';
import { allFinished, openCore, waitForJobs } from '../tests/helpers/core';
import { readSpeechTake } from '../tests/helpers/live';
import { scratchDir } from '../tests/helpers/media';
import { startTestPool } from '../tests/helpers/pool';
import { wavSeconds } from './lib/read-speech';

const SETTINGS = { model: 'whisper-tiny', language: 'en', diarization: 'off' } as const;
/** Ten different files: the first 3, 4, …, 21 utterances of the read-speech set, joined. */
const TAKES = [3, 5, 7, 9, 11, 13, 15, 17, 19, 21];

async function batch(core: VerbatimCore, files: string[]): Promise<{ wallSec: number; jobs: JobRecord[] }> {
  const started = performance.now();
  await core.addFiles(files);
  await waitForJobs(core, allFinished, 60 * 60_000);
  const wallSec = (performance.now() - started) / 1000;
  const store = new JobStore(core.db);
  return { wallSec, jobs: core.listJobs().map((job) => store.get(job.id)!) };
}

async function main(): Promise<void> {
  const files = TAKES.map((count) => readSpeechTake(count).wav);
  const audioSec = files.reduce((sum, file) => sum + wavSeconds(file), 0);
  console.log(`batch: ${files.length} files, ${audioSec.toFixed(0)} s of real read speech, whisper-tiny, diarization off`);

  // Both runs start from the same measured local speed, learned on one warm-up file.
  const warm = scratchDir('bench-offload-warm');
  const warmCore = openCore(warm, { settingsDefaults: SETTINGS });
  await batch(warmCore, [readSpeechTake(2).wav]);
  const speeds = warmCore.db.all<{ key: string; value: string }>("SELECT key, value FROM settings WHERE key LIKE 'speed.%' OR key LIKE 'share.%'");
  await warmCore.close();
  const seeded = (name: string): string => {
    const dir = scratchDir(name);
    const seed = openCore(dir, { settingsDefaults: SETTINGS });
    for (const { key, value } of speeds) seed.db.run('INSERT INTO settings (key, value) VALUES (?, ?)', [key, value]);
    void seed.close();
    return dir;
  };

  const offCore = openCore(seeded('bench-offload-off'), { settingsDefaults: SETTINGS });
  const off = await batch(offCore, files);
  await offCore.close();
  console.log(`offload off:       ${off.wallSec.toFixed(1)} s (${(audioSec / off.wallSec).toFixed(1)}× realtime), all ${off.jobs.length} here`);

  const pool = await startTestPool('bench-offload', { workers: ['transcribe', 'light'], env: { VERBATIM_LOG_LEVEL: 'warn' } });
  try {
    // The pool measures its speed on a first file, as a pool in use would have.
    const { token } = await pool.tenant('bench');
    const client = pool.client(token);
    const { job } = await client.submit({ uploadId: (await client.upload(readSpeechTake(2).wav)).uploadId, options: SETTINGS });
    await client.follow(job.id);
    const env = { VERBATIM_POOL_URL: pool.pool.url, VERBATIM_POOL_TOKEN: token, VERBATIM_POOL_CA: pool.pool.certificate.caPath, VERBATIM_POOL_POLL_MS: '1000' };
    const busyCore = openCore(seeded('bench-offload-busy'), { settingsDefaults: SETTINGS, env });
    await busyCore.updateSettings({ offloadMode: 'when-busy' });
    const busy = await batch(busyCore, files);
    await busyCore.close();
    const sent = busy.jobs.filter((item) => item.runsOn === 'pool');
    console.log(`offload when busy: ${busy.wallSec.toFixed(1)} s (${(audioSec / busy.wallSec).toFixed(1)}× realtime), ${sent.length} of ${busy.jobs.length} on the pool: ${(off.wallSec / busy.wallSec).toFixed(2)}× faster`);

    let right = 0;
    let judged = 0;
    const errors: number[] = [];
    for (const item of busy.jobs) {
      const decision = item.decision;
      if (!decision?.at || item.finishedAt === null || decision.poolEtaSec === null) continue;
      const actual = (item.finishedAt - decision.at) / 1000;
      const chosenEta = decision.where === 'pool' ? decision.poolEtaSec : decision.localEtaSec;
      const otherEta = decision.where === 'pool' ? decision.localEtaSec : decision.poolEtaSec;
      judged += 1;
      if (actual <= otherEta) right += 1;
      errors.push(Math.abs(actual - chosenEta));
      console.log(`  ${item.fileName.padEnd(28)} ${item.runsOn?.padEnd(5)} done in ${actual.toFixed(1).padStart(6)} s; estimated ${chosenEta.toFixed(1).padStart(6)} s there, ${otherEta.toFixed(1).padStart(6)} s on the other side`);
    }
    const meanError = errors.reduce((sum, value) => sum + value, 0) / Math.max(1, errors.length);
    console.log(`decision accuracy: ${right} of ${judged} finished no later than the other side's estimate; mean ETA error of the chosen side ${meanError.toFixed(1)} s`);
  } finally {
    await pool.stop();
    rmSync(path.join(warm), { recursive: true, force: true });
  }
}

await main();
process.exit(0);

// A pool worker process: `node dist/cloud/pool-worker.cjs [--role transcribe|light|all]`. The
// transcribe role takes one job at a time for its GPU class (VERBATIM_GPU_CLASS); the light role
// probes uploads and sweeps; "all" (the default) runs both, as one box needs.
import pg from 'pg';
import { configFromEnv } from '../config';
import { migrate } from '../db/migrations';
import { BUILT, onShutdown, poolLogger } from '../runtime';
import { keepFilesPrivate } from '../../core/node/private-files';
import { startLightWorker } from './light-worker';
import { startTranscribeWorker } from './transcribe-worker';

// Uploads, working files and logs are the pool's alone.
keepFilesPrivate();
const roleIndex = process.argv.indexOf('--role');
const role = roleIndex > 0 ? process.argv[roleIndex + 1] : 'all';
if (!['transcribe', 'light', 'all'].includes(role ?? '')) {
  console.error('Usage: pool-worker [--role transcribe|light|all]');
  process.exit(2);
}
const log = poolLogger('pool-worker');
const config = configFromEnv();
const db = new pg.Pool({ connectionString: config.databaseUrl, max: 5 });
db.on('error', (error) => log.warn({ err: error }, 'PostgreSQL connection lost'));
async function main(): Promise<void> {
  await migrate(db);
  const stops: Array<() => Promise<void>> = [];
  if (role !== 'light') stops.push((await startTranscribeWorker(config, db, log, BUILT)).shutdown);
  if (role !== 'transcribe') stops.push((await startLightWorker(config, db, log)).shutdown);
  onShutdown(log, async () => {
    await Promise.all(stops.map((stop) => stop()));
    await db.end();
  });
}

main().catch((error) => {
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
});

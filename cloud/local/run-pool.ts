// `npm run cloud [-- --data DIR] [--port N] [--workers N]`: a whole pool on this machine. It prints
// the three settings a desktop (or a shell, with eval) needs, then runs until Ctrl-C.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { LocalPool } from './local-pool';
import { postgresDirFor } from './services';

const { values } = parseArgs({
  options: { data: { type: 'string', default: '.verbatim-cloud' }, port: { type: 'string', default: '8443' }, workers: { type: 'string', default: '1' } },
});
const distDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const dataDir = path.resolve(values.data!);
  console.error(`Starting the pool in ${dataDir} (Redis, PostgreSQL, gateway, ${values.workers} worker(s)); logs in ${path.join(dataDir, 'logs')}`);
  const pool = await LocalPool.start({ dataDir, distDir });
  const cluster = postgresDirFor(dataDir);
  if (!cluster.startsWith(dataDir)) console.error(`PostgreSQL runs as the postgres user, which cannot enter ${dataDir}: its cluster is in ${cluster}.`);
  const stop = () => {
    console.error('Stopping the pool…');
    pool.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const workers = Math.max(1, Number(values.workers) || 1);
  await pool.startWorker('all');
  for (let index = 1; index < workers; index += 1) await pool.startWorker('transcribe');
  await pool.startGateway(Number(values.port));
  const settings = [`export VERBATIM_POOL_URL=${pool.url}`, `export VERBATIM_POOL_TOKEN=${pool.token}`, `export VERBATIM_POOL_CA=${pool.certificate.caPath}`].join('\n');
  // Also in a file (it holds the token: owner only), for another shell to eval while this one runs the pool.
  const envFile = path.join(dataDir, 'pool.env');
  writeFileSync(envFile, `${settings}\n`, { mode: 0o600 });
  console.log(settings);
  console.error(`The pool is ready (the settings are also in ${envFile}). Ctrl-C stops it; its data stays for the next start.`);
}

main().catch((error) => {
  console.error(`Could not start the pool: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

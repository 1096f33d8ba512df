// A real pool for the cloud tests: Redis and PostgreSQL from the system, real TLS with a CA made for
// the test, gateways and workers from the built bundles, all on loopback.
import path from 'node:path';
import pg from 'pg';
import { createTenant, createToken } from '../../cloud/db/tenants';
import { LocalPool } from '../../cloud/local/local-pool';
import { PoolClient } from '../../core/pool/pool-client';
import type { DiarizeSettings, ProcessMediaInput } from '../../contracts/worker-protocol';
import { projectRoot, scratchDir, sharedModels } from './media';

export interface TestPool {
  pool: LocalPool;
  db: pg.Pool;
  dataDir: string;
  /** A new tenant with a token of its own. */
  tenant(name: string, quotaMinutes?: number): Promise<{ token: string; client: PoolClient; tenantId: string }>;
  client(token: string, url?: string): PoolClient;
  stop(): Promise<void>;
}

export async function startTestPool(
  name: string,
  options: { env?: NodeJS.ProcessEnv; workers?: Array<'all' | 'transcribe' | 'light'>; gateways?: number } = {},
): Promise<TestPool> {
  const dataDir = scratchDir(`pool-${name}`);
  const pool = await LocalPool.start({
    dataDir,
    // Beside the pool's data rather than under /var/lib (where root's default puts it): the test's folders are its own.
    postgresDir: path.join(scratchDir(`pool-${name}-postgres`), 'cluster'),
    distDir: path.join(projectRoot, 'dist'),
    env: { VERBATIM_MODELS_DIR: sharedModels, VERBATIM_LOG_LEVEL: 'info', ...options.env },
  });
  for (const role of options.workers ?? ['all']) await pool.startWorker(role);
  for (let index = 0; index < (options.gateways ?? 1); index += 1) await pool.startGateway();
  const db = new pg.Pool({ connectionString: pool.postgres.url, max: 4 });
  const clients: PoolClient[] = [];
  const client = (token: string, url = pool.url) => {
    const made = new PoolClient({ url, token, ca: pool.certificate.ca });
    clients.push(made);
    return made;
  };
  return {
    pool,
    db,
    dataDir,
    client,
    tenant: async (tenantName, quotaMinutes = 24 * 60) => {
      const tenant = await createTenant(db, tenantName, quotaMinutes * 60);
      const { token } = await createToken(db, tenant.id);
      return { token, client: client(token), tenantId: tenant.id };
    },
    stop: async () => {
      await Promise.allSettled(clients.map((made) => made.close()));
      await db.end();
      await pool.stop();
    },
  };
}

/** Waits until `check` holds, polling; fails with `what` after the timeout. */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What the desktop's engine process is given for a file with the options a pool job of
 * { model: 'whisper-tiny', language: 'en' } runs with: the side a pool transcript is compared with.
 */
export function localEngineInput(file: string, cacheDir: string, diarize: DiarizeSettings | null): ProcessMediaInput {
  return {
    path: file,
    cacheDir,
    cacheKey: 'local-engine',
    tools: { ffmpegPath: null, ffprobePath: null },
    transcribe: {
      model: { id: 'whisper-tiny', dir: path.join(sharedModels, 'Xenova/whisper-tiny'), dtypeSuffix: '_quantized' },
      vadModelPath: path.join(projectRoot, 'resources/vad/silero_vad_v6.onnx'),
      language: 'en',
      languageFallback: null,
      task: 'transcribe',
      initialPrompt: null,
      device: 'auto',
    },
    diarize,
  };
}

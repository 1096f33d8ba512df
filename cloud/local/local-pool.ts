// A whole pool on one machine from the built bundles: Redis, PostgreSQL, a CA and certificate,
// gateways and workers as child processes. `npm run cloud` runs one; the tests run them to kill and
// restart parts of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { configFromEnv } from '../config';
import { migrate } from '../db/migrations';
import { createTenant, createToken } from '../db/tenants';
import { localCertificate, type ServerCertificate } from './certificates';
import { freePort, postgresDirFor, startPostgres, startRedis, type RedisService, type Service } from './services';

export interface LocalPoolOptions {
  dataDir: string;
  /** The built dist/ folder (dist/cloud/*.cjs, dist/worker/worker-main.cjs). */
  distDir: string;
  /** Extra settings for every process (VERBATIM_* variables, see cloud/config.ts). */
  env?: NodeJS.ProcessEnv;
  /** Where the processes' JSON logs go; default: DIR/logs. */
  logDir?: string;
  /** Where PostgreSQL's cluster lives; default: postgresDirFor(DIR). */
  postgresDir?: string;
}

export interface PoolProcess {
  child: ChildProcess;
  name: string;
  /** Resolves when it has exited. */
  exited: Promise<void>;
}

export class LocalPool {
  readonly gateways: Array<PoolProcess & { url: string; port: number }> = [];
  readonly workers: PoolProcess[] = [];
  private counter = 0;

  private constructor(
    private readonly options: LocalPoolOptions,
    readonly redis: RedisService,
    readonly postgres: Service,
    readonly certificate: ServerCertificate,
    /** The default tenant's token: VERBATIM_POOL_TOKEN. */
    readonly token: string,
  ) {}

  static async start(options: LocalPoolOptions): Promise<LocalPool> {
    const dir = path.resolve(options.dataDir);
    // Uploads, results' keys, logs: the pool's owner's alone. PostgreSQL, run as its own user when started by
    // root, keeps its cluster where it can enter (postgresDirFor).
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const redis = await startRedis(path.join(dir, 'redis'));
    const postgres = await startPostgres(options.postgresDir ?? postgresDirFor(dir)).catch(async (error) => {
      await redis.stop();
      throw error;
    });
    const certificate = localCertificate(path.join(dir, 'tls'));
    const pool = new LocalPool(options, redis, postgres, certificate, await defaultToken(dir, postgres.url, options.env));
    return pool;
  }

  get url(): string {
    return this.gateways[0]!.url;
  }

  /** The settings every process of this pool gets. */
  env(): NodeJS.ProcessEnv {
    const dir = path.resolve(this.options.dataDir);
    return {
      ...process.env,
      VERBATIM_REDIS_URL: this.redis.url,
      VERBATIM_DATABASE_URL: this.postgres.url,
      VERBATIM_STORAGE_DIR: path.join(dir, 'uploads'),
      VERBATIM_TLS_KEY: this.certificate.keyPath,
      VERBATIM_TLS_CERT: this.certificate.certPath,
      ...this.options.env,
    };
  }

  /** A gateway; `env` adds settings of its own (an operator token, say) to the pool's. */
  async startGateway(port?: number, env: NodeJS.ProcessEnv = {}): Promise<PoolProcess & { url: string; port: number }> {
    const portNumber = port ?? (await freePort());
    const process = this.spawn('gateway', [path.join(this.options.distDir, 'cloud/gateway.cjs')], { ...env, VERBATIM_PORT: String(portNumber), VERBATIM_HOST: '127.0.0.1' });
    const url = `https://127.0.0.1:${portNumber}`;
    await waitUntil(async () => {
      if (process.child.exitCode !== null) throw new Error(`the gateway exited at start (code ${process.child.exitCode}); see ${this.logDir()}`);
      return (await fetchHealth(url, this.certificate.ca)) === 200;
    }, 30_000);
    const gateway = { ...process, url, port: portNumber };
    this.gateways.push(gateway);
    return gateway;
  }

  /** A worker process; each gets its own working folder, as separate machines would. */
  async startWorker(role: 'transcribe' | 'light' | 'all' = 'all'): Promise<PoolProcess> {
    const work = path.join(path.resolve(this.options.dataDir), 'work', `worker-${this.counter + 1}`);
    const worker = this.spawn(`worker-${role}`, [path.join(this.options.distDir, 'cloud/pool-worker.cjs'), '--role', role], { VERBATIM_WORK_DIR: work });
    this.workers.push(worker);
    return worker;
  }

  private logDir(): string {
    return this.options.logDir ?? path.join(path.resolve(this.options.dataDir), 'logs');
  }

  private spawn(name: string, args: string[], extra: NodeJS.ProcessEnv): PoolProcess {
    mkdirSync(this.logDir(), { recursive: true, mode: 0o700 });
    const label = `${name}-${++this.counter}`;
    const log = createWriteStream(path.join(this.logDir(), `${label}.log`), { flags: 'a', mode: 0o600 });
    const child = spawn(process.execPath, args, { env: { ...this.env(), ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return { child, name: label, exited };
  }

  /** SIGTERM to every process (workers get their grace period), then the services. */
  async stop(): Promise<void> {
    const all = [...this.gateways, ...this.workers].filter((item) => item.child.exitCode === null && item.child.signalCode === null);
    for (const item of all) item.child.kill('SIGTERM');
    await Promise.race([Promise.all(all.map((item) => item.exited)), new Promise((resolve) => setTimeout(resolve, 30_000))]);
    for (const item of all) if (item.child.exitCode === null) item.child.kill('SIGKILL');
    await Promise.allSettled([this.redis.stop(), this.postgres.stop()]);
  }
}

/** The default tenant and a token for it, made on first start and kept (0600) so later starts print the same one. */
async function defaultToken(dir: string, databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const file = path.join(dir, 'default-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const config = configFromEnv({ ...process.env, ...env, VERBATIM_DATABASE_URL: databaseUrl });
  const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await migrate(db);
    const tenant = await createTenant(db, 'default', config.defaultQuotaSec);
    const { token } = await createToken(db, tenant.id, 'npm run cloud');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    return token;
  } finally {
    await db.end();
  }
}

async function fetchHealth(url: string, ca: string): Promise<number> {
  const https = await import('node:https');
  return new Promise((resolve) => {
    const request = https.get(`${url}/healthz`, { ca, timeout: 2_000 }, (response) => (response.resume(), resolve(response.statusCode ?? 0)));
    request.on('error', () => resolve(0));
    request.on('timeout', () => (request.destroy(), resolve(0)));
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready within ${timeoutMs / 1000} s`);
}

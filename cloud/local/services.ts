// Redis and PostgreSQL from the system's own binaries, each in a folder of its own, on loopback:
// what `npm run cloud` runs the pool on, and what the tests run it against.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import path from 'node:path';
import pg from 'pg';

export interface Service {
  url: string;
  port: number;
  /** Ends the server and waits for it to exit (Redis writes its append-only file first). */
  stop(): Promise<void>;
}

export interface RedisService extends Service {
  /** Stops and starts it again on the same port and data: what a Redis failover or restart looks like to the pool. */
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

async function waitFor(what: string, check: () => Promise<boolean>, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited at start (code ${child.exitCode}):\n${log()}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s:\n${log()}`);
}

function captured(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

/** A secret kept in a file of mode 0600, made on first use. */
function secretIn(file: string): string {
  if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * Redis as a queue must be: nothing evicted when memory runs short (a job must never vanish), and
 * every write in the append-only file, so a restart keeps every job. It holds every job and upload's
 * metadata, so it has a password (in a 0600 config file, never on a command line others can read).
 */
export async function startRedis(dir: string, options: { port?: number; binary?: string } = {}): Promise<RedisService> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const port = options.port ?? (await freePort());
  const binary = options.binary ?? 'redis-server';
  const password = secretIn(path.join(dir, 'password'));
  const configFile = path.join(dir, 'redis.conf');
  writeFileSync(configFile, `requirepass ${password}\n`, { mode: 0o600 });
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(
      binary,
      [configFile, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', '', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const log = captured(child);
    child.once('error', () => undefined);
    await waitFor('redis-server', () => ping(port, password), child, log);
  };
  await launch().catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new Error('redis-server was not found: install Redis (Debian: apt-get install redis-server).') : error;
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await exited(child);
  };
  return { url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`, port, stop, restart: async () => (await stop(), await launch()) };
}

async function ping(port: number, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let answer = '';
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1', () => socket.write(`AUTH ${password}\r\nPING\r\n`));
    socket.on('data', (data) => {
      answer += data.toString();
      if (answer.includes('+PONG') || answer.startsWith('-')) {
        socket.destroy();
        resolve(answer.includes('+PONG'));
      }
    });
  });
}

function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((entry) => /^\d+$/.test(entry)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const candidate = path.join(root, version, 'bin', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return name;
}

/** PostgreSQL refuses to run as root; as root its files and process belong to the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
  } catch {
    throw new Error('PostgreSQL cannot run as root, and there is no "postgres" user to run it as (Debian: apt-get install postgresql).');
  }
}

/**
 * Where the cluster of a pool whose data is in `dataDir` lives. Run by root, PostgreSQL runs as `postgres`, which
 * cannot enter a private folder (a 0700 home, the pool's own 0700 data): its files go in a folder of its own
 * under /var/lib/verbatim-cloud, named after the data folder. Otherwise, inside the data folder.
 */
export function postgresDirFor(dataDir: string): string {
  if (process.getuid?.() !== 0) return path.join(dataDir, 'postgres');
  const name = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return path.join('/var/lib/verbatim-cloud', name);
}

/** A PostgreSQL cluster in `dir` (made on first use, with a password of its own) and a database `verbatim` in it. */
export async function startPostgres(dir: string, options: { port?: number } = {}): Promise<Service> {
  const user = runAs();
  // A parent made here (/var/lib/verbatim-cloud) must be enterable by the postgres user; it holds only clusters.
  if (user && !existsSync(path.dirname(dir))) {
    mkdirSync(path.dirname(dir), { recursive: true });
    chmodSync(path.dirname(dir), 0o755);
  }
  const dataDir = path.join(dir, 'data');
  const passwordFile = path.join(dir, 'password');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dir, user.uid, user.gid);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
    if (user) chownSync(passwordFile, user.uid, user.gid);
    try {
      execFileSync(postgresBin('initdb'), ['-D', dataDir, '-U', 'verbatim', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--locale=C'], {
        stdio: 'pipe',
        ...user,
      });
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
      if (failure.code === 'ENOENT') throw new Error('initdb was not found: install PostgreSQL (Debian: apt-get install postgresql).', { cause: error });
      throw new Error(`initdb failed: ${failure.stderr?.toString() ?? failure.message}`, { cause: error });
    }
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const port = options.port ?? (await freePort());
  const child = spawn(postgresBin('postgres'), ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=on', '-c', 'max_connections=200'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...user,
  });
  const log = captured(child);
  const admin = `postgres://verbatim:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await waitFor(
    'postgres',
    async () => {
      const client = new pg.Client({ connectionString: `${admin}/postgres` });
      await client.connect();
      try {
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'verbatim'");
        if (!rowCount) await client.query('CREATE DATABASE verbatim');
      } finally {
        await client.end();
      }
      return true;
    },
    child,
    log,
  );
  return {
    url: `${admin}/verbatim`,
    port,
    stop: async () => {
      // "Fast" shutdown: open sessions are ended, committed data is already on disk.
      child.kill('SIGINT');
      await exited(child);
    },
  };
}

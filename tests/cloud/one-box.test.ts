// `npm run cloud`'s one-box pool, started the way its README says, with its data in a private folder (a 0700
// home): it starts, its uploads and logs are its owner's alone, and its Redis answers no one without the password.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { LocalPool } from '../../cloud/local/local-pool';
import { freePort, postgresDirFor } from '../../cloud/local/services';
import { PoolClient } from '../../core/pool/pool-client';
import { projectRoot, sharedAudio, sharedModels } from '../helpers/media';

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('the one-box pool', () => {
  it('starts with `npm run cloud`\'s own entry as a normal user, in a folder of that user\'s, and answers with the token it prints', async () => {
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'verbatim-user-pool-')), 'pool');
    if (user.uid !== undefined) chownSync(path.dirname(dataDir), user.uid, user.gid!);
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(projectRoot, 'dist/cloud/run-pool.cjs'), '--data', dataDir, '--port', String(port)], {
      ...user,
      env: { PATH: process.env.PATH, VERBATIM_MODELS_DIR: sharedModels },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    let said = '';
    child.stdout!.on('data', (chunk: Buffer) => (printed += String(chunk)));
    child.stderr!.on('data', (chunk: Buffer) => (said += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => /The pool is ready/.test(said) && (clearInterval(timer), resolve()), 100);
        void exited.then((code) => (clearInterval(timer), reject(new Error(`npm run cloud exited with ${code}: ${said}`))));
      });
      const value = (name: string) => new RegExp(`^export ${name}=(.+)$`, 'm').exec(printed)?.[1] ?? '';
      const client = new PoolClient({ url: value('VERBATIM_POOL_URL'), token: value('VERBATIM_POOL_TOKEN'), ca: readFileSync(value('VERBATIM_POOL_CA'), 'utf8') });
      try {
        expect((await client.status()).tenant).toBe('default');
      } finally {
        await client.close();
      }
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(path.join(dataDir, 'pool.env'))).toBe(0o600);
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  }, 120_000);

  it('runs with its data in a 0700 home, keeps its files private, and puts a password on Redis', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'verbatim-home-'));
    chmodSync(home, 0o700);
    const dataDir = path.join(home, '.verbatim-cloud');
    const pool = await LocalPool.start({ dataDir, distDir: path.join(projectRoot, 'dist'), env: { VERBATIM_MODELS_DIR: sharedModels } });
    const cluster = postgresDirFor(dataDir);
    try {
      await pool.startWorker('all');
      await pool.startGateway();
      const client = new PoolClient({ url: pool.url, token: pool.token, ca: pool.certificate.ca });
      try {
        expect((await client.status()).tenant).toBe('default');
        const { uploadId } = await client.upload(path.join(sharedAudio, 'read-speech/wav/LJ001-0002.wav'));
        const uploads = path.join(dataDir, 'uploads');
        expect(mode(dataDir)).toBe(0o700);
        expect(mode(uploads)).toBe(0o700);
        expect(mode(path.join(uploads, uploadId))).toBe(0o600);
        expect(mode(path.join(dataDir, 'logs'))).toBe(0o700);
        for (const log of readdirSync(path.join(dataDir, 'logs'))) expect(mode(path.join(dataDir, 'logs', log)), log).toBe(0o600);
        expect(mode(path.join(dataDir, 'default-token'))).toBe(0o600);
      } finally {
        await client.close();
      }
      if (process.getuid?.() === 0) {
        // Root's PostgreSQL runs as postgres, which cannot enter the home: its cluster is in a folder of its own.
        expect(cluster.startsWith('/var/lib/verbatim-cloud/')).toBe(true);
        expect(String(execFileSync('stat', ['-c', '%U %a', cluster])).trim()).toBe('postgres 700');
      }
      // Without the password, Redis answers nothing but a refusal.
      const { port } = new URL(pool.redis.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('KEYS *\r\n'));
        socket.once('data', (data) => (socket.destroy(), resolve(String(data))));
        socket.once('error', reject);
      });
      expect(answer).toMatch(/^-NOAUTH/);
    } finally {
      await pool.stop();
      if (cluster.startsWith('/var/lib/verbatim-cloud/')) rmSync(cluster, { recursive: true, force: true });
    }
  }, 120_000);
});

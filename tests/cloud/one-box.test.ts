// `npm run cloud`'s one-box pool, started the way its README says, with its data in a private folder (a 0700
// home): it starts, its uploads and logs are its owner's alone, and its Redis answers no one without the password.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { LocalPool } from '../../cloud/local/local-pool';
import { postgresDirFor } from '../../cloud/local/services';
import { PoolClient } from '../../core/pool/pool-client';
import { projectRoot, sharedAudio, sharedModels } from '../helpers/media';

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('the one-box pool', () => {
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

// Files are private to their owner: the library (every transcript), its backups, the web host's uploads and logs.
import { chmodSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../core/library/database';
import { libraryPaths } from '../../core/paths';
import { scratchDir } from '../helpers/media';
import { hostClient, startWebHost } from '../helpers/web-host';

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('private files', () => {
  it('tightens a library an older version left readable by others, with its WAL and shared memory', () => {
    const file = path.join(scratchDir('old-library'), 'library.sqlite');
    new Database(file).close();
    for (const each of [file, `${file}-wal`, `${file}-shm`]) {
      writeFileSync(each, '', { flag: 'a' });
      chmodSync(each, 0o644);
    }
    const db = new Database(file);
    try {
      for (const each of [file, `${file}-wal`, `${file}-shm`]) expect(mode(each), each).toBe(0o600);
      const backup = path.join(path.dirname(file), 'backup.sqlite');
      db.snapshotTo(backup);
      expect(mode(backup)).toBe(0o600);
    } finally {
      db.close();
    }
  });

  it('the web host makes its library, uploads and logs its user\'s alone, whatever the umask it was started with', async () => {
    // A data folder the host makes itself, under a parent anyone may enter.
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'verbatim-private-')), 'library');
    const previous = process.umask(0o022);
    let host;
    try {
      host = await startWebHost(dataDir);
    } finally {
      process.umask(previous);
    }
    const client = await hostClient(host.url);
    try {
      await client.call('settings.update', { theme: 'dark' });
      const paths = libraryPaths(dataDir);
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(paths.database)).toBe(0o600);
      expect(mode(paths.logs)).toBe(0o700);
      for (const log of readdirSync(paths.logs)) expect(mode(path.join(paths.logs, log)), log).toBe(0o600);
      expect(mode(paths.uploads)).toBe(0o700);
    } finally {
      client.close();
      await host.stop();
    }
  });
});

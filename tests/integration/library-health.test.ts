// The library heals: checked at start, copied before migrations and daily (five kept), and a damaged file
// moved aside and restored from its newest copy only when the user says so.
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, openSync, readdirSync, writeSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../core/library/migrations';
import { dailyBackup, LibraryDamagedError, listBackups, openLibrary, restoreBackup } from '../../core/library/library-file';
import { libraryPaths } from '../../core/paths';
import { openCore } from '../helpers/core';
import { scratchDir } from '../helpers/media';
import { buildLibrary } from '../helpers/synthetic-library';
import { callHost, startWebHost } from '../helpers/web-host';

const text = (recording: number, segment: number) => `interview ${recording} part ${segment} about the harbour budget`;

/** Rows in a table of a library copy, read without touching the copy. */
function rowsIn(file: string, table: string): number {
  const copy = new BetterSqlite3(file, { readonly: true });
  try {
    return (copy.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    copy.close();
  }
}

/** Overwrites pages in the middle of the file, as a failing disk or a killed sync tool leaves it. */
function damagePages(file: string): void {
  const fd = openSync(file, 'r+');
  for (let page = 2; page < 8; page++) writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, page * 4096);
  closeSync(fd);
}

describe('a library that heals', () => {
  it('keeps a copy before migrating a library from an earlier version, and the copy opens at that version', () => {
    const dataDir = scratchDir('older');
    const paths = libraryPaths(dataDir);
    buildLibrary(dataDir, 2, 2, text).close();
    // As the previous version left it: one migration fewer.
    const raw = new BetterSqlite3(paths.database);
    raw.exec(`DROP TABLE speaker_voices; DROP TABLE speaker_prints; DROP TABLE voice_prints; DROP TABLE voices; PRAGMA user_version = ${migrations.length - 1}`);
    raw.close();
    const db = openLibrary(paths.database, paths.backups, { log: () => undefined });
    expect(db.schemaVersion).toBe(migrations.length);
    db.close();
    const [copy] = listBackups(paths.backups);
    expect(copy!.schema).toBe(migrations.length - 1);
    const older = new BetterSqlite3(copy!.file, { readonly: true });
    expect(older.pragma('user_version', { simple: true })).toBe(migrations.length - 1);
    older.close();
    expect(rowsIn(copy!.file, 'media')).toBe(2);
  });

  it('backs up once a day while in use, keeping the five newest', async () => {
    const dataDir = scratchDir('daily');
    const paths = libraryPaths(dataDir);
    buildLibrary(dataDir, 3, 2, text).close();
    const db = openLibrary(paths.database, paths.backups, { log: () => undefined });
    const day = new Date('2026-12-01T09:00:00Z').getTime();
    expect(await dailyBackup(db, paths.backups, new Date(day))).toMatch(/library-20261201T090000Z-v\d+\.sqlite$/);
    expect(await dailyBackup(db, paths.backups, new Date(day + 3600_000))).toBeNull();
    for (let next = 1; next <= 6; next++) await dailyBackup(db, paths.backups, new Date(day + next * 25 * 3600_000));
    db.close();
    const kept = listBackups(paths.backups);
    expect(kept).toHaveLength(5);
    expect(kept[0]!.takenAt.getTime()).toBe(day + 6 * 25 * 3600_000);
    expect(rowsIn(kept[0]!.file, 'transcripts')).toBe(3);
  });

  it('finds damaged pages at start, moves the file aside instead of replacing it, and restores the newest backup when asked', async () => {
    const dataDir = scratchDir('damaged');
    const paths = libraryPaths(dataDir);
    buildLibrary(dataDir, 40, 20, text).close();
    const first = openCore(dataDir);
    await first.close();
    // Its start took the day's copy.
    expect(listBackups(paths.backups)).toHaveLength(1);
    damagePages(paths.database);

    let damaged: LibraryDamagedError | undefined;
    try {
      openLibrary(paths.database, paths.backups, { log: () => undefined }).close();
    } catch (error) {
      damaged = error as LibraryDamagedError;
    }
    expect(damaged).toBeInstanceOf(LibraryDamagedError);
    expect(damaged!.message).toMatch(/^Verbatim's library could not be read \(.+\)\. It was moved aside to .+library\.damaged-\d{8}T\d{6}Z\.sqlite, so nothing in it is lost\. The newest backup is from \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
    expect(existsSync(paths.database)).toBe(false);
    expect(existsSync(damaged!.movedTo)).toBe(true);

    restoreBackup(damaged!.backups[0]!, paths.database);
    const restored = openCore(dataDir);
    try {
      expect(restored.library('date', true)).toHaveLength(40);
      expect(restored.searchTranscripts('harbour budget').length).toBeGreaterThan(0);
    } finally {
      await restored.close();
    }
    // The damaged file is still there for whoever wants to look at it.
    expect(readdirSync(dataDir).filter((name) => name.includes('.damaged-'))).toHaveLength(1);
  });

  it('the web host says the library is damaged and starts only when told what to do: restore with --restore-backup', async () => {
    const dataDir = scratchDir('host-damaged');
    const paths = libraryPaths(dataDir);
    buildLibrary(dataDir, 5, 3, text).close();
    await openCore(dataDir).close();
    damagePages(paths.database);
    await expect(startWebHost(dataDir)).rejects.toThrow(/exited with 3: .*library could not be read.*moved aside.*Start again with --restore-backup to restore it, or without to begin an empty library\./s);
    const host = await startWebHost(dataDir, {}, ['--restore-backup']);
    try {
      expect(await callHost(host.url, 'library.list', { sort: 'date', descending: true })).toHaveLength(5);
    } finally {
      await host.stop();
    }
  });
});

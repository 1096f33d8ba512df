// The library file's health: checked at every start, copied before every migration and once a day (a few
// copies kept), and, when it cannot be read, moved aside — never replaced behind the user's back. The host
// then asks the user whether to restore the newest copy.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Database, type DatabaseOptions } from './database';

const BACKUPS_KEPT = 5;
const DAY_MS = 24 * 3600_000;
const BACKUP_NAME = /^library-(\d{8}T\d{6}Z)-v(\d+)\.sqlite$/;

export interface LibraryBackup {
  file: string;
  takenAt: Date;
  /** The schema version it was taken at. */
  schema: number;
}

/** The library could not be read. It was moved to `movedTo`; the copies there are to restore from, newest first. */
export class LibraryDamagedError extends Error {
  constructor(
    readonly movedTo: string,
    readonly backups: LibraryBackup[],
    reason: string,
  ) {
    super(
      `Verbatim's library could not be read (${reason}). It was moved aside to ${movedTo}, so nothing in it is lost. ` +
        (backups[0] ? `The newest backup is from ${backups[0].takenAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'There is no backup to restore.'),
    );
    this.name = 'LibraryDamagedError';
  }
}

/** Opens the library, checking it first and keeping a copy before migrations; a damaged file throws LibraryDamagedError. */
export function openLibrary(file: string, backupsDir: string, options: DatabaseOptions = {}): Database {
  const existed = existsSync(file);
  let db: Database | undefined;
  let problem: string | null = null;
  try {
    db = new Database(file, { ...options, beforeMigrating: (opened, from) => opened.snapshotTo(backupPath(backupsDir, from)) });
    if (existed) {
      const check = db.quickCheck();
      if (check !== 'ok') problem = check.slice(0, 300);
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Only a file SQLite cannot read is damage; a newer schema or a folder that cannot be written is said as it is.
    if (!existed || !(code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')) throw error;
    problem = (error as Error).message;
  }
  if (problem === null) {
    pruneBackups(backupsDir);
    return db!;
  }
  try {
    db?.close();
  } catch {
    // A damaged file may not close cleanly either.
  }
  const movedTo = moveAside(file);
  throw new LibraryDamagedError(movedTo, listBackups(backupsDir), problem);
}

/** A copy once a day, through SQLite's online backup while the app runs. Returns the copy's path, or null when one is recent. */
export async function dailyBackup(db: Database, backupsDir: string, now = new Date()): Promise<string | null> {
  const newest = listBackups(backupsDir)[0];
  if (newest && now.getTime() - newest.takenAt.getTime() < DAY_MS) return null;
  const file = backupPath(backupsDir, db.schemaVersion, now);
  await db.backupTo(file);
  pruneBackups(backupsDir);
  return file;
}

/** Newest first. */
export function listBackups(backupsDir: string): LibraryBackup[] {
  if (!existsSync(backupsDir)) return [];
  return readdirSync(backupsDir)
    .map((name) => ({ name, match: BACKUP_NAME.exec(name) }))
    .filter((entry) => entry.match)
    .map(({ name, match }) => ({ file: path.join(backupsDir, name), takenAt: parseStamp(match![1]!), schema: Number(match![2]) }))
    .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

/** Puts a backup in the library's place; the damaged file was moved aside already, and stays where it is. */
export function restoreBackup(backup: LibraryBackup, file: string): void {
  if (existsSync(file)) moveAside(file);
  copyFileSync(backup.file, file);
}

function backupPath(backupsDir: string, schema: number, at = new Date()): string {
  mkdirSync(backupsDir, { recursive: true });
  return path.join(backupsDir, `library-${stamp(at)}-v${schema}.sqlite`);
}

function pruneBackups(backupsDir: string): void {
  for (const old of listBackups(backupsDir).slice(BACKUPS_KEPT)) rmSync(old.file, { force: true });
}

/** The file and its WAL and shared-memory files, renamed beside it with the time. */
function moveAside(file: string): string {
  const movedTo = file.replace(/\.sqlite$/, '') + `.damaged-${stamp(new Date())}.sqlite`;
  renameSync(file, movedTo);
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix) && statSync(file + suffix).isFile()) renameSync(file + suffix, movedTo + suffix);
  return movedTo;
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function parseStamp(text: string): Date {
  return new Date(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(9, 11)}:${text.slice(11, 13)}:${text.slice(13, 15)}Z`);
}

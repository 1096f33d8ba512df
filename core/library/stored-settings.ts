import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { Settings } from '../../contracts/domain';
import { SETTINGS_KEY } from '../app-settings';

/**
 * The settings another process's library holds, read without joining it: read-only, no migrations,
 * so the CLI can learn the desktop app's storage folder while the app is running. Empty when there is
 * no library yet, or it cannot be read (locked, from a newer version): the defaults then apply.
 */
export function readStoredSettings(databaseFile: string): Partial<Settings> {
  if (!existsSync(databaseFile)) return {};
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(databaseFile, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTINGS_KEY) as { value: string } | undefined;
    const stored = Settings.partial().safeParse(row ? JSON.parse(row.value) : {});
    return stored.success ? stored.data : {};
  } catch {
    return {};
  } finally {
    db?.close();
  }
}

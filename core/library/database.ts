import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { makePrivate } from '../node/private-files';
import { migrations } from './migrations';

export type SqlParams = Record<string, unknown> | unknown[];

export interface DatabaseOptions {
  /** Queries slower than this are logged: synchronous SQLite shares the main thread with the UI's IPC. */
  slowQueryMs?: number;
  log?: (message: string) => void;
  /** A better-sqlite3 binary built for this runtime; Electron's ABI differs from Node's. */
  nativeBinding?: string;
  /** Called before migrations change an existing library, with its schema version: the moment to keep a copy. */
  beforeMigrating?: (db: Database, fromVersion: number) => void;
}

/**
 * The one way into SQLite: WAL, foreign keys, numbered migrations, cached statements and
 * slow-query logging. Stores build on run/get/all/transaction and never touch the driver.
 */
export class Database {
  private readonly db: BetterSqlite3.Database;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly slowQueryMs: number;
  private readonly log: (message: string) => void;

  constructor(file: string, options: DatabaseOptions = {}) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new BetterSqlite3(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    // Every transcript is in here: the owner's alone. SQLite gives its WAL and shared-memory files the same mode.
    if (file !== ':memory:') makePrivate(file, `${file}-wal`, `${file}-shm`);
    this.slowQueryMs = options.slowQueryMs ?? 50;
    this.log = options.log ?? ((message) => console.warn(message));
    this.db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commit.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate(options.beforeMigrating);
  }

  /** SQLite's own check of the file's pages and indexes: 'ok', or what is wrong. */
  quickCheck(): string {
    const rows = this.db.pragma('quick_check') as Array<{ quick_check: string }>;
    return rows.map((row) => row.quick_check).join('; ');
  }

  /** A consistent copy of the library in one statement, for the moment before migrations (nothing else runs yet). */
  snapshotTo(file: string): void {
    this.db.prepare('VACUUM INTO ?').run(file);
    makePrivate(file);
  }

  /** SQLite's online backup, a few pages at a time, while the app goes on using the library. */
  async backupTo(file: string): Promise<void> {
    await this.db.backup(file);
    makePrivate(file);
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  run(sql: string, params: SqlParams = []): BetterSqlite3.RunResult {
    return this.timed(sql, (statement) => statement.run(params));
  }

  get<T>(sql: string, params: SqlParams = []): T | undefined {
    return this.timed(sql, (statement) => statement.get(params) as T | undefined);
  }

  all<T>(sql: string, params: SqlParams = []): T[] {
    return this.timed(sql, (statement) => statement.all(params) as T[]);
  }

  /** Runs fn atomically; nested calls become savepoints. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  private timed<T>(sql: string, use: (statement: BetterSqlite3.Statement) => T): T {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    const started = performance.now();
    try {
      return use(statement);
    } finally {
      const elapsed = performance.now() - started;
      if (elapsed > this.slowQueryMs) {
        this.log(`[sqlite] slow query (${elapsed.toFixed(1)} ms): ${sql.replace(/\s+/g, ' ').trim().slice(0, 200)}`);
      }
    }
  }

  private migrate(beforeMigrating?: (db: Database, fromVersion: number) => void): void {
    const current = this.schemaVersion;
    if (current > migrations.length) {
      throw new Error(
        `This library was written by a newer version of Verbatim (schema ${current}; this version knows ${migrations.length}). Update Verbatim to open it.`,
      );
    }
    if (current > 0 && current < migrations.length) beforeMigrating?.(this, current);
    for (let version = current + 1; version <= migrations.length; version++) {
      this.db.transaction(() => {
        this.db.exec(migrations[version - 1]!);
        this.db.pragma(`user_version = ${version}`);
      })();
    }
  }
}

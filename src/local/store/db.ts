// The local gateway's store: one SQLite file (WAL) through node:sqlite, with versioned migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { migrations } from './migrations.js';

export interface StoreOptions {
  /** Directory holding `aigw.db`; ignored when inMemory. */
  dataDir?: string;
  inMemory?: boolean;
}

export interface Store {
  db: DatabaseSync;
  /** Path of the database file, or ':memory:'. */
  location: string;
  /** The prepared statement for `sql`, prepared on first use and kept for the life of the store. */
  statement(sql: string): StatementSync;
  close(): void;
}

export function openStore(options: StoreOptions): Store {
  let location = ':memory:';
  if (!options.inMemory) {
    if (!options.dataDir) throw new Error('openStore: dataDir is required unless inMemory');
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    location = join(options.dataDir, 'aigw.db');
  }
  const db = new DatabaseSync(location);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  migrate(db);
  const statements = new Map<string, StatementSync>();
  return {
    db,
    location,
    statement: (sql) => {
      let prepared = statements.get(sql);
      if (!prepared) {
        prepared = db.prepare(sql);
        statements.set(sql, prepared);
      }
      return prepared;
    },
    close: () => {
      if (db.isOpen) db.close();
    },
  };
}

function migrate(db: DatabaseSync): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  const current = row.user_version;
  if (current > migrations.length) {
    throw new Error(
      `The data directory was written by a newer aigw (schema ${current}, this one knows ${migrations.length}).`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    db.exec('BEGIN');
    try {
      db.exec(migrations[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
}

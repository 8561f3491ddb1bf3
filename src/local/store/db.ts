// The local gateway's store: one SQLite file (WAL) through node:sqlite, with versioned migrations.
// The files hold prompts, answers and custom-provider secrets: they are the user's alone (0600, in a 0700
// directory when aigw creates it), and one proxy at a time owns them (aigw.lock).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { AigwError } from '../../errors.js';
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
  /** Said once at start-up: a data directory other users can read. */
  warnings: string[];
  /** The prepared statement for `sql`, prepared on first use and kept for the life of the store. */
  statement(sql: string): StatementSync;
  close(): void;
}

export function openStore(options: StoreOptions): Store {
  let location = ':memory:';
  const warnings: string[] = [];
  let lock: DatabaseSync | null = null;
  if (!options.inMemory) {
    if (!options.dataDir) throw new Error('openStore: dataDir is required unless inMemory');
    const warning = prepareDataDir(options.dataDir);
    if (warning) warnings.push(warning);
    lock = lockDataDir(options.dataDir);
    location = join(options.dataDir, 'aigw.db');
    // SQLite creates -wal and -shm with the database file's mode, so a private database file is enough.
    createPrivate(location);
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(location);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    lock?.close();
    throw err;
  }
  // Left by an older aigw with the umask's mode: made private too.
  if (lock) for (const suffix of ['-wal', '-shm']) makePrivate(location + suffix);
  const statements = new Map<string, StatementSync>();
  return {
    db,
    location,
    warnings,
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
      if (lock?.isOpen) lock.close();
    },
  };
}

/**
 * Creates the data directory 0700 (whatever the umask); an existing one keeps its mode, with a warning
 * when others may read it.
 */
function prepareDataDir(dir: string): string | null {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    return null;
  }
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  return (
    `The data directory ${dir} is open to other users (mode ${mode.toString(8)}); it holds prompts, ` +
    `answers and provider secrets. Make it private with: chmod 700 ${shellQuote(dir)}`
  );
}

function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

/** Creates `path` 0600 whatever the umask; an existing file loses any access by others. */
function createPrivate(path: string): void {
  const created = !existsSync(path);
  closeSync(openSync(path, 'a', 0o600));
  if (created) chmodSync(path, 0o600);
  else makePrivate(path);
}

function makePrivate(path: string): void {
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * One proxy per data directory: a second one would serve settings the first has changed since (gateway
 * authentication, say). The lock is an exclusive SQLite lock on aigw.lock, held for the life of the store;
 * the system drops it when the process ends, however it ends (kill -9 included).
 */
function lockDataDir(dir: string): DatabaseSync {
  const path = join(dir, 'aigw.lock');
  createPrivate(path);
  const lock = new DatabaseSync(path);
  try {
    lock.exec('PRAGMA busy_timeout = 0');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    lock.close();
    if ((err as { errcode?: number }).errcode === SQLITE_BUSY) {
      throw new AigwError(`Another aigw proxy is using the data directory ${dir}.`, {
        hint: 'Stop it first, or start this one with another --data-dir (or --in-memory).',
      });
    }
    throw err;
  }
  return lock;
}

const SQLITE_BUSY = 5;

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

// The local gateway's store: one SQLite file (WAL) through node:sqlite, with versioned migrations.
// The files hold prompts, answers and custom-provider secrets: they are the user's alone (0600, in a 0700
// directory when aigw creates it), and one proxy at a time owns them (aigw.lock).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { EnvironmentError } from '../../errors.js';
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

/**
 * The store cannot be used as it is on this machine (not a bug of aigw): the data directory cannot be made or
 * written, the file is not an aigw database, or a newer aigw wrote it. `path` is the directory or the file.
 */
export class StoreError extends Error {
  constructor(
    readonly problem: 'directory' | 'not-aigw' | 'newer',
    readonly path: string,
    /** What is wrong with `path`, to follow its name: "is a file, not a directory". */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${path} ${detail}`, options);
    this.name = 'StoreError';
  }
}

export function openStore(options: StoreOptions): Store {
  let location = ':memory:';
  const warnings: string[] = [];
  let lock: DatabaseSync | null = null;
  if (!options.inMemory) {
    if (!options.dataDir) throw new Error('openStore: dataDir is required unless inMemory');
    try {
      const warning = prepareDataDir(options.dataDir);
      if (warning) warnings.push(warning);
      lock = lockDataDir(options.dataDir);
      location = join(options.dataDir, 'aigw.db');
      // SQLite creates -wal and -shm with the database file's mode, so a private database file is enough.
      createPrivate(location);
    } catch (err) {
      lock?.close();
      throw directoryError(err, options.dataDir);
    }
  }
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(location);
    db.exec('PRAGMA busy_timeout = 5000');
    // Checked before anything is written: a file that is not ours keeps its content.
    const version = schemaVersion(db, location);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db, version, location);
  } catch (err) {
    if (db?.isOpen) db.close();
    lock?.close();
    throw storeError(err, location, options.dataDir);
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
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new StoreError('directory', dir, 'is a file, not a directory');
  const mode = stat.mode & 0o777;
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
      throw new EnvironmentError(`Another aigw proxy is using the data directory ${dir}.`, {
        hint: 'Stop it first, or start this one with another --data-dir (or --in-memory).',
      });
    }
    throw err;
  }
  return lock;
}

const SQLITE_BUSY = 5;

/** The file's aigw schema version; a StoreError when a newer aigw or something else wrote it. */
function schemaVersion(db: DatabaseSync, location: string): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  const current = row.user_version;
  if (current > migrations.length) {
    throw new StoreError(
      'newer',
      location,
      `was written by a newer aigw (schema ${current}; this aigw knows ${migrations.length})`,
    );
  }
  if (current === 0) {
    // Never add aigw's tables to somebody else's database.
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all()
      .map((t) => String(t.name));
    if (tables.length > 0) {
      throw new StoreError('not-aigw', location, `holds tables aigw did not create (${tables.join(', ')})`);
    }
  }
  return current;
}

function migrate(db: DatabaseSync, current: number, location: string): void {
  for (let version = current; version < migrations.length; version++) {
    db.exec('BEGIN');
    try {
      db.exec(migrations[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      // A table or index left behind by something else: the file is not what its schema version says.
      const conflict = /^(table|index) (\S+) already exists/.exec(errorMessage(err));
      if (conflict) {
        throw new StoreError(
          'not-aigw',
          location,
          `holds a ${conflict[1]} ${conflict[2]} that aigw's schema ${version + 1} would create`,
          { cause: err },
        );
      }
      throw err;
    }
  }
}

/** SQLite's refusals that come from the file or the machine, not from aigw. */
function storeError(err: unknown, location: string, dataDir: string | undefined): unknown {
  if (err instanceof StoreError) return err;
  const { code, errcode, errstr } = err as { code?: string; errcode?: number; errstr?: string };
  if (code !== 'ERR_SQLITE_ERROR') return err;
  const primary = (errcode ?? 0) & 0xff;
  // SQLITE_NOTADB, SQLITE_CORRUPT
  if (primary === 26 || primary === 11) {
    return new StoreError('not-aigw', location, `is not an aigw database (${errstr})`, { cause: err });
  }
  // SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM, SQLITE_IOERR, SQLITE_FULL
  if ([14, 8, 3, 10, 13].includes(primary)) {
    return new StoreError('directory', dataDir ?? location, `cannot hold the database: ${errstr}`, {
      cause: err,
    });
  }
  return err;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The data directory cannot be made or written: said as what is wrong with it. */
function directoryError(err: unknown, dir: string): unknown {
  if (err instanceof StoreError || err instanceof EnvironmentError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const detail =
    code === 'EEXIST' || code === 'ENOTDIR'
      ? 'cannot be created: part of its path is a file, not a directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be created or written: permission denied'
        : code === 'EROFS'
          ? 'cannot be written: the file system is read-only'
          : code === 'ENOSPC'
            ? 'cannot be written: the disk is full'
            : null;
  if (detail) return new StoreError('directory', dir, detail, { cause: err });
  return storeError(err, join(dir, 'aigw.lock'), dir);
}

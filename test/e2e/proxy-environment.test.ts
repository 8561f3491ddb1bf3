// `aigw proxy` when the machine is in the way: a data directory it cannot use, a database that is not its own
// or comes from a newer aigw, an address it cannot bind. Each says what is wrong and what to do (exit 2 for a
// value the user typed, 1 otherwise), never "a bug in aigw", and leaves files that are not its own untouched.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, type CliSandbox, cliSandbox } from '../helpers/run-cli.js';

let sandbox: CliSandbox;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => sandbox.cleanup());

function expectExplained(result: CliResult, code: number, message: string, hint: RegExp): void {
  expect(result.stderr).toContain(message);
  expect(result.stderr).toMatch(hint);
  expect(result.stderr).not.toContain('looks like a bug');
  expect(result.stderr).not.toContain('    at ');
  expect(result.code).toBe(code);
}

/** A data directory holding an aigw.db made by `sql`. */
function dataDirWith(name: string, sql: string): { dir: string; file: string } {
  const dir = join(sandbox.home, name);
  mkdirSync(dir);
  const file = join(dir, 'aigw.db');
  const db = new DatabaseSync(file);
  db.exec(sql);
  db.close();
  return { dir, file };
}

// Bounded: a proxy that started instead of refusing would run until stopped.
const proxy = (args: string[], env?: Record<string, string>) =>
  sandbox.run(['proxy', '--port', '0', ...args], { timeoutMs: 10_000, ...(env ? { env } : {}) });

describe('aigw proxy data directory', () => {
  it('refuses a --data-dir that is a file (exit 2)', async () => {
    const file = join(sandbox.home, 'not-a-dir');
    writeFileSync(file, 'x');
    expectExplained(
      await proxy(['--data-dir', file]),
      2,
      `--data-dir ${file} is a file, not a directory.`,
      /Point --data-dir at a directory you can write, or use --in-memory/,
    );
  });

  it('says when AIGW_DATA_DIR cannot be created (exit 1: no flag was typed)', async () => {
    // A path under a regular file cannot be written whoever runs the test, root included.
    const file = join(sandbox.home, 'plain-file');
    writeFileSync(file, 'x');
    expectExplained(
      await proxy([], { AIGW_DATA_DIR: join(file, 'aigw') }),
      1,
      `${join(file, 'aigw')} (AIGW_DATA_DIR) cannot be created: part of its path is a file, not a directory.`,
      /--in-memory/,
    );
  });

  it('says when a --data-dir in the settings file cannot be written (exit 2)', async () => {
    const file = join(sandbox.home, 'plain-file');
    writeFileSync(file, 'x');
    const settings = join(sandbox.home, 'aigw.proxy.yaml');
    writeFileSync(settings, `dataDir: ${join(file, 'data')}\n`);
    expectExplained(
      await proxy(['--config', settings]),
      2,
      `(dataDir in ${settings}) cannot be created`,
      /Point dataDir in .* at a directory you can write/,
    );
  });

  // Permissions do not stop root, so this one runs only as another user; the path under a file above covers root.
  it.skipIf(process.getuid?.() === 0)('says when --data-dir is not writable (exit 2)', async () => {
    const { chmodSync } = await import('node:fs');
    const locked = join(sandbox.home, 'locked');
    mkdirSync(locked, { mode: 0o500 });
    chmodSync(locked, 0o500);
    expectExplained(
      await proxy(['--data-dir', join(locked, 'data')]),
      2,
      'permission denied',
      /a directory you can write/,
    );
  });
});

describe('aigw proxy database', () => {
  it('refuses a database written by a newer aigw, and leaves it as it was', async () => {
    const { dir, file } = dataDirWith('newer', 'CREATE TABLE future (x); PRAGMA user_version = 999');
    const before = readFileSync(file);
    expectExplained(
      await proxy(['--data-dir', dir]),
      1,
      `The database ${file} was written by a newer aigw (schema 999; this aigw knows`,
      /Run that newer aigw on it, or use another --data-dir, or --in-memory/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database, and leaves it as it was', async () => {
    const dir = join(sandbox.home, 'garbage');
    mkdirSync(dir);
    const file = join(dir, 'aigw.db');
    writeFileSync(file, 'this is not SQLite, and it is somebody else’s\n'.repeat(100));
    const before = readFileSync(file);
    expectExplained(
      await proxy(['--data-dir', dir]),
      1,
      `${file} is not an aigw database (file is not a database).`,
      /Move the file away/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses somebody else's database instead of adding tables to it", async () => {
    const { dir, file } = dataDirWith('foreign', 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
    const before = readFileSync(file);
    expectExplained(
      await proxy(['--data-dir', dir]),
      1,
      `${file} holds tables aigw did not create (users).`,
      /Move the file away/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('says which leftover table is in the way of a migration', async () => {
    // Schema 1 says the file has only the first migration's tables; a custom_providers table is in the way.
    const { dir, file } = dataDirWith(
      'leftover',
      'CREATE TABLE custom_providers (x); PRAGMA user_version = 1',
    );
    expectExplained(
      await proxy(['--data-dir', dir]),
      1,
      `${file} holds a table custom_providers that aigw's schema 2 would create.`,
      /Move the file away/,
    );
  });

  it('reports the problem as JSON under --json', async () => {
    const { dir } = dataDirWith('newer-json', 'PRAGMA user_version = 999');
    const result = await proxy(['--json', '--data-dir', dir]);
    expect(result.code).toBe(1);
    const error = JSON.parse(result.stderr.trim()) as { error: { code: string; exit: number } };
    expect(error.error).toMatchObject({ code: 'environment', exit: 1 });
  });
});

describe('aigw proxy address', () => {
  it('refuses a --host that is not an address of this machine (exit 2), sending nothing', async () => {
    // Binding fails locally with EADDRNOTAVAIL: no packet leaves for that address.
    expectExplained(
      await proxy(['--in-memory', '--host', '10.255.255.1']),
      2,
      '--host 10.255.255.1 is not an address of this machine, so aigw proxy cannot listen there.',
      /Use 127\.0\.0\.1 \(the default\)/,
    );
  });
});

// The store's files are the user's alone (they hold prompts, answers and provider secrets), and one proxy at a
// time owns a data directory.
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AigwError } from '../../src/errors.js';
import { openStore } from '../../src/local/store/db.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('store files', () => {
  let root: string;
  let umask: number;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'aigw-store-files-'));
    umask = process.umask(0); // the most permissive umask: nothing may depend on it
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the data directory 0700 and aigw.db, -wal, -shm and aigw.lock 0600 whatever the umask', () => {
    const dir = join(root, 'new', 'data');
    const store = openStore({ dataDir: dir });
    store.db.exec("INSERT INTO gateways VALUES ('a', 'g', '{}', 'x', 'x')");
    expect(store.warnings).toEqual([]);
    expect(mode(dir)).toBe(0o700);
    for (const file of ['aigw.db', 'aigw.db-wal', 'aigw.db-shm', 'aigw.lock']) {
      expect([file, mode(join(dir, file))]).toEqual([file, 0o600]);
    }
    store.close();
  });

  it('makes files an older version left readable by others private', () => {
    for (const file of ['aigw.db', 'aigw.db-wal', 'aigw.db-shm']) {
      closeSync(openSync(join(root, file), 'w', 0o644));
    }
    chmodSync(root, 0o700);
    const store = openStore({ dataDir: root });
    for (const file of ['aigw.db', 'aigw.db-wal', 'aigw.db-shm']) {
      expect([file, mode(join(root, file))]).toEqual([file, 0o600]);
    }
    store.close();
  });

  it('warns when an existing data directory is open to other users, and leaves its mode alone', () => {
    const dir = join(root, 'shared');
    mkdirSync(dir, { mode: 0o755 });
    const store = openStore({ dataDir: dir });
    expect(store.warnings).toHaveLength(1);
    expect(store.warnings[0]).toContain(`The data directory ${dir} is open to other users (mode 755)`);
    expect(store.warnings[0]).toContain(`chmod 700 ${dir}`);
    expect(mode(dir)).toBe(0o755);
    store.close();
  });

  it('refuses a second store on a data directory in use, and allows it once the first is closed', () => {
    const first = openStore({ dataDir: root });
    let refused: unknown;
    try {
      openStore({ dataDir: root });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(AigwError);
    expect((refused as AigwError).message).toBe(`Another aigw proxy is using the data directory ${root}.`);
    expect((refused as AigwError).hint).toContain('--data-dir');
    first.close();
    const second = openStore({ dataDir: root });
    second.close();
  });
});

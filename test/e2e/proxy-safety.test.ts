// `aigw proxy` keeps its data to itself: a data directory others can open is pointed out, and a second proxy
// on a data directory in use is refused.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../helpers/run-cli.js';

let sandbox: CliSandbox;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => sandbox.cleanup());

/** Starts the proxy and resolves with it and its stderr once it says it is up. */
function startProxy(args: string[]): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = sandbox.spawn(['proxy', '--port', '0', ...args]);
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${err}`)), 15_000);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (err.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolve({ child, stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}:\n${err}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    // 'close': stderr is read to the end.
    child.once('close', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('aigw proxy data directory', () => {
  it('warns at start-up when the data directory is open to other users, and stops cleanly when idle', async () => {
    const dataDir = join(sandbox.home, 'shared-data');
    mkdirSync(dataDir, { mode: 0o755 });
    const { child, stderr } = await startProxy(['--data-dir', dataDir]);
    expect(await stop(child)).toBe(0);
    expect(stderr()).toContain(`The data directory ${dataDir} is open to other users (mode 755)`);
    expect(stderr()).toMatch(/Stopped/);
  });

  it('refuses a second proxy on a data directory in use, with exit 1 and a clear message', async () => {
    const dataDir = join(sandbox.home, 'data');
    const first = await startProxy(['--data-dir', dataDir]);
    try {
      const second = await sandbox.run(['proxy', '--port', '0', '--data-dir', dataDir]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`Another aigw proxy is using the data directory ${dataDir}.`);
      expect(second.stderr).toContain('--data-dir');
      expect(second.stderr).not.toContain('    at ');
    } finally {
      expect(await stop(first.child)).toBe(0);
    }
    expect(first.stderr()).not.toContain('open to other users');
  });
});

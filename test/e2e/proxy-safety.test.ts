// `aigw proxy` keeps its data to itself: a data directory others can open is pointed out, and a second proxy
// on a data directory in use is refused.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../helpers/run-cli.js';

let sandbox: CliSandbox;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => sandbox.cleanup());

/** Starts the proxy and resolves with it and its stderr once it says it is up. */
function startProxy(
  args: string[],
): Promise<{ child: ChildProcess; stderr: () => string; stdout: () => string }> {
  const child = sandbox.spawn(['proxy', '--port', '0', ...args]);
  let err = '';
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${err}`)), 15_000);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (err.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolve({ child, stderr: () => err, stdout: () => out });
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

describe('aigw proxy token', () => {
  it('says in --help that --api-token is visible in ps, and points to the variable and the file', async () => {
    const help = await sandbox.run(['proxy', '--help']);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('other users see it in `ps`');
    expect(text).toContain('AIGW_PROXY_API_TOKEN');
    expect(text).toContain('--api-token-file');
  });

  it('reads the token from --api-token-file, keeps it out of its command line, and requires it', async () => {
    const file = join(sandbox.home, 'token');
    writeFileSync(file, 'file-token-1234\n', { mode: 0o600 });
    const { child, stdout } = await startProxy(['--in-memory', '--api-token-file', file, '--json']);
    try {
      const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
      expect(cmdline).not.toContain('file-token-1234');
      await expect.poll(stdout).toContain('{');
      const line = stdout()
        .split('\n')
        .find((l) => l.startsWith('{'))!;
      const { url } = JSON.parse(line) as { url: string };
      const call = (token: string) =>
        fetch(`${url}/client/v4/accounts`, { headers: { authorization: `Bearer ${token}` } }).then(
          (r) => r.status,
        );
      expect(await call('wrong')).toBe(403);
      expect(await call('file-token-1234')).toBe(200);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('refuses a token given twice, and an empty token file, with exit 2', async () => {
    const file = join(sandbox.home, 'token');
    writeFileSync(file, 'abc\n');
    const both = await sandbox.run(['proxy', '--in-memory', '--api-token', 'x', '--api-token-file', file]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--api-token-file and --api-token');
    writeFileSync(file, '\n');
    const empty = await sandbox.run(['proxy', '--in-memory', '--api-token-file', file]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('holds no token');
  });
});

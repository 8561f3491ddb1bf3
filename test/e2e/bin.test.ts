// bin/aigw.js itself: it runs on this Node, and refuses an older one in one line.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkNode } from '../../bin/check-node.js';
import pkg from '../../package.json' with { type: 'json' };
import { binPath, cliSandbox } from '../helpers/run-cli.js';

/** A Node on this machine older than the minimum (machines here ship one), if any. */
function olderNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    const result = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (result.status === 0 && checkNode(result.stdout.trim().replace(/^v/, '')) !== null) return candidate;
  }
  return undefined;
}

describe('bin/aigw.js', () => {
  it('--version and -v print the version on the current Node', async () => {
    const sandbox = cliSandbox();
    try {
      for (const flag of ['--version', '-v']) {
        const r = await sandbox.run([flag]);
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(`${pkg.version}\n`);
      }
      const help = await sandbox.run(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: aigw');
    } finally {
      sandbox.cleanup();
    }
  });

  it('--version after routes deploy or rollback is a usage error naming --to, not aigw’s version', async () => {
    const sandbox = cliSandbox();
    try {
      for (const args of [
        ['routes', 'deploy', 'prod', 'support', '--version', '1'],
        ['route', 'deploy', 'prod', 'support', '-v', '1'],
        ['routes', 'deploy', '--version=1', 'prod', 'support'],
        ['--local', 'routes', 'rollback', 'prod', 'support', '--version', '1'],
      ]) {
        const r = await sandbox.run(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^Error: aigw routes (deploy|rollback) has no --version option/);
        expect(r.stderr).toContain('--to <n|id>');
      }
      const json = await sandbox.run(['routes', 'deploy', 'prod', 'support', '--version', '1', '--json']);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'usage', exit: 2 } });
      for (const args of [
        ['routes', '--version'],
        ['--json', '--version'],
      ]) {
        const r = await sandbox.run(args);
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(`${pkg.version}\n`);
      }
    } finally {
      sandbox.cleanup();
    }
  });

  it('--json makes a usage error one JSON line on stderr, exit 2 as without it', async () => {
    const sandbox = cliSandbox();
    try {
      const r = await sandbox.run(['gateway', 'lst', '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(JSON.parse(r.stderr)).toEqual({
        error: {
          code: 'usage',
          message: "unknown command 'lst'",
          exit: 2,
          hint: 'Did you mean one of list, ls?',
        },
      });
    } finally {
      sandbox.cleanup();
    }
  });

  it('help wraps to the terminal: aigw proxy --help at COLUMNS=80 has no line over 80 columns', () => {
    const r = spawnSync(process.execPath, [binPath, 'proxy', '--help'], {
      encoding: 'utf8',
      env: { ...process.env, COLUMNS: '80' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });

  const old = olderNode();
  it.skipIf(!old)('an unsupported Node gets one line and exit 1', () => {
    const version = execFileSync(old!, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
    const r = spawnSync(old!, [binPath, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${checkNode(version)}\n`);
  });
});

import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process.js';

describe('aigw help', () => {
  it('exit-codes lists every code', async () => {
    const r = await runInProcess(['help', 'exit-codes']);
    expect(r.code).toBe(0);
    for (const code of ['0 ', '1 ', '2 ', '4 ', '130']) expect(r.stdout).toContain(`  ${code}`);
  });

  it('environment names the variables aigw reads', async () => {
    const r = await runInProcess(['help', 'environment']);
    expect(r.code).toBe(0);
    for (const name of [
      'CLOUDFLARE_API_TOKEN',
      'AIGW_PROFILE',
      'AIGW_CONFIG_DIR',
      'NO_COLOR',
      'AIGW_LOCAL_TOKEN',
    ])
      expect(r.stdout).toContain(name);
  });

  it('secrets says where each kind of secret comes from and that none is shown', async () => {
    const r = await runInProcess(['help', 'secrets']);
    expect(r.code).toBe(0);
    for (const text of ['--with-token', '--secret-file', '--headers-file', '--debug'])
      expect(r.stdout).toContain(text);
  });

  it('help for a nested command', async () => {
    const r = await runInProcess(['help', 'auth', 'login']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: aigw auth login');
    expect(r.stdout).toContain('--with-token');
  });

  it('an unknown topic is a usage error (exit 2) naming the topics', async () => {
    const r = await runInProcess(['help', 'no-such-topic']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No command or help topic "no-such-topic"');
    expect(r.stderr).toContain('exit-codes, environment, secrets');
  });
});

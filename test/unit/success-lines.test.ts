// Every verb that changes something says so the same way: `✓ <what it did>.` on stderr, in a terminal only, and
// never with --json (stdout then holds the JSON alone). Checked on verbs of two nouns that need no API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess, tempConfigDir } from '../helpers/in-process.js';

let tmp: ReturnType<typeof tempConfigDir>;
let env: Record<string, string>;
beforeEach(() => {
  tmp = tempConfigDir();
  env = { AIGW_CONFIG_DIR: tmp.dir, NO_COLOR: '1' };
});
afterEach(() => tmp.cleanup());

const add = (options: { tty?: boolean; json?: boolean } = {}) =>
  runInProcess(
    [...(options.json ? ['--json'] : []), 'profile', 'add', 'dev', '--account-id', 'a'.repeat(32)],
    { env, tty: options.tty === true },
  );

describe('success lines', () => {
  it('in a terminal: one ✓ line on stderr, a sentence in the past tense', async () => {
    const r = await add({ tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`✓ Created profile dev for ${'a'.repeat(32)}.`);
    const use = await runInProcess(['profile', 'use', 'dev'], { env, tty: true });
    expect(use.stderr.split('\n')[0]).toBe('✓ Switched to profile dev.');
  });

  it('piped: no success line (scripts read the data, not the chatter)', async () => {
    const r = await add();
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('✓');
    expect(r.stderr).not.toContain('Created profile');
    const use = await runInProcess(['profile', 'use', 'dev'], { env });
    expect(use.code).toBe(0);
    expect(use.stderr).toBe('');
  });

  it('with --json, even in a terminal: the JSON on stdout and no success line', async () => {
    const r = await add({ tty: true, json: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'dev', account_id: 'a'.repeat(32) });
    expect(r.stderr).not.toContain('✓');
  });
});

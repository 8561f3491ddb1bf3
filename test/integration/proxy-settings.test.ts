// `aigw proxy` refuses nonsense before anything starts: unknown or mistyped keys in its settings file, mock or
// upstream providers it does not know, upstream URLs that are not URLs. Exit 2, naming the bad part.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'aigw-proxy-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function settingsFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const proxy = (args: string[]) =>
  runInProcess(['proxy', '--port', '0', '--in-memory', ...args], { env: { HOME: dir } });

describe('aigw proxy --config', () => {
  it('names every unknown key and wrong type, and the file', async () => {
    const file = settingsFile(
      'typos.yaml',
      'data-dir: ./data\nport: "abc"\ninMemory: "yes"\nupstream: {}\napiToken: 12345\n',
    );
    const result = await proxy(['--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--config ${file}: unknown key "data-dir" (did you mean "dataDir"?)`);
    expect(result.stderr).toContain(`--config ${file}: unknown key "upstream" (did you mean "upstreams"?)`);
    expect(result.stderr).toContain(
      `--config ${file}: port must be a whole number from 0 to 65535, not "abc"`,
    );
    expect(result.stderr).toContain(`--config ${file}: inMemory must be true or false, not "yes"`);
    expect(result.stderr).toContain(`--config ${file}: apiToken must be a non-empty string.`);
    expect(result.stderr).not.toContain('12345');
    expect(result.stderr).toMatch(
      /Keys: port, host, dataDir, inMemory, apiToken, accountId, upstreams, mock/,
    );
    expect(result.stderr).not.toContain('looks like a bug');
  });

  it('refuses mock values it cannot honour instead of treating them as off', async () => {
    const list = await proxy([
      '--config',
      settingsFile('mock-list.yaml', 'mock: [openai, nosuchprovider]\n'),
    ]);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('mock in ');
    expect(list.stderr).toContain('unknown provider "nosuchprovider"');
    const number = await proxy(['--config', settingsFile('mock-number.yaml', 'mock: 1\n')]);
    expect(number.code).toBe(2);
    expect(number.stderr).toContain('mock must be true, false, a list like "openai,anthropic"');
    const empty = await proxy(['--config', settingsFile('mock-empty.json', '{"mock": ""}')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('names no provider');
  });

  it('checks the providers and URLs of upstreams in the file', async () => {
    const file = settingsFile(
      'upstreams.yaml',
      'upstreams:\n  openai: http://127.0.0.1:9/v1\n  nosuch: http://x\n',
    );
    const result = await proxy(['--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`upstreams.nosuch in ${file}: unknown provider "nosuch"`);
  });
});

describe('aigw proxy flags', () => {
  it('refuses --mock for a provider it does not know, listing the providers', async () => {
    const result = await proxy(['--mock', 'openai,nosuchprovider']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--mock: unknown provider "nosuchprovider"');
    expect(result.stderr).toMatch(/Providers: openai, anthropic, .*groq.*, or custom-\{slug\}/);
  });

  it('refuses --upstream for an unknown provider or with a malformed URL', async () => {
    const unknown = await proxy(['--upstream', 'foo=http://127.0.0.1:9/v1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--upstream: unknown provider "foo"');
    expect(unknown.stderr).toContain('Providers: openai, anthropic');
    const malformed = await proxy(['--upstream', 'openai=127.0.0.1:9001/v1']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--upstream openai: "127.0.0.1:9001/v1" is not an http(s) URL');
    const custom = await proxy(['--upstream', 'custom-=http://127.0.0.1:9/v1']);
    expect(custom.code).toBe(2);
  });

  it('refuses a provider both mocked and sent elsewhere', async () => {
    const result = await proxy(['--mock', 'openai', '--upstream', 'openai=http://127.0.0.1:9/v1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('openai is both mocked and sent to http://127.0.0.1:9/v1');
  });
});

describe('aigw proxy --record / --replay', () => {
  it('refuses contradictory or incomplete recording settings (exit 2)', async () => {
    const both = await proxy(['--record', join(dir, 'a'), '--replay', join(dir, 'a')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--record and --replay cannot be used together');
    const missing = await proxy(['--replay', join(dir, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such directory');
    expect(missing.stderr).toContain('aigw proxy --record');
    const alone = await proxy(['--record-missing']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('go with --replay DIR');
    const rule = await proxy(['--record', join(dir, 'a'), '--replay-ignore', 'openai:user']);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toContain('--replay-ignore: "openai:user" is not provider:path:field');
    const file = await proxy([
      '--config',
      settingsFile('rec.yaml', 'replaySpeed: fast\nreplayIgnore: user\n'),
    ]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('replaySpeed must be "instant" or "recorded"');
    expect(file.stderr).toContain('replayIgnore must be a list');
  });
});

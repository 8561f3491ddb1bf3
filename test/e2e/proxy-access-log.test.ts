// `aigw proxy` access lines as a user sees them: one per answered request on stderr (text in a terminal, JSON
// Lines with --log-format json), none with --quiet or when stderr is not a terminal and no format was asked.
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../helpers/run-cli.js';

let sandbox: CliSandbox;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => sandbox.cleanup());

interface Proxy {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

async function start(args: string[], env: Record<string, string> = {}): Promise<Proxy> {
  const child = sandbox.spawn(['proxy', '--port', '0', '--json', '--in-memory', '--mock', ...args], { env });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`aigw proxy did not start:\n${err}`)), 15_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return { url, child, stderr: () => err };
}

/** Stops the proxy (SIGTERM) and returns its exit code. */
function stop(proxy: Proxy): Promise<number | null> {
  return new Promise((resolve) => {
    proxy.child.once('exit', (code) => resolve(code));
    proxy.child.kill('SIGTERM');
  });
}

/** A success, a provider error (the mock's @status=500), a cache miss then hit, and an unknown gateway. */
async function traffic(url: string): Promise<string[]> {
  await fetch(`${url}/client/v4/accounts/local/ai-gateway/gateways`, {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify({
      id: 'demo',
      cache_ttl: 0,
      cache_invalidate_on_update: false,
      collect_logs: true,
      rate_limiting_interval: 0,
      rate_limiting_limit: 0,
    }),
  });
  const ids: string[] = [];
  const ask = async (gateway: string, model: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/v1/local/${gateway}/openai/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }),
    });
    await res.arrayBuffer();
    ids.push(res.headers.get('cf-aig-log-id') ?? '');
  };
  await ask('demo', 'gpt-4o-mini');
  await ask('demo', 'gpt-4o-mini@status=500');
  await ask('demo', 'gpt-4o', { 'cf-aig-cache-ttl': '60' });
  await ask('demo', 'gpt-4o', { 'cf-aig-cache-ttl': '60' });
  await ask('missing', 'gpt-4o-mini');
  return ids;
}

describe('aigw proxy access lines', () => {
  it('are JSON Lines with --log-format json, one per request, refused ones included', async () => {
    const proxy = await start(['--log-format', 'json']);
    const ids = await traffic(proxy.url);
    expect(await stop(proxy)).toBe(0);
    const lines = proxy
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.gateway, l.provider, l.status, l.cached, l.log_id])).toEqual([
      ['demo', 'openai', 200, false, ids[0]],
      ['demo', 'openai', 500, false, ids[1]],
      ['demo', 'openai', 200, false, ids[2]],
      ['demo', 'openai', 200, true, ids[3]],
      ['missing', 'openai', 400, false, null],
    ]);
    expect(lines[0]).toMatchObject({ account_id: 'local', model: 'gpt-4o-mini' });
    expect(lines[0]!.cost).toBeGreaterThan(0);
    expect(lines[1]!.cost).toBeNull();
    for (const line of lines) {
      expect(Date.parse(line.time as string)).not.toBeNaN();
      expect(line.duration_ms).toBeGreaterThanOrEqual(0);
    }
    expect(proxy.stderr()).not.toContain('sk-test');
  });

  it('are text in a terminal, and absent with --quiet or when stderr is not a terminal', async () => {
    const terminal = await start([], { AIGW_FORCE_TTY: '1', NO_COLOR: '1' });
    await traffic(terminal.url);
    expect(await stop(terminal)).toBe(0);
    const text = terminal
      .stderr()
      .split('\n')
      .filter((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l));
    expect(text).toHaveLength(5);
    expect(text[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} {2}demo {2}openai\/gpt-4o-mini {2}200 {2}- {2}\d+ ms {2}\$0\.\d{6}$/,
    );
    expect(text[1]).toMatch(/ {2}500 {2}- {2}\d+ ms {2}-$/);
    expect(text[3]).toMatch(/ {2}200 {2}HIT {2}/);
    expect(text[4]).toMatch(/ {2}missing {2}openai {2}400 {2}/);

    for (const [args, env] of [
      [['--quiet'], { AIGW_FORCE_TTY: '1' }],
      [[], {}],
    ] as const) {
      const quiet = await start([...args], env);
      await traffic(quiet.url);
      expect(await stop(quiet)).toBe(0);
      expect(quiet.stderr()).not.toMatch(/^\d\d:\d\d:\d\d\.\d{3} /m);
      expect(quiet.stderr()).not.toMatch(/^\{/m);
    }
  });

  it('refuses an unknown --log-format with a usage error (exit 2)', async () => {
    const result = await sandbox.run(['proxy', '--port', '0', '--in-memory', '--log-format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('xml');
  });
});

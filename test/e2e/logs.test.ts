// `aigw request` and `aigw logs ...` as a user runs them: the built bin against `aigw proxy --mock`. Requests
// make a success, a provider error and a cache hit; the logs verbs find, follow, read, rate, delete and export
// exactly those logs. Each test reads a gateway of its own, with the same logs made through the data plane.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, createGatewayOn, sandboxWithProxy } from '../helpers/run-cli.js';

// No provider key, API token or gateway token shows in any output.
const env = sandboxWithProxy(['--mock'], { secrets: ['Bearer', 'sk-'] });
const local = () => ['--local-url', env.proxy.apiUrl];
const aigw = (...args: string[]) => env.run([...local(), ...args]);
const json = (result: CliResult) => JSON.parse(result.stdout) as Record<string, unknown>;
const ids = (result: CliResult) =>
  result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t').at(-1)!);

let gateways = 0;

/** A new gateway with one request through the data plane (the mock answers), whose log id it gives. */
async function gatewayWithLog(): Promise<{ gateway: string; first: string }> {
  const gateway = `logs-${++gateways}`;
  await createGatewayOn(env.proxy, gateway);
  return { gateway, first: await send(gateway, 'hello there') };
}

/** One chat request to the mock through the gateway, as `aigw request` sends it; its log id. */
async function send(
  gateway: string,
  content: string,
  options: { model?: string; stream?: boolean; cacheTtl?: boolean } = {},
): Promise<string> {
  const res = await fetch(`${env.proxy.url}/v1/local/${gateway}/openai/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.cacheTtl ? { 'cf-aig-cache-ttl': '3600' } : {}),
    },
    body: JSON.stringify({
      model: options.model ?? 'gpt-4o-mini',
      messages: [{ role: 'user', content }],
      ...(options.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
  });
  await res.text();
  return res.headers.get('cf-aig-log-id')!;
}

/** A new gateway with the logs the first test makes: a success, an error, two streams, a miss and a hit. */
async function gatewayWithLogs() {
  const { gateway, first: success } = await gatewayWithLog();
  const error = await send(gateway, 'boom', { model: 'gpt-4o-mini@status=500' });
  const streamed = await send(gateway, 'stream me', { stream: true, cacheTtl: true });
  const streamedAgain = await send(gateway, 'stream me', { stream: true, cacheTtl: true });
  const miss = await send(gateway, 'cache me', { cacheTtl: true });
  const hit = await send(gateway, 'cache me', { cacheTtl: true });
  return { gateway, made: { success, error, streamed, streamedAgain, miss, hit } };
}

describe('aigw request and aigw logs against aigw proxy --mock', () => {
  it('request makes a success, an error (the mock’s @status=500), a stream and a cache hit', async () => {
    expect((await aigw('gateway', 'create', 'dev')).code).toBe(0);

    const ok = await aigw('request', 'dev', 'hello there', '--provider', 'openai', '--model', 'gpt-4o-mini');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('Mock reply to: "hello there"\n');
    const report = /200 · log (\w{26}) · tokens (\d+) in \/ (\d+) out · \$[\d.]+ · \d+ms/.exec(ok.stderr);
    expect(report, ok.stderr).not.toBeNull();

    const failed = await aigw('--json', 'request', 'dev', 'boom', '--model', 'gpt-4o-mini@status=500');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('500 from openai');
    expect(json(failed)).toMatchObject({ status: 500, ok: false });

    // A streamed answer is never cached (as on Cloudflare); a whole one is.
    const streamed = await aigw('--json', 'request', 'dev', 'stream me', '--cache-ttl', '1h', '--stream');
    const again = await aigw('--json', 'request', 'dev', 'stream me', '--cache-ttl', '1h', '--stream');
    expect(json(streamed)).toMatchObject({
      status: 200,
      cache_status: 'MISS',
      text: 'Mock reply to: "stream me"',
    });
    expect(json(again)).toMatchObject({ status: 200, cache_status: 'MISS' });
    const miss = await aigw('--json', 'request', 'dev', 'cache me', '--cache-ttl', '1h');
    const hit = await aigw('--json', 'request', 'dev', 'cache me', '--cache-ttl', '1h');
    expect(json(miss)).toMatchObject({
      status: 200,
      cache_status: 'MISS',
      text: 'Mock reply to: "cache me"',
    });
    expect(json(hit)).toMatchObject({
      status: 200,
      cache_status: 'HIT',
      text: 'Mock reply to: "cache me"',
      cost: 0,
    });
  });

  it('logs --status error finds exactly the error', async () => {
    const { gateway, made } = await gatewayWithLogs();
    const result = await aigw('logs', gateway, '--status', 'error');
    expect(result.code, result.stderr).toBe(0);
    expect(ids(result)).toEqual([made.error]);
    const all = await aigw('logs', gateway);
    expect(ids(all).sort()).toEqual(
      [made.success, made.error, made.streamed, made.streamedAgain, made.miss, made.hit].sort(),
    );
    const cached = await aigw('logs', gateway, '--cached');
    expect(ids(cached)).toEqual([made.hit]);
  });

  it('logs tail prints a request made after it started, within 2 s; Ctrl-C exits 0', async () => {
    const { gateway } = await gatewayWithLog();
    const tail = env.sandbox.spawn([...local(), 'logs', 'tail', gateway]);
    let out = '';
    let err = '';
    tail.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    tail.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    await waitFor(
      () => err.includes(`Following the logs of gateway ${gateway}`),
      10_000,
      () => err,
    );
    const sent = await aigw('--json', 'request', gateway, 'while tailing');
    const sentAt = Date.now();
    const logId = json(sent).log_id as string;
    await waitFor(
      () => out.includes(logId),
      5_000,
      () => out + err,
    );
    expect(Date.now() - sentAt).toBeLessThan(2_000);
    // Piped: JSON Lines, and only what came after the start.
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((l) => l.id)).toEqual([logId]);
    tail.kill('SIGINT');
    const [code] = await once(tail, 'exit');
    expect(code).toBe(0);
  });

  it('logs tail ends with exit 0 when its output pipe closes', async () => {
    const { gateway } = await gatewayWithLog();
    const tail = env.sandbox.spawn([...local(), 'logs', 'tail', gateway, '--since', '1h']);
    let err = '';
    tail.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    // The logs since an hour ago come first; then the reader goes away, as `| head -1` would.
    await once(tail.stdout!, 'data');
    tail.stdout!.destroy();
    await aigw('request', gateway, 'after the pipe closed');
    await waitFor(
      () => tail.exitCode !== null,
      10_000,
      () => err,
    );
    expect(tail.exitCode, err).toBe(0);
  });

  it('logs get --response shows the body; a streamed answer as its text', async () => {
    const { gateway, made } = await gatewayWithLogs();
    const plain = await aigw('logs', 'get', gateway, made.success, '--response');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain(`ID\t${made.success}`);
    expect(plain.stdout).toMatch(/Response body:\n\{\n {2}"id": "chatcmpl-/);
    expect(plain.stdout).toContain('Mock reply to: \\"hello there\\"');
    const streamed = await aigw('logs', 'get', gateway, made.streamed, '--response', '--request');
    expect(streamed.stdout).toContain('Response body:\nMock reply to: "stream me"');
    expect(streamed.stdout).toContain('"stream": true');
  });

  it('logs feedback --up, then logs --feedback up finds it', async () => {
    const { gateway, made } = await gatewayWithLogs();
    const rated = await aigw('logs', 'feedback', gateway, made.success, '--up');
    expect(rated.code, rated.stderr).toBe(0);
    const found = await aigw('logs', gateway, '--feedback', 'up');
    expect(ids(found)).toEqual([made.success]);
  });

  it('logs delete --status error --yes removes exactly those', async () => {
    const { gateway, made } = await gatewayWithLogs();
    const before = ids(await aigw('logs', gateway, '--limit', '0'));
    const deleted = await aigw('--json', 'logs', 'delete', gateway, '--status', 'error', '--yes');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(json(deleted)).toMatchObject({ matched: 1, deleted: 1 });
    const after = ids(await aigw('logs', gateway, '--limit', '0'));
    expect(after.sort()).toEqual(before.filter((id) => id !== made.error).sort());
  });

  it('logs export --format csv holds every remaining log', async () => {
    const { gateway, made } = await gatewayWithLogs();
    expect((await aigw('logs', 'delete', gateway, '--status', 'error', '--yes')).code).toBe(0);
    const remaining = ids(await aigw('logs', gateway, '--limit', '0'));
    expect(remaining.sort()).toEqual(
      Object.values(made)
        .filter((id) => id !== made.error)
        .sort(),
    );
    const exported = await aigw('logs', 'export', gateway, '--format', 'csv', '-o', `${gateway}.csv`);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = readFileSync(join(env.sandbox.home, `${gateway}.csv`), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines[0]!.startsWith('id,created_at,provider,model')).toBe(true);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(remaining.sort());
  });
});

async function waitFor(done: () => boolean, ms: number, show: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out; output so far:\n${show()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

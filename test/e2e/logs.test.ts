// `aigw request` and `aigw logs ...` as a user runs them: the built bin against `aigw proxy --mock`. Requests
// make a success, a provider error and a cache hit; the logs verbs find, follow, read, rate, delete and export
// exactly those logs.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, sandboxWithProxy } from '../helpers/run-cli.js';

const env = sandboxWithProxy(['--mock']);
const local = () => ['--local-url', env.proxy.apiUrl];
const aigw = (...args: string[]) => env.run([...local(), ...args]);
const json = (result: CliResult) => JSON.parse(result.stdout) as Record<string, unknown>;
const ids = (result: CliResult) =>
  result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t').at(-1)!);

// Filled in by the tests in order (vitest runs a file's tests one after the other).
const made: {
  success?: string;
  error?: string;
  streamed?: string;
  streamedAgain?: string;
  miss?: string;
  hit?: string;
} = {};

describe('aigw request and aigw logs against aigw proxy --mock', () => {
  it('request makes a success, an error (the mock’s @status=500), a stream and a cache hit', async () => {
    expect((await aigw('gateway', 'create', 'dev')).code).toBe(0);

    const ok = await aigw('request', 'dev', 'hello there', '--provider', 'openai', '--model', 'gpt-4o-mini');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('Mock reply to: "hello there"\n');
    const report = /200 · log (\w{26}) · tokens (\d+) in \/ (\d+) out · \$[\d.]+ · \d+ms/.exec(ok.stderr);
    expect(report, ok.stderr).not.toBeNull();
    made.success = report![1];

    const failed = await aigw('--json', 'request', 'dev', 'boom', '--model', 'gpt-4o-mini@status=500');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('500 from openai');
    expect(json(failed)).toMatchObject({ status: 500, ok: false });
    made.error = json(failed).log_id as string;

    // A streamed answer is never cached (as on Cloudflare); a whole one is.
    const streamed = await aigw('--json', 'request', 'dev', 'stream me', '--cache-ttl', '1h', '--stream');
    const again = await aigw('--json', 'request', 'dev', 'stream me', '--cache-ttl', '1h', '--stream');
    expect(json(streamed)).toMatchObject({
      status: 200,
      cache_status: 'MISS',
      text: 'Mock reply to: "stream me"',
    });
    expect(json(again)).toMatchObject({ status: 200, cache_status: 'MISS' });
    made.streamed = json(streamed).log_id as string;
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
    made.miss = json(miss).log_id as string;
    made.hit = json(hit).log_id as string;
    made.streamedAgain = json(again).log_id as string;
  });

  it('logs --status error finds exactly the error', async () => {
    const result = await aigw('logs', 'dev', '--status', 'error');
    expect(result.code, result.stderr).toBe(0);
    expect(ids(result)).toEqual([made.error]);
    const all = await aigw('logs', 'dev');
    expect(ids(all).sort()).toEqual(
      [made.success, made.error, made.streamed, made.streamedAgain, made.miss, made.hit].sort(),
    );
    const cached = await aigw('logs', 'dev', '--cached');
    expect(ids(cached)).toEqual([made.hit]);
  });

  it('logs tail prints a request made after it started, within 2 s; Ctrl-C exits 0', async () => {
    const tail = env.sandbox.spawn([...local(), 'logs', 'tail', 'dev']);
    let out = '';
    let err = '';
    tail.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    tail.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    await waitFor(
      () => err.includes('Following the logs of gateway dev'),
      10_000,
      () => err,
    );
    const sent = await aigw('--json', 'request', 'dev', 'while tailing');
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
    const tail = env.sandbox.spawn([...local(), 'logs', 'tail', 'dev', '--since', '1h']);
    let err = '';
    tail.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    // The logs since an hour ago come first; then the reader goes away, as `| head -1` would.
    await once(tail.stdout!, 'data');
    tail.stdout!.destroy();
    await aigw('request', 'dev', 'after the pipe closed');
    await waitFor(
      () => tail.exitCode !== null,
      10_000,
      () => err,
    );
    expect(tail.exitCode, err).toBe(0);
  });

  it('logs get --response shows the body; a streamed answer as its text', async () => {
    const plain = await aigw('logs', 'get', 'dev', made.success!, '--response');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain(`ID\t${made.success}`);
    expect(plain.stdout).toMatch(/Response body:\n\{\n {2}"id": "chatcmpl-/);
    expect(plain.stdout).toContain('Mock reply to: \\"hello there\\"');
    const streamed = await aigw('logs', 'get', 'dev', made.streamed!, '--response', '--request');
    expect(streamed.stdout).toContain('Response body:\nMock reply to: "stream me"');
    expect(streamed.stdout).toContain('"stream": true');
  });

  it('logs feedback --up, then logs --feedback up finds it', async () => {
    const rated = await aigw('logs', 'feedback', 'dev', made.success!, '--up');
    expect(rated.code, rated.stderr).toBe(0);
    const found = await aigw('logs', 'dev', '--feedback', 'up');
    expect(ids(found)).toEqual([made.success]);
  });

  it('logs delete --status error --yes removes exactly those', async () => {
    const before = ids(await aigw('logs', 'dev', '--limit', '0'));
    const deleted = await aigw('--json', 'logs', 'delete', 'dev', '--status', 'error', '--yes');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(json(deleted)).toMatchObject({ matched: 1, deleted: 1 });
    const after = ids(await aigw('logs', 'dev', '--limit', '0'));
    expect(after.sort()).toEqual(before.filter((id) => id !== made.error).sort());
  });

  it('logs export --format csv holds every remaining log', async () => {
    const remaining = ids(await aigw('logs', 'dev', '--limit', '0'));
    const exported = await aigw('logs', 'export', 'dev', '--format', 'csv', '-o', 'logs.csv');
    expect(exported.code, exported.stderr).toBe(0);
    const lines = readFileSync(join(env.sandbox.home, 'logs.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]!.startsWith('id,created_at,provider,model')).toBe(true);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(remaining.sort());
  });

  it('no provider key, API token or gateway token shows in any output', () => {
    for (const result of env.results) expect(result.stdout + result.stderr).not.toMatch(/Bearer|sk-/);
  });
});

async function waitFor(done: () => boolean, ms: number, show: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out; output so far:\n${show()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

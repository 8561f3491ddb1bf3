// `aigw gateway ...` as a user runs it: the built bin against a running `aigw proxy` process.
// Needs `npm run build` first (npm test does it). Each test works in an account of its own on the one proxy
// (the local gateway keeps accounts apart, as Cloudflare does), so it sees only the gateways it made.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { localTargetOptions } from '../../src/config/target.js';
import {
  aigwAsRun,
  createGatewayOn,
  runPasted,
  sandboxWithProxy,
  startProxyProcess,
} from '../helpers/run-cli.js';

const cli = sandboxWithProxy(['--in-memory']);

/** This test's account: 32 hex digits, as an account id given in CLOUDFLARE_ACCOUNT_ID must be. */
let account = '';
beforeEach(() => {
  account = randomBytes(16).toString('hex');
});

/** Runs `aigw --local <args>` in this test's account against the proxy (piped, in CI, as the sandbox sets up). */
function aigw(args: string[], options: { stdin?: string; env?: Record<string, string | undefined> } = {}) {
  return cli.run(['--local', ...args], {
    ...options,
    env: { AIGW_LOCAL_URL: cli.proxy.apiUrl, CLOUDFLARE_ACCOUNT_ID: account, ...options.env },
  });
}

/** Creates a gateway through the management API (set-up, not under test), in this test's account unless told. */
const createGateway = (id: string, settings: Record<string, unknown> = {}, accountId = account) =>
  createGatewayOn(cli.proxy, id, settings, accountId);

/** What `gateway create prod-chat --cache-ttl 1h --rate-limit 100/60s` makes. */
const prodChat = () =>
  createGateway('prod-chat', { cache_ttl: 3600, rate_limiting_limit: 100, rate_limiting_interval: 60 });
/** What `gateway create json-gw --no-collect-logs --retries 2` makes. */
const jsonGw = () => createGateway('json-gw', { collect_logs: false, retry_max_attempts: 2 });

async function gateways(): Promise<Record<string, unknown>[]> {
  const result = await aigw(['gateway', 'list', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

async function gatewayJson(id: string, accountId = account): Promise<Record<string, unknown>> {
  const result = await aigw(['gateway', 'get', id, '--json'], { env: { CLOUDFLARE_ACCOUNT_ID: accountId } });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('create, list, get', () => {
  it('creates a gateway from flags and prints it as key/value rows when piped', async () => {
    const result = await aigw([
      'gateway',
      'create',
      'prod-chat',
      '--cache-ttl',
      '1h',
      '--rate-limit',
      '100/60s',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const rows = Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')),
    );
    expect(rows).toMatchObject({ ID: 'prod-chat', 'Cache TTL': '1h', 'Rate limit': '100/60s (fixed)' });
    // No chatter on stderr when it is not a terminal.
    expect(result.stderr).toBe('');
  });

  it('prints the API object with --json', async () => {
    const result = await aigw([
      'gateway',
      'create',
      'json-gw',
      '--no-collect-logs',
      '--retries',
      '2',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      id: 'json-gw',
      collect_logs: false,
      retry_max_attempts: 2,
      cache_ttl: 0,
      rate_limiting_limit: 0,
      rate_limiting_interval: 0,
      rate_limiting_technique: 'fixed',
      cache_invalidate_on_update: false,
    });
  });

  it('lists as tab-separated rows without a header when piped', async () => {
    await prodChat();
    const result = await aigw(['gateway', 'list']);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const prod = rows.find((r) => r[0] === 'prod-chat');
    expect(prod?.slice(0, 5)).toEqual(['prod-chat', '1h', '100/60s', 'true', 'false']);
    expect(prod?.[5]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(rows.every((r) => r.length === 6)).toBe(true);
    expect(result.stdout).not.toContain('CACHE TTL');
  });

  it('lists as a table in a terminal', async () => {
    await prodChat();
    const result = await aigw(['gateway', 'list'], { env: { AIGW_FORCE_TTY: '1', NO_COLOR: '1' } });
    expect(result.code, result.stderr).toBe(0);
    const [header, ...lines] = result.stdout.trim().split('\n');
    expect(header).toMatch(/^ID\s+CACHE TTL\s+RATE LIMIT\s+LOGS\s+AUTH\s+CREATED$/);
    expect(lines.find((l) => l.startsWith('prod-chat'))).toMatch(
      /^prod-chat\s+1h\s+100\/60s\s+yes\s+no\s+just now$/,
    );
  });

  it('lists with --json and gets one gateway', async () => {
    await prodChat();
    await jsonGw();
    const all = await gateways();
    expect(all.map((g) => g.id).sort()).toEqual(['json-gw', 'prod-chat']);
    const one = await gatewayJson('prod-chat');
    expect(one).toMatchObject({ id: 'prod-chat', cache_ttl: 3600, rate_limiting_limit: 100 });
    const piped = await aigw(['gateway', 'get', 'prod-chat']);
    expect(piped.stdout).toContain('Collect logs\ttrue\n');
  });

  it('names an unknown gateway (exit 1)', async () => {
    const result = await aigw(['gateway', 'get', 'no-such-gateway']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Gateway "no-such-gateway" was not found');
    expect(result.stdout).toBe('');
    // Run by path with no aigw on PATH, the hint names node and the script, so that it works as pasted.
    const hint = /List the gateways with: (.*)/.exec(result.stderr)?.[1];
    expect(hint).toBe(`${aigwAsRun} --local gateway list`);
    const env = { ...cli.sandbox.env, AIGW_LOCAL_URL: cli.proxy.apiUrl };
    expect((await runPasted(cli.sandbox, hint!, { env })).code).toBe(0);
  });
});

describe('the local gateway by address', () => {
  it('aigw --local-url http://127.0.0.1:PORT gateway create works as the proxy tells it, with no other setup', async () => {
    const options = localTargetOptions(cli.proxy.apiUrl).split(' ');
    expect(options).toEqual(['--local-url', cli.proxy.url]);
    // No --local, no AIGW_LOCAL_URL, no credentials: --local-url alone must reach the proxy.
    const result = await cli.run([...options, 'gateway', 'create', 'my-gateway']);
    expect(result.code, result.stderr).toBe(0);
    expect(await gatewayJson('my-gateway', 'local')).toMatchObject({ id: 'my-gateway' });
    expect((await cli.run([...options, 'gateway', 'delete', 'my-gateway', '--yes'])).code).toBe(0);
  });
});

describe('update', () => {
  it('changes only the named fields', async () => {
    await prodChat();
    const before = await gatewayJson('prod-chat');
    const result = await aigw(['gateway', 'update', 'prod-chat', '--no-collect-logs', '--cache-ttl', '30m']);
    expect(result.code, result.stderr).toBe(0);
    const after = await gatewayJson('prod-chat');
    expect(after).toMatchObject({ collect_logs: false, cache_ttl: 1800 });
    for (const kept of [
      'rate_limiting_limit',
      'rate_limiting_interval',
      'rate_limiting_technique',
      'authentication',
    ])
      expect(after[kept]).toEqual(before[kept]);
    expect(after.created_at).toBe(before.created_at);
  });

  it('is a usage error without flags, and with a bad value nothing is sent', async () => {
    expect((await aigw(['gateway', 'update', 'prod-chat'])).code).toBe(2);
    const bad = await aigw(['gateway', 'update', 'prod-chat', '--rate-limit', 'lots', '--debug']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--rate-limit: "lots" is not a rate limit');
    expect(bad.stderr).not.toContain('→');
  });
});

describe('invalid input never reaches the API', () => {
  it('rejects a bad id with exit 2 and no request', async () => {
    const count = (await gateways()).length;
    const result = await aigw(['gateway', 'create', 'Prod--Chat', '--debug']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid gateway id "Prod--Chat"');
    expect(result.stderr).not.toContain('→');
    expect(await gateways()).toHaveLength(count);
  });

  it('lists every problem of a bad flag set', async () => {
    const result = await aigw([
      'gateway',
      'create',
      'ok-id',
      '--cache-ttl',
      'forever',
      '--log-limit',
      '10',
      '--retries',
      '0',
      '--debug',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('3 problems in the flags');
    expect(result.stderr).not.toContain('→');
  });
});

describe('delete', () => {
  it('needs --yes when not interactive', async () => {
    await aigw(['gateway', 'create', 'doomed']);
    const refused = await aigw(['gateway', 'delete', 'doomed']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes required when not running interactively');
    await gatewayJson('doomed');

    const deleted = await aigw(['gateway', 'delete', 'doomed', '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe('doomed\n');
    expect((await aigw(['gateway', 'get', 'doomed'])).code).toBe(1);
    expect((await aigw(['gateway', 'delete', 'doomed', '-y'])).code).toBe(1);
  });
});

describe('apply', () => {
  const file = () => join(cli.sandbox.home, 'gateways.yaml');

  beforeEach(async () => {
    // The gateways `create` made: the file creates one and updates the other, and --prune deletes prod-chat.
    await prodChat();
    await jsonGw();
    writeFileSync(
      file(),
      [
        'gateways:',
        '  - id: apply-chat',
        '    cache_ttl: 1h',
        '    rate_limit: 100/60s',
        '  - id: json-gw',
        '    collect_logs: true',
        '    log_limit: 100k',
        '    log_strategy: delete-oldest',
        '',
      ].join('\n'),
    );
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const before = await gateways();
    const result = await aigw(['gateway', 'apply', '-f', file(), '--dry-run', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ applied: false, changes: 2 });
    expect(out.plan.map((p: { action: string; id: string }) => [p.action, p.id])).toEqual([
      ['create', 'apply-chat'],
      ['update', 'json-gw'],
    ]);
    expect(out.plan[1].changes).toEqual([
      { field: 'collect_logs', from: false, to: true },
      { field: 'log_management', from: null, to: 100_000 },
      { field: 'log_management_strategy', from: null, to: 'DELETE_OLDEST' },
    ]);
    expect(await gateways()).toEqual(before);
  });

  it('applies, and a second run changes nothing', async () => {
    const first = await aigw(['gateway', 'apply', '-f', file()]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^create\tapply-chat\t/m);
    expect(first.stdout).toMatch(/^update\tjson-gw\tcollect_logs: false → true/m);
    // Piped: the plan on stdout says what was done; the success line is for terminals.
    expect(first.stderr).not.toContain('Applied');
    expect(await gatewayJson('apply-chat')).toMatchObject({ cache_ttl: 3600, rate_limiting_limit: 100 });
    // Fields the file does not name keep their values.
    expect(await gatewayJson('json-gw')).toMatchObject({ retry_max_attempts: 2, log_management: 100_000 });

    const before = await gateways();
    const second = await aigw(['gateway', 'apply', '-f', file()]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('No changes');
    expect(second.stdout).toMatch(/^unchanged\tapply-chat/m);
    const json = await aigw(['gateway', 'apply', '-f', file(), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ applied: false, changes: 0 });
    expect(await gateways()).toEqual(before);
  });

  it('reads stdin, and --prune needs --yes when not interactive', async () => {
    expect((await aigw(['gateway', 'apply', '-f', file()])).code).toBe(0);
    const spec = JSON.stringify([{ id: 'apply-chat' }, { id: 'json-gw' }]);
    const refused = await aigw(['gateway', 'apply', '-f', '-', '--prune', '--debug'], { stdin: spec });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes required when not running interactively');
    expect(refused.stderr).not.toContain('→');

    const result = await aigw(['gateway', 'apply', '-f', '-', '--prune', '--yes', '--json'], { stdin: spec });
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(
      out.plan.filter((p: { action: string }) => p.action === 'delete').map((p: { id: string }) => p.id),
    ).toEqual(['prod-chat']);
    expect(out).toMatchObject({ applied: true, changes: 1 });
    expect((await gateways()).map((g) => g.id).sort()).toEqual(['apply-chat', 'json-gw']);
  });

  it('rejects a bad file before any request, listing every problem', async () => {
    const bad = join(cli.sandbox.home, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ gateways: [{ id: 'UPPER' }, { id: 'x', cache_ttl: 'soon', foo: 1 }] }),
    );
    const result = await aigw(['gateway', 'apply', '-f', bad, '--debug']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('3 problems in');
    expect(result.stderr).toContain('gateways[0]: invalid id "UPPER"');
    expect(result.stderr).toContain('gateways[1] (x): cache_ttl: "soon" is not a duration');
    expect(result.stderr).toContain('gateways[1] (x): unknown key "foo"');
    expect(result.stderr).not.toContain('→');
    const notJson = await aigw(['gateway', 'apply', '-f', '-'], { stdin: '{"gateways": [' });
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('stdin is not valid JSON');
  });
});

describe('url', () => {
  it('prints the base URL and the provider URLs', async () => {
    // In the proxy's own account, which the URLs name.
    await createGateway('url-chat', {}, 'local');
    const result = await aigw(['gateway', 'url', 'url-chat'], { env: { CLOUDFLARE_ACCOUNT_ID: undefined } });
    expect(result.code, result.stderr).toBe(0);
    const rows = Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')),
    );
    expect(rows.base).toBe(`${cli.proxy.url}/v1/local/url-chat`);
    expect(rows.openai).toBe(`${cli.proxy.url}/v1/local/url-chat/openai`);
    expect(Object.keys(rows)).toEqual([
      'base',
      'openai',
      'anthropic',
      'google-ai-studio',
      'workers-ai',
      'compat',
    ]);
  });
});

describe('credentials', () => {
  it('fails with exit 4 and the fix for a remote profile without credentials', async () => {
    const result = await cli.run(['gateway', 'list']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('No Cloudflare credentials');
    expect(result.stderr).toContain(`${aigwAsRun} auth login`);
    expect(result.stderr).toContain('CLOUDFLARE_API_TOKEN');
  });

  it('never prints the token in --debug output', async () => {
    const token = 'secret-token-123';
    const guarded = await startProxyProcess(cli.sandbox, ['--in-memory', '--api-token', token]);
    try {
      const env = { AIGW_LOCAL_URL: guarded.apiUrl, AIGW_LOCAL_TOKEN: token };
      const created = await cli.run(['--local', '--debug', 'gateway', 'create', 'traced'], { env });
      expect(created.code, created.stderr).toBe(0);
      const listed = await cli.run(['--local', '--debug', 'gateway', 'list', '--json'], { env });
      expect(listed.code, listed.stderr).toBe(0);
      for (const run of [created, listed]) {
        expect(run.stderr).toMatch(/→ (GET|POST) http/);
        expect(run.stderr).toMatch(/← 200/);
        expect(run.stderr + run.stdout).not.toContain(token);
      }
      const wrong = await cli.run(['--local', '--debug', 'gateway', 'list'], {
        env: { ...env, AIGW_LOCAL_TOKEN: 'wrong-token-456' },
      });
      expect(wrong.code).toBe(4);
      expect(wrong.stderr).not.toContain('wrong-token-456');
      expect(wrong.stderr).toContain('AIGW_LOCAL_TOKEN');
    } finally {
      await guarded.stop();
    }
  });
});

describe('help', () => {
  it('shows examples for every gateway command', async () => {
    for (const verb of ['create', 'list', 'get', 'update', 'delete', 'url', 'apply']) {
      const result = await cli.run(['gateway', verb, '--help']);
      expect(result.code, verb).toBe(0);
      expect(result.stdout, verb).toContain('Examples:');
      expect(result.stdout, verb).toContain(`$ aigw gateway ${verb}`);
    }
    const apply = await cli.run(['gateway', 'apply', '--help']);
    expect(apply.stdout).toContain('File format (JSON or YAML)');
  });
});

// The gateway commands run in this process through main(), with fake terminals and a scripted prompter,
// against an in-memory local gateway.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/io/prompter.js';
import type { LocalGateway } from '../../src/local/server.js';
import { runInProcess, scriptedPrompter } from '../helpers/in-process.js';
import { apiBase, startTestGateway } from '../helpers/local-gateway.js';
import { ContractRecorder, contractFetch } from '../helpers/openapi.js';

let gw: LocalGateway;
let dir: string;
// Every request the CLI sends and every response it reads is checked against the API contract.
const contract = new ContractRecorder();
const checkedFetch = contractFetch(contract);

beforeAll(async () => {
  gw = await startTestGateway();
  dir = mkdtempSync(join(tmpdir(), 'aigw-gateway-'));
});

afterAll(async () => {
  contract.assertClean();
  await gw.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RunOptions {
  tty?: boolean;
  prompter?: Prompter;
  stdin?: string;
  env?: Record<string, string>;
}

function aigw(argv: string[], options: RunOptions = {}) {
  return runInProcess(['--local', ...argv], {
    ...options,
    env: { AIGW_LOCAL_URL: apiBase(gw), AIGW_CONFIG_DIR: join(dir, 'config'), NO_COLOR: '1', ...options.env },
    cwd: dir,
    // A prompter that fails on any question unless the test gives one.
    prompter: options.prompter ?? scriptedPrompter({}),
    fetch: checkedFetch,
  });
}

async function fetchGateway(id: string) {
  const result = await aigw(['gateway', 'get', id, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('gateway create wizard', () => {
  it('asks for the main settings in a terminal when no setting flag is given', async () => {
    const prompter = scriptedPrompter({
      input: ['1h', '100/60s'],
      select: ['sliding'],
      confirm: [false, true],
    });
    const result = await aigw(['gateway', 'create', 'wizard-made'], { tty: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.questions.map((q) => q.kind)).toEqual(['input', 'input', 'select', 'confirm', 'confirm']);
    expect(prompter.questions[0]!.message).toMatch(/cache/i);
    expect(prompter.questions[1]!.message).toMatch(/rate limit/i);
    expect(prompter.questions[2]!.choices).toEqual(['fixed', 'sliding']);
    expect(prompter.questions[3]!.message).toMatch(/logs/i);
    expect(prompter.questions[4]!.message).toMatch(/token/i);
    expect(result.stdout).toMatch(/Cache TTL\s+1h/);
    expect(result.stdout).toMatch(/Rate limit\s+100\/60s \(sliding\)/);
    expect(result.stderr).toContain('✓ Created gateway wizard-made');
    expect(await fetchGateway('wizard-made')).toMatchObject({
      cache_ttl: 3600,
      rate_limiting_limit: 100,
      rate_limiting_interval: 60,
      rate_limiting_technique: 'sliding',
      collect_logs: false,
      authentication: true,
      cache_invalidate_on_update: false,
    });
  });

  it('does not ask about the window when there is no rate limit', async () => {
    const prompter = scriptedPrompter({ input: ['0', 'off'], confirm: [true, false] });
    const result = await aigw(['gateway', 'create', 'wizard-plain'], { tty: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.questions.map((q) => q.kind)).toEqual(['input', 'input', 'confirm', 'confirm']);
    expect(await fetchGateway('wizard-plain')).toMatchObject({ cache_ttl: 0, rate_limiting_limit: 0 });
  });

  it('never asks with --no-input, in CI, when piped, or when a setting flag is given', async () => {
    const runs: [string, string[], RunOptions][] = [
      ['no-input', ['--no-input'], { tty: true }],
      ['in-ci', [], { tty: true, env: { CI: 'true' } }],
      ['piped', [], {}],
      ['flagged', ['--no-collect-logs'], { tty: true }],
    ];
    for (const [id, extra, options] of runs) {
      const prompter = scriptedPrompter({});
      const result = await aigw(['gateway', 'create', `quiet-${id}`, ...extra], { ...options, prompter });
      expect(result.code, result.stderr).toBe(0);
      expect(prompter.asked).toEqual([]);
    }
    expect(await fetchGateway('quiet-in-ci')).toMatchObject({
      cache_ttl: 0,
      collect_logs: true,
      rate_limiting_limit: 0,
      rate_limiting_interval: 0,
      rate_limiting_technique: 'fixed',
      cache_invalidate_on_update: false,
    });
    expect(await fetchGateway('quiet-flagged')).toMatchObject({ collect_logs: false });
  });
});

describe('gateway delete in a terminal', () => {
  it('asks first, naming the logs, and keeps the gateway on no', async () => {
    await aigw(['gateway', 'create', 'keep-me']);
    const prompter = scriptedPrompter({ confirm: [false] });
    const result = await aigw(['gateway', 'delete', 'keep-me'], { tty: true, prompter });
    expect(result.code).toBe(0);
    expect(prompter.asked).toHaveLength(1);
    expect(prompter.questions[0]!.message).toMatch(/keep-me.*stored logs/);
    expect(result.stderr).toContain('nothing was deleted');
    await fetchGateway('keep-me');
  });

  it('deletes on yes', async () => {
    await aigw(['gateway', 'create', 'drop-me']);
    const result = await aigw(['gateway', 'delete', 'drop-me'], {
      tty: true,
      prompter: scriptedPrompter({ confirm: [true] }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('✓ Deleted gateway drop-me');
    expect((await aigw(['gateway', 'get', 'drop-me'])).code).toBe(1);
  });

  it('fails on an unknown gateway without asking', async () => {
    const prompter = scriptedPrompter({});
    const result = await aigw(['gateway', 'delete', 'never-was'], { tty: true, prompter });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Gateway "never-was" was not found');
    expect(prompter.asked).toEqual([]);
  });
});

describe('gateway list', () => {
  it('notes an empty list on stderr in a terminal only', async () => {
    const empty = ['--account-id', 'e0e00000000000000000000000000000', 'gateway', 'list'];
    const tty = await aigw(empty, { tty: true });
    expect(tty).toMatchObject({ code: 0, stdout: '' });
    expect(tty.stderr).toContain('No gateways yet');
    expect(await aigw(empty)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await aigw([...empty, '--json'])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('searches by id', async () => {
    await aigw(['gateway', 'create', 'search-alpha']);
    await aigw(['gateway', 'create', 'search-beta']);
    const result = await aigw(['gateway', 'list', '--search', 'alpha']);
    expect(
      result.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['search-alpha']);
  });
});

describe('gateway update', () => {
  it('changes only the named fields, merging --set paths into nested settings', async () => {
    await aigw([
      'gateway',
      'create',
      'upd',
      '--cache-ttl',
      '10m',
      '--set',
      'guardrails={"prompt":{"S1":"BLOCK"},"response":{}}',
    ]);
    const result = await aigw(['gateway', 'update', 'upd', '--set', 'guardrails.response.S2=FLAG', '--zdr'], {
      tty: true,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Updated gateway upd: guardrails, zdr.');
    expect(await fetchGateway('upd')).toMatchObject({
      cache_ttl: 600,
      zdr: true,
      guardrails: { prompt: { S1: 'BLOCK' }, response: { S2: 'FLAG' } },
    });
  });

  it('refuses nested nonsense (exit 2) before anything is stored', async () => {
    const created = await aigw(['gateway', 'create', 'never-made', '--set', 'spend_limits={"daily":5}']);
    expect(created.code).toBe(2);
    expect(created.stderr).toContain('"spend_limits.daily" is not a known key (known: enabled, rules)');
    expect((await aigw(['gateway', 'get', 'never-made'])).code).toBe(1);

    expect((await aigw(['gateway', 'create', 'upd-nested'])).code).toBe(0);
    const file = join(dir, 'nested.json');
    writeFileSync(file, JSON.stringify({ spend_limits: { enabled: true, rules: [{ limit: 5 }] } }));
    const updated = await aigw(['gateway', 'update', 'upd-nested', '--from-file', file]);
    expect(updated.code).toBe(2);
    expect(updated.stderr).toContain('"spend_limits.rules.0.limitType" is required');
    const partial = await aigw(['gateway', 'update', 'upd-nested', '--set', 'stripe.authorization=x']);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('"stripe.usage_events" is required');
    const stored = await fetchGateway('upd-nested');
    expect(stored.spend_limits ?? null).toBeNull();
    expect(stored.stripe ?? null).toBeNull();
  });

  it('needs at least one setting', async () => {
    const result = await aigw(['gateway', 'update', 'upd']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Nothing to update');
  });

  it('reads --from-file from stdin', async () => {
    expect((await aigw(['gateway', 'create', 'upd-stdin', '--cache-ttl', '10m'])).code).toBe(0);
    expect((await aigw(['gateway', 'update', 'upd-stdin', '--zdr'])).code).toBe(0);
    const result = await aigw(['gateway', 'update', 'upd-stdin', '--from-file', '-'], {
      stdin: 'cache_ttl: 2h\nrate_limit: 5/1m\n',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(await fetchGateway('upd-stdin')).toMatchObject({
      cache_ttl: 7200,
      rate_limiting_limit: 5,
      rate_limiting_interval: 60,
      zdr: true,
    });
  });
});

describe('gateway create', () => {
  it('explains a duplicate id', async () => {
    await aigw(['gateway', 'create', 'twice']);
    const result = await aigw(['gateway', 'create', 'twice']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/already exists/);
    expect(result.stderr).toContain('aigw --local gateway update twice [flags]');
  });

  it('reads the logpush public key from a file', async () => {
    const key = join(dir, 'logpush.pub');
    writeFileSync(
      key,
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----\n',
    );
    const result = await aigw([
      'gateway',
      'create',
      'pushed',
      '--logpush',
      '--logpush-public-key',
      'logpush.pub',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const created = await fetchGateway('pushed');
    expect(created.logpush).toBe(true);
    expect(created.logpush_public_key).toMatch(/^-----BEGIN PUBLIC KEY-----\n.*\n-----END PUBLIC KEY-----$/);
    const missing = await aigw(['gateway', 'create', 'nokey', '--logpush-public-key', 'nope.pub']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--logpush-public-key: cannot read nope.pub: no such file');
  });
});

describe('gateway url', () => {
  it('prints an OpenAI snippet with the gateway token read from the environment', async () => {
    await aigw(['gateway', 'create', 'snip', '--authentication']);
    const result = await aigw(['gateway', 'url', 'snip', '--snippet']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`baseURL: '${gw.url}/v1/local/snip/openai'`);
    expect(result.stdout).toContain("apiKey: process.env.OPENAI_API_KEY ?? 'sk-local'");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the snippet's own template literal
    expect(result.stdout).toContain("'cf-aig-authorization': `Bearer ${process.env.CF_AIG_TOKEN}`");
    const compat = await aigw(['gateway', 'url', 'snip', '--provider', 'compat', '--snippet']);
    expect(compat.stdout).toContain(`baseURL: '${gw.url}/v1/local/snip/compat'`);
    expect(compat.stdout).toContain("model: 'openai/gpt-4o-mini'");
    const other = await aigw(['gateway', 'url', 'snip', '--provider', 'anthropic', '--snippet']);
    expect(other.code).toBe(2);
  });

  it('prints a snippet that runs as printed against the local gateway with --mock, OPENAI_API_KEY unset', async () => {
    const mocked = await startTestGateway({ mock: true });
    const savedKey = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const env = { AIGW_LOCAL_URL: apiBase(mocked), AIGW_CONFIG_DIR: join(dir, 'config'), NO_COLOR: '1' };
      const run = (argv: string[]) =>
        runInProcess(['--local', ...argv], { env, cwd: dir, fetch: checkedFetch });
      const created = await run(['gateway', 'create', 'snipmock']);
      expect(created.code, created.stderr).toBe(0);
      const result = await run(['gateway', 'url', 'snipmock', '--snippet']);
      expect(result.code, result.stderr).toBe(0);
      // The snippet as a user saves and runs it, its `openai` import given by this test.
      const { default: OpenAI } = await import('openai');
      const body = result.stdout.replace("import OpenAI from 'openai';", '');
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
      const printed: unknown[] = [];
      const console = { log: (line: unknown) => printed.push(line) };
      await new AsyncFunction('OpenAI', 'process', 'console', body)(OpenAI, { env: {} }, console);
      expect(printed).toEqual(['Mock reply to: "Hello!"']);
    } finally {
      if (savedKey !== undefined) process.env.OPENAI_API_KEY = savedKey;
      await mocked.close();
    }
  });

  it('lists the base URL and the common providers', async () => {
    expect((await aigw(['gateway', 'create', 'listed', '--authentication'])).code).toBe(0);
    const result = await aigw(['gateway', 'url', 'listed', '--json']);
    const base = `${gw.url}/v1/local/listed`;
    expect(JSON.parse(result.stdout)).toEqual({
      base,
      providers: {
        openai: `${base}/openai`,
        anthropic: `${base}/anthropic`,
        'google-ai-studio': `${base}/google-ai-studio`,
        'workers-ai': `${base}/workers-ai`,
        compat: `${base}/compat`,
      },
    });
    const unknown = await aigw(['gateway', 'url', 'listed', '--provider', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--provider: unknown provider "nosuch"');
    expect(unknown.stderr).toMatch(
      /Providers: compat \(the unified endpoint\), openai, anthropic, .*groq.*custom-\{slug\}/,
    );
    const custom = await aigw(['gateway', 'url', 'listed', '--provider', 'custom-acme']);
    expect(custom.stdout.trim()).toMatch(/\/v1\/local\/listed\/custom-acme$/);
    const one = await aigw(['gateway', 'url', 'listed', '--provider', 'anthropic']);
    expect(one.stdout).toBe(`${base}/anthropic\n`);
  });
});

describe('gateway apply --prune in a terminal', () => {
  it('shows the plan and asks before deleting; no means nothing is applied', async () => {
    const account = ['--account-id', '9e0e0000000000000000000000000000'];
    await aigw([...account, 'gateway', 'create', 'stays']);
    await aigw([...account, 'gateway', 'create', 'goes']);
    const file = join(dir, 'prune.json');
    writeFileSync(file, JSON.stringify({ gateways: [{ id: 'stays', cache_ttl: '5m' }, { id: 'fresh' }] }));
    const prompter = scriptedPrompter({ confirm: [false] });
    const result = await aigw([...account, 'gateway', 'apply', '-f', file, '--prune'], {
      tty: true,
      prompter,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.questions[0]!.message).toMatch(/Delete 1 gateway \(goes\) and all of their stored logs/);
    expect(result.stdout).toMatch(/~ update\s+stays\s+cache_ttl: 0 → 300/);
    expect(result.stdout).toMatch(/\+ create\s+fresh/);
    expect(result.stdout).toMatch(/- delete\s+goes/);
    expect(result.stderr).toContain('Nothing applied.');
    const list = await aigw([...account, 'gateway', 'list']);
    expect(
      list.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0])
        .sort(),
    ).toEqual(['goes', 'stays']);

    const yes = await aigw([...account, 'gateway', 'apply', '-f', file, '--prune'], {
      tty: true,
      prompter: scriptedPrompter({ confirm: [true] }),
    });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).toContain('Applied 3 changes: 1 to create, 1 to update, 1 to delete');
    const after = await aigw([...account, 'gateway', 'list']);
    expect(
      after.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0])
        .sort(),
    ).toEqual(['fresh', 'stays']);
  });
});

describe('the API contract', () => {
  it('holds for every request the gateway commands sent and every response they read', async () => {
    const before = contract.exchanges.length;
    for (const argv of [
      ['gateway', 'create', 'contract'],
      ['gateway', 'list'],
      ['gateway', 'get', 'contract'],
      ['gateway', 'update', 'contract', '--cache-ttl', '1m'],
      ['gateway', 'url', 'contract'],
      ['gateway', 'delete', 'contract', '--yes'],
    ]) {
      const result = await aigw(argv);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const exchanges = contract.exchanges.slice(before);
    const operations = new Set(exchanges.filter((e) => !e.skipped).map((e) => e.operationId));
    for (const op of [
      'aig-config-create-gateway',
      'aig-config-list-gateway',
      'aig-config-fetch-gateway',
      'aig-config-update-gateway',
      'aig-config-delete-gateway',
      'aig-config-get-gateway-url',
    ]) {
      expect(operations, op).toContain(op);
    }
    expect(exchanges.filter((e) => e.requestViolation && e.status < 400)).toEqual([]);
    contract.assertClean();
  });
});

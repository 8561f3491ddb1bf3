// The providers and providers costs commands run in this process through main(), with fake streams and a
// scripted prompter, against an in-memory local gateway; every request and response is checked against the
// contract, and no output or error ever carries a header value.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptedPrompter } from '../helpers/in-process.js';
import { localCommands } from '../helpers/local-commands.js';

const ACME_KEY = 'acme-secret-value-0123456789';
const TEAM_VALUE = 'team-secret-value-abcdef';
const NEW_KEY = 'acme-rotated-value-987654321';
const SECRETS = [ACME_KEY, TEAM_VALUE, NEW_KEY];

// Each test starts with no custom provider, in an account of its own.
const cli = localCommands(SECRETS, undefined, { accountPerTest: true });
const aigw = cli.run;

const storedHeaders = (slug: string) => cli.gw.runtime.customProviders.bySlug(cli.account, slug)?.headers;

/** Runs a command that must succeed, as set-up; its stdout. */
async function ok(args: string[], options: Parameters<typeof aigw>[1] = {}): Promise<string> {
  const result = await aigw(args, options);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

const addAcme = () =>
  ok(['providers', 'add', 'acme', '--base-url', 'https://api.acme.example/v1', '--header', 'x-api-key'], {
    stdin: `${ACME_KEY}\n`,
  });

/** Beta Co: two header values asked in a terminal, in beta, at position 2. */
const betaCo = [
  'providers',
  'add',
  'beta-co',
  '--name',
  'Beta Co',
  '--base-url',
  'http://127.0.0.1:9/beta',
  '--header',
  'authorization',
  '--header',
  'x-team',
  '--beta',
  '--position',
  '2',
];
const addBetaCo = () =>
  ok(betaCo, { tty: true, prompter: scriptedPrompter({ password: [ACME_KEY, TEAM_VALUE] }) });

function addGamma() {
  const file = join(cli.dir, `headers-${cli.account}.yaml`);
  writeFileSync(file, `x-api-key: ${ACME_KEY}\nx-team: ${TEAM_VALUE}\n`);
  return ok(['providers', 'add', 'gamma', '--base-url', 'https://gamma.example', '--headers-file', file]);
}

/** The three providers the add tests make, in their order. */
async function providers() {
  await addAcme();
  await addBetaCo();
  await addGamma();
}

/** `providers costs add` of a rule of gamma: `gamma-`, starts-with, $0.000001 in, $0.000002 out. */
const gammaRuleArgs = [
  'providers',
  'costs',
  'add',
  'gamma',
  '--model',
  'gamma-',
  '--rule',
  'starts-with',
  '--cost-in',
  '0.000001',
  '--cost-out',
  '0.000002',
  '--json',
];
const gammaRule = async (): Promise<string> => JSON.parse(await ok(gammaRuleArgs)).id;

describe('providers add', () => {
  it('adds a provider with one header value read from stdin, and prints its id', async () => {
    const result = await aigw(
      ['providers', 'add', 'acme', '--base-url', 'https://api.acme.example/v1', '--header', 'x-api-key'],
      { stdin: `${ACME_KEY}\n` },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(storedHeaders('acme')!)).toEqual({ 'x-api-key': ACME_KEY });
  });

  it('with nothing piped in, says how to pipe the value with the --header it was given (exit 2)', async () => {
    const args = [
      'providers',
      'add',
      'empty',
      '--base-url',
      'https://api.acme.example/v1',
      '--header',
      'x-api-key',
    ];
    const result = await aigw(args, { stdin: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No value of header x-api-key in stdin.');
    expect(result.stderr).toMatch(
      /\| aigw .*providers add empty --base-url https:\/\/api\.acme\.example\/v1 --header x-api-key\n/,
    );
  });

  it('asks for each header value with a masked prompt in a terminal, and shows only the names', async () => {
    const prompter = scriptedPrompter({ password: [ACME_KEY, TEAM_VALUE] });
    const result = await aigw(betaCo, { tty: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.asked).toEqual([
      'password: value of header authorization:',
      'password: value of header x-team:',
    ]);
    expect(result.stdout).toMatch(/Provider\s+custom-beta-co/);
    expect(result.stdout).toMatch(/Headers\s+authorization, x-team/);
    expect(result.stdout).toMatch(/Beta\s+yes/);
  });

  it('reads a headers file', async () => {
    const file = join(cli.dir, 'headers.yaml');
    writeFileSync(file, `x-api-key: ${ACME_KEY}\nx-team: ${TEAM_VALUE}\n`);
    const result = await aigw([
      'providers',
      'add',
      'gamma',
      '--base-url',
      'https://gamma.example',
      '--headers-file',
      file,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      slug: 'gamma',
      name: 'gamma',
      headers: JSON.stringify({ 'x-api-key': '********', 'x-team': '********' }),
    });
    expect(JSON.parse(storedHeaders('gamma')!)).toEqual({ 'x-api-key': ACME_KEY, 'x-team': TEAM_VALUE });
  });

  it('refuses bad input before sending anything (exit 2)', async () => {
    const sent = cli.contract.exchanges.length;
    const cases: [string[], RegExp][] = [
      [['bad slug', '--base-url', 'https://x.example'], /cannot be a slug/],
      [['ok'], /--base-url is required/],
      [['ok', '--base-url', 'ftp://x.example'], /not an http or https URL/],
      [['ok', '--base-url', 'https://x.example', '--header', 'bad header'], /not a header name/],
      [
        ['ok', '--base-url', 'https://x.example', '--header', 'a', '--header', 'b'],
        /cannot all be read from stdin/,
      ],
      [['ok', '--base-url', 'https://x.example', '--position', 'first'], /--position/],
      [['ok', '--base-url', 'https://x.example', '--enable', '--disable'], /cannot be used together/],
    ];
    for (const [args, message] of cases) {
      const result = await aigw(['providers', 'add', ...args], { stdin: ACME_KEY });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(cli.contract.exchanges.length).toBe(sent);
  });

  it('says when the slug is taken', async () => {
    await addAcme();
    const result = await aigw(['providers', 'add', 'acme', '--base-url', 'https://x.example']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/slug "acme" already exists/);
  });
});

describe('providers list, get and update', () => {
  it('lists providers as tab-separated rows with header names', async () => {
    await providers();
    const result = await aigw(['providers', 'list']);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.map((r) => [r[1], r[4]])).toEqual([
      ['acme', 'x-api-key'],
      ['gamma', 'x-api-key, x-team'],
      ['beta-co', 'authorization, x-team'],
    ]);
    const searched = JSON.parse((await aigw(['providers', 'list', '--search', 'gam', '--json'])).stdout);
    expect(searched.map((p: { slug: string }) => p.slug)).toEqual(['gamma']);
  });

  it('finds a provider by slug, custom-slug or id', async () => {
    await providers();
    const bySlug = JSON.parse((await aigw(['providers', 'get', 'acme', '--json'])).stdout);
    const byPrefixed = JSON.parse((await aigw(['providers', 'get', 'custom-acme', '--json'])).stdout);
    const byId = JSON.parse((await aigw(['providers', 'get', bySlug.id, '--json'])).stdout);
    expect(byPrefixed).toEqual(bySlug);
    expect(byId).toEqual(bySlug);
    const missing = await aigw(['providers', 'get', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No custom provider "nope"');
    expect(missing.stderr).toContain('aigw --local providers list');
  });

  it('changes only the named fields; new headers replace the old ones, and it says so', async () => {
    await providers();
    const result = await aigw(
      [
        'providers',
        'update',
        'acme',
        '--base-url',
        'https://eu.acme.example/v1',
        '--header',
        'authorization',
      ],
      {
        stdin: NEW_KEY,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Headers of acme: authorization (replacing x-api-key)');
    const provider = cli.gw.runtime.customProviders.bySlug(cli.account, 'acme')!;
    expect(provider.base_url).toBe('https://eu.acme.example/v1');
    expect(JSON.parse(provider.headers!)).toEqual({ authorization: NEW_KEY });
    const disabled = await aigw(['providers', 'update', 'acme', '--disable', '--clear-headers', '--json']);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(JSON.parse(disabled.stdout)).toMatchObject({ enable: false, headers: '{}' });
    const nothing = await aigw(['providers', 'update', 'acme']);
    expect(nothing.code).toBe(2);
  });
});

describe('providers costs', () => {
  it('adds, lists and updates pricing rules', async () => {
    await providers();
    const added = await aigw(gammaRuleArgs);
    expect(added.code, added.stderr).toBe(0);
    const rule = JSON.parse(added.stdout);
    expect(rule).toMatchObject({
      model: 'gamma-',
      model_rule: 'starts-with',
      cost_in: 0.000001,
      cost_out: 0.000002,
    });
    const ruleId = rule.id;
    await aigw(['providers', 'costs', 'add', 'beta-co', '--model', 'b1']);
    const listed = await aigw(['providers', 'costs', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.map((r) => r.slice(1, 4)).sort()).toEqual([
      ['beta-co', 'b1', 'equals'],
      ['gamma', 'gamma-', 'starts-with'],
    ]);
    const ofGamma = JSON.parse((await aigw(['providers', 'costs', 'list', 'gamma', '--json'])).stdout);
    expect(ofGamma).toHaveLength(1);
    const updated = await aigw([
      'providers',
      'costs',
      'update',
      ruleId,
      '--cost-in',
      '0.000003',
      '--disable',
      '--json',
    ]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({
      cost_in: 0.000003,
      cost_out: 0.000002,
      enable: false,
    });
  });

  it('refuses bad values (exit 2) and names a rule that is not there', async () => {
    await addGamma();
    const ruleId = await gammaRule();
    for (const args of [
      ['add', 'gamma'],
      ['add', 'gamma', '--model', 'x', '--cost-in', 'cheap'],
      ['add', 'gamma', '--model', 'x', '--rule', 'like'],
      ['update', ruleId],
    ]) {
      const result = await aigw(['providers', 'costs', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
    }
    const missing = await aigw([
      'providers',
      'costs',
      'update',
      '0b5c3e4e-6a4f-4c4e-9d0a-8b7a1f2c3d4e',
      '--cost-in',
      '1',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No pricing rule "0b5c3e4e-6a4f-4c4e-9d0a-8b7a1f2c3d4e"');
  });

  it('removes a rule with --yes', async () => {
    await addGamma();
    const ruleId = await gammaRule();
    const result = await aigw(['providers', 'costs', 'rm', ruleId, '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(ruleId);
  });
});

describe('providers remove', () => {
  it('needs --yes when it cannot ask; asks with the count of pricing rules in a terminal', async () => {
    await addBetaCo();
    await ok(['providers', 'costs', 'add', 'beta-co', '--model', 'b1']);
    const noYes = await aigw(['providers', 'remove', 'beta-co']);
    expect(noYes.code).toBe(2);
    const prompter = scriptedPrompter({ confirm: [false, true] });
    const kept = await aigw(['providers', 'remove', 'beta-co'], { tty: true, prompter });
    expect(kept.code).toBe(0);
    expect(prompter.asked[0]).toContain(
      'Remove custom provider beta-co (custom-beta-co) and its 1 pricing rule?',
    );
    expect(cli.gw.runtime.customProviders.bySlug(cli.account, 'beta-co')).not.toBeNull();
    const removed = await aigw(['providers', 'remove', 'beta-co'], { tty: true, prompter });
    expect(removed.code).toBe(0);
    expect(cli.gw.runtime.customProviders.bySlug(cli.account, 'beta-co')).toBeNull();
  });
});

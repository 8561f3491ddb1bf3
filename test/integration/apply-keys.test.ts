// gateway apply with provider keys by reference: keys are created from the environment variables and files the
// file names, a second run sends no write, a changed secret rotates that key only, changed settings replace a
// key, --prune deletes unnamed keys after naming them, and a secret written in the file is refused before any
// request. Every request is checked against the contract; no output holds a secret.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptedPrompter } from '../helpers/in-process.js';
import { localCommands } from '../helpers/local-commands.js';

const OPENAI_KEY = 'sk-proj-apply-0123456789abcdefWXYZ';
const OPENAI_ROTATED = 'sk-proj-apply-rotated-9999888877WXYZ';
const ANTHROPIC_KEY = 'sk-ant-apply-9876543210zyxwvuQRST';
const TEAM_KEY = 'sk-proj-team-a-1111222233334444';
const LITERAL = 'sk-literal-in-the-file-000011112222';

// Each test applies in an account of its own.
const cli = localCommands([OPENAI_KEY, OPENAI_ROTATED, ANTHROPIC_KEY, TEAM_KEY, LITERAL], undefined, {
  accountPerTest: true,
});

const writes = () => cli.contract.exchanges.filter((e) => e.method !== 'GET');

function apply(file: object, env: Record<string, string>, ...flags: string[]) {
  writeFileSync(join(cli.dir, 'gateways.json'), JSON.stringify(file));
  return cli.run(['gateway', 'apply', '-f', 'gateways.json', ...flags], { env });
}

const stored = (provider: string) => cli.gw.runtime.providerKeys.keysFor(cli.account, 'keyed').get(provider);

const file = (keys: object[]) => ({ gateways: [{ id: 'keyed', authentication: true, keys }] });

const openai = { provider: 'openai', secret: { env: 'OPENAI_API_KEY' } };
const anthropic = { provider: 'anthropic', rate_limit: '100/60s', secret: { file: 'secrets/anthropic' } };

/** Applies the openai and anthropic keys, as the first test does; its result. */
function applyBoth() {
  mkdirSync(join(cli.dir, 'secrets'), { recursive: true });
  writeFileSync(join(cli.dir, 'secrets', 'anthropic'), `${ANTHROPIC_KEY}\n`);
  return apply(file([openai, anthropic]), { OPENAI_API_KEY: OPENAI_KEY });
}

describe('gateway apply with provider keys', () => {
  it('creates keys from the referenced secrets, then sends no write when applied again', async () => {
    const env = { OPENAI_API_KEY: OPENAI_KEY };
    const first = await applyBoth();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('create\tkeyed/openai/default\tkey, secret from $OPENAI_API_KEY');
    expect(first.stdout).toContain(
      'create\tkeyed/anthropic/default\tkey, secret from file secrets/anthropic',
    );
    expect(stored('openai')?.fallback).toMatchObject({ alias: 'default', secret: OPENAI_KEY });
    expect(stored('anthropic')?.fallback).toMatchObject({ secret: ANTHROPIC_KEY });

    const before = writes().length;
    const again = await apply(file([openai, anthropic]), env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('unchanged\tkeyed/openai/default\tkey');
    expect(again.stderr).toContain('No changes');
    expect(writes().length).toBe(before);
  });

  it('rotates only the key whose referenced secret changed, even with the same last characters', async () => {
    expect((await applyBoth()).code).toBe(0);
    const env = { OPENAI_API_KEY: OPENAI_ROTATED };
    const dry = await apply(file([openai, anthropic]), env, '--dry-run');
    expect(dry.stdout).toContain('rotate\tkeyed/openai/default\tkey: rotate (secret changed)');
    expect(dry.stdout).toContain('unchanged\tkeyed/anthropic/default');
    expect(dry.stderr).toContain('Dry run: 0 changes; 1 key to rotate. Nothing was changed.');

    const before = writes().length;
    const result = await apply(file([openai, anthropic]), env);
    expect(result.code, result.stderr).toBe(0);
    const sent = writes().slice(before);
    expect(sent.map((e) => `${e.method} ${e.operationId}`)).toEqual(['PUT aig-config-update-providers']);
    expect(stored('openai')?.fallback).toMatchObject({ secret: OPENAI_ROTATED });
    expect((await apply(file([openai, anthropic]), env)).stderr).toContain('No changes');
  });

  it('replaces a key whose settings changed, and --prune deletes unnamed keys after saying which', async () => {
    expect((await applyBoth()).code).toBe(0);
    const env = { OPENAI_API_KEY: OPENAI_ROTATED, TEAM_KEY };
    const team = { provider: 'openai', alias: 'team-a', secret: { env: 'TEAM_KEY' } };
    const added = await apply(file([openai, anthropic, team]), env);
    expect(added.code, added.stderr).toBe(0);
    expect(stored('openai')?.byAlias.get('team-a')).toMatchObject({ secret: TEAM_KEY });

    const limited = { ...team, rate_limit: '10/min' };
    const prompter = scriptedPrompter({ confirm: [true] });
    writeFileSync(join(cli.dir, 'gateways.json'), JSON.stringify(file([openai, limited])));
    const result = await cli.run(['gateway', 'apply', '-f', 'gateways.json', '--prune'], {
      env,
      prompter,
      tty: true,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.asked).toEqual(['confirm: Delete 1 provider key (keyed/anthropic/default)?']);
    expect(result.stdout).toMatch(
      /update\s+keyed\/openai\/team-a\s+key replaced \(rate limit: off → 10\/60s\)/,
    );
    expect(result.stdout).toMatch(/delete\s+keyed\/anthropic\/default/);
    expect(stored('anthropic')).toBeUndefined();
    const keys = cli.gw.runtime.providerKeys.list(cli.account, 'keyed', { limit: 10, offset: 0 });
    expect(keys.find((k) => k.alias === 'team-a')).toMatchObject({ rate_limit: 10, rate_limit_period: 60 });
    expect((await apply(file([openai, limited]), env)).stderr).toContain('No changes');
  });

  it('warns when the gateway listing keys has authentication off (its stored keys are not used)', async () => {
    const env = { OPENAI_API_KEY: OPENAI_ROTATED };
    const off = { gateways: [{ id: 'keyed', authentication: false, keys: [openai] }] };
    const result = await apply(off, env, '--dry-run');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Gateway keyed lists provider keys but has authentication off');
    expect((await apply(file([openai]), env, '--dry-run')).stderr).not.toContain('authentication off');
  });

  it('refuses a secret written in the file, and a reference it cannot read, before any request', async () => {
    const before = cli.contract.exchanges.length;
    const literal = await apply(file([{ provider: 'openai', secret: LITERAL }]), {});
    expect(literal.code).toBe(2);
    expect(literal.stderr).toContain('keys[0] (openai/default): secret holds a secret written in the file');
    expect(literal.stderr).toContain('{env: OPENAI_API_KEY} or {file: ./secrets/openai}');

    const unset = await apply(file([openai]), {});
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain(
      'keyed key openai/default: the environment variable OPENAI_API_KEY is not set',
    );
    expect(unset.stderr).toContain('Nothing was changed');
    expect(cli.contract.exchanges.length).toBe(before);
  });
});

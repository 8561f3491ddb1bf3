// The keys commands run in this process through main(), with fake streams and a scripted prompter, against an
// in-memory local gateway; every request and response is checked against the contract, and no output, error
// or --debug trace ever carries a key.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../helpers/fake-upstream.js';
import { scriptedPrompter } from '../helpers/in-process.js';
import { localCommands } from '../helpers/local-commands.js';

const OPENAI_KEY = 'sk-proj-cli-0123456789abcdefWXYZ';
const ANTHROPIC_KEY = 'sk-ant-cli-9876543210zyxwvuQRST';
const ROTATED_KEY = 'sk-proj-rotated-5555666677778888';
const SECRETS = [OPENAI_KEY, ANTHROPIC_KEY, ROTATED_KEY];

// Each test starts with two gateways and no key in an account of its own.
const cli = localCommands(
  SECRETS,
  (gw, account) => {
    createGateway(gw, 'secure', { authentication: true }, account);
    createGateway(gw, 'open', {}, account);
  },
  { accountPerTest: true },
);
const aigw = cli.run;

const stored = (gateway: string, provider: string) =>
  cli.gw.runtime.providerKeys.keysFor(cli.account, gateway).get(provider);

/** Stores a key with `keys add` as set-up; its `--json` answer. */
async function added(args: string[], stdin: string) {
  const result = await aigw(['keys', 'add', ...args, '--json'], { stdin });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { id: string; secret_id: string };
}

/** Gateway secure's keys: openai (default), anthropic with alias team and a rate limit, mistral (default). */
async function secureKeys() {
  await added(['secure', '--provider', 'openai'], OPENAI_KEY);
  await added(
    ['secure', '--provider', 'anthropic', '--alias', 'team', '--rate-limit', '100/1m'],
    ANTHROPIC_KEY,
  );
  await added(['secure', '--provider', 'mistral'], OPENAI_KEY);
}

describe('keys add', () => {
  it('stores a key piped on stdin and prints its id', async () => {
    const result = await aigw(['keys', 'add', 'secure', '--provider', 'openai'], {
      stdin: `${OPENAI_KEY}\n`,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[0-9a-f]{32}$/);
    expect(result.stderr).toBe('');
    expect(stored('secure', 'openai')?.fallback).toMatchObject({ alias: 'default', secret: OPENAI_KEY });
  });

  it('reads --secret-file, and an alias other than default is not the default key', async () => {
    const file = join(cli.dir, 'anthropic.txt');
    writeFileSync(file, `${ANTHROPIC_KEY}\n`);
    const result = await aigw([
      'keys',
      'add',
      'secure',
      '--provider',
      'anthropic',
      '--alias',
      'team',
      '--rate-limit',
      '100/1m',
      '--secret-file',
      file,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      provider_slug: 'anthropic',
      alias: 'team',
      default_config: false,
      secret_preview: '****QRST',
      rate_limit: 100,
      rate_limit_period: 60,
    });
  });

  it('asks for the key with a masked prompt in a terminal, and shows only its preview', async () => {
    const prompter = scriptedPrompter({ password: [OPENAI_KEY] });
    const result = await aigw(['keys', 'add', 'open', '--provider', 'openai', '--alias', 'ci'], {
      tty: true,
      prompter,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.asked).toEqual(['password: openai key:']);
    expect(result.stdout).toMatch(/Key\s+\*\*\*\*WXYZ/);
    // The gateway does not use stored keys: the command says so, and how to change it.
    expect(result.stderr).toContain('Gateway open has authentication off');
    expect(result.stderr).toContain('aigw --local gateway update open --authentication');
  });

  it('reuses a stored secret with --secret-id', async () => {
    await added(['secure', '--provider', 'openai'], OPENAI_KEY);
    const list = JSON.parse((await aigw(['keys', 'list', 'secure', '--json'])).stdout);
    const secretId = list[0].secret_id;
    const result = await aigw([
      'keys',
      'add',
      'open',
      '--provider',
      'groq',
      '--secret-id',
      secretId,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ secret_id: secretId, secret_preview: '****WXYZ' });
  });

  it('refuses bad input before sending anything (exit 2)', async () => {
    const sent = cli.contract.exchanges.length;
    const cases: [string[], string | undefined, RegExp][] = [
      [['--provider', 'nosuch'], OPENAI_KEY, /unknown provider "nosuch"/],
      [[], OPENAI_KEY, /--provider is required/],
      [['--provider', 'openai', '--alias', ' x'], OPENAI_KEY, /cannot be sent in a header/],
      [['--provider', 'openai', '--rate-limit', 'lots'], OPENAI_KEY, /--rate-limit/],
      [
        ['--provider', 'openai', '--secret-id', 'x', '--secret-file', 'y'],
        undefined,
        /cannot be used together/,
      ],
      [['--provider', 'openai'], '', /No openai key in stdin/],
      [['--provider', 'openai'], `${OPENAI_KEY}\n${OPENAI_KEY}`, /line breaks/],
    ];
    for (const [flags, stdin, message] of cases) {
      const result = await aigw(['keys', 'add', 'open', '--alias', 'bad', ...flags], {
        ...(stdin === undefined ? {} : { stdin }),
      });
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    // Argument checks need no request; the gateway is not even looked up.
    expect(cli.contract.exchanges.length).toBe(sent);
  });

  it('says when the alias is taken, without echoing the key', async () => {
    await added(['secure', '--provider', 'openai'], OPENAI_KEY);
    const result = await aigw(['keys', 'add', 'secure', '--provider', 'openai'], { stdin: OPENAI_KEY });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/already has a key for openai with alias "default"/);
  });

  it('names a gateway that does not exist', async () => {
    const result = await aigw(['keys', 'add', 'nope', '--provider', 'openai'], { stdin: OPENAI_KEY });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Gateway "nope" was not found');
  });

  it('keeps the key out of the --debug trace', async () => {
    const result = await aigw(['--debug', 'keys', 'add', 'secure', '--provider', 'mistral'], {
      stdin: OPENAI_KEY,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/→ POST .*\/gateways\/secure\/provider_configs/);
  });
});

describe('keys list and get', () => {
  it('lists keys as tab-separated rows when piped, and as the API objects with --json', async () => {
    await secureKeys();
    const result = await aigw(['keys', 'list', 'secure']);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.map((r) => r.slice(1, 6))).toEqual([
      ['openai', 'default', 'true', '****WXYZ', 'off'],
      ['anthropic', 'team', 'false', '****QRST', '100/60s'],
      ['mistral', 'default', 'true', '****WXYZ', 'off'],
    ]);
    const json = JSON.parse((await aigw(['keys', 'list', 'secure', '--json'])).stdout);
    expect(json).toHaveLength(3);
  });

  it('finds a key by provider, provider/alias or id', async () => {
    await secureKeys();
    const byProvider = JSON.parse((await aigw(['keys', 'get', 'secure', 'openai', '--json'])).stdout);
    expect(byProvider.alias).toBe('default');
    const byAlias = JSON.parse((await aigw(['keys', 'get', 'secure', 'anthropic/team', '--json'])).stdout);
    expect(byAlias.provider_slug).toBe('anthropic');
    const byId = await aigw(['keys', 'get', 'secure', byAlias.id]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain(`ID\t${byAlias.id}`);
  });

  it('names the key or the gateway that is not there', async () => {
    await secureKeys();
    const unknownId = await aigw(['keys', 'get', 'secure', 'ffffffffffffffffffffffffffffffff']);
    expect(unknownId.code).toBe(1);
    expect(unknownId.stderr).toContain(
      'Provider key ffffffffffffffffffffffffffffffff was not found in gateway secure',
    );
    expect(unknownId.stderr).toContain('aigw --local keys list secure');
    const noAlias = await aigw(['keys', 'get', 'secure', 'anthropic/nope']);
    expect(noAlias.code).toBe(1);
    expect(noAlias.stderr).toContain('Gateway secure has no anthropic key with alias "nope"');
    const noGateway = await aigw(['keys', 'list', 'nope']);
    expect(noGateway.code).toBe(1);
    expect(noGateway.stderr).toContain('Gateway "nope" was not found');
  });
});

describe('keys rotate and remove', () => {
  it('rotates a key from stdin; the data plane gets the new one', async () => {
    await secureKeys();
    const result = await aigw(['keys', 'rotate', 'secure', 'openai', '--json'], { stdin: ROTATED_KEY });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ alias: 'default', secret_preview: '****8888' });
    expect(stored('secure', 'openai')?.fallback?.secret).toBe(ROTATED_KEY);
  });

  it('needs --yes when it cannot ask, and keeps the key when the answer is no', async () => {
    await secureKeys();
    const noYes = await aigw(['keys', 'remove', 'secure', 'anthropic/team']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('aigw --local keys remove secure anthropic/team --yes');
    const prompter = scriptedPrompter({ confirm: [false] });
    const kept = await aigw(['keys', 'remove', 'secure', 'anthropic/team'], { tty: true, prompter });
    expect(kept.code).toBe(0);
    expect(prompter.asked[0]).toMatch(
      /Remove the anthropic key "team" \(\*\*\*\*QRST\) from gateway secure\?/,
    );
    expect(stored('secure', 'anthropic')?.byAlias.has('team')).toBe(true);
  });

  it('removes a key with --yes', async () => {
    await secureKeys();
    const result = await aigw(['keys', 'rm', 'secure', 'anthropic/team', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[0-9a-f]{32}$/);
    expect(stored('secure', 'anthropic')).toBeUndefined();
  });
});

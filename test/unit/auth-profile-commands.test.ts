// auth and profile commands in process: fake API, fake terminal, scripted prompts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCloudflare, runInProcess, scriptedPrompter, tempConfigDir } from '../helpers/in-process.js';

const token = 'cf-unit-token-abcdef123456';
const accounts = [
  { id: 'acc10000000000000000000000000000', name: 'Acme' },
  { id: 'acc20000000000000000000000000000', name: 'Beta' },
];

let tmp: ReturnType<typeof tempConfigDir>;
let env: Record<string, string>;
beforeEach(() => {
  tmp = tempConfigDir();
  env = { AIGW_CONFIG_DIR: tmp.dir };
});
afterEach(() => tmp.cleanup());

// A file that was never written counts as empty.
const readJson = (name: string) => {
  const path = join(tmp.dir, name);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : { profiles: {} };
};
const credentials = () => readJson('credentials.json');
const config = () => readJson('config.json');
const noToken = (r: { stdout: string; stderr: string }) => {
  expect(r.stdout).not.toContain(token);
  expect(r.stderr).not.toContain(token);
};

describe('auth login', () => {
  it('in a terminal: masked prompt, account choice, saved and made current', async () => {
    const api = fakeCloudflare({ token, accounts });
    const prompter = scriptedPrompter({
      password: [` ${token}\n`],
      select: ['acc20000000000000000000000000000'],
    });
    const r = await runInProcess(['auth', 'login'], { env, tty: true, prompter, fetch: api.fetch });
    expect(r.code).toBe(0);
    expect(prompter.asked).toEqual(['password: API token:', 'select: Which account?']);
    expect(r.stderr).toContain('Logged in to Beta (acc20000000000000000000000000000) as profile default');
    noToken(r);
    expect(credentials().profiles.default).toEqual({ apiToken: token });
    expect(config()).toMatchObject({
      currentProfile: 'default',
      profiles: { default: { accountId: 'acc20000000000000000000000000000', accountName: 'Beta' } },
    });
    expect(api.requests.map((q) => q.path)).toContain('/client/v4/user/tokens/verify');
  });

  it('--with-token: several accounts and no terminal is a usage error listing them; nothing saved', async () => {
    const api = fakeCloudflare({ token, accounts });
    const r = await runInProcess(['auth', 'login', '--with-token'], { env, stdin: token, fetch: api.fetch });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Acme: acc10000000000000000000000000000');
    expect(r.stderr).toContain('--account-id');
    noToken(r);
    const ok = await runInProcess(
      [
        'auth',
        'login',
        '--with-token',
        '--account-id',
        'acc10000000000000000000000000000',
        '--profile',
        'ci',
      ],
      {
        env,
        stdin: `${token}\n`,
        fetch: api.fetch,
      },
    );
    expect(ok.code).toBe(0);
    // Piped: no success line (that is for terminals); what was saved says it worked.
    expect(ok.stderr).not.toContain('Logged in');
    expect(credentials().profiles).toEqual({ ci: { apiToken: token } });
  });

  it('--account-id the token cannot see is a usage error', async () => {
    const api = fakeCloudflare({ token, accounts });
    const unseen = 'd'.repeat(32);
    const r = await runInProcess(['auth', 'login', '--with-token', '--account-id', unseen], {
      env,
      stdin: token,
      fetch: api.fetch,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot see account ${unseen}`);
  });

  it('an --account-id that cannot be an account id is refused before anything is sent or stored', async () => {
    const api = fakeCloudflare({ token, accounts });
    for (const argv of [
      ['auth', 'login', '--with-token', '--account-id', 'nope'],
      ['profile', 'add', 'p2', '--with-token', '--no-verify', '--account-id', 'local'],
    ]) {
      const r = await runInProcess(argv, { env, stdin: token, fetch: api.fetch });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--account-id "(nope|local)" is not an account id: .*32 hexadecimal digits/);
    }
    expect(api.requests).toEqual([]);
    expect(credentials().profiles).toEqual({});
    expect(config().profiles).toEqual({});
  });

  it('a rejected token: exit 4, nothing saved, the token never echoed', async () => {
    const api = fakeCloudflare({ token: 'the-real-one-123456', accounts });
    const r = await runInProcess(['auth', 'login', '--with-token'], { env, stdin: token, fetch: api.fetch });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Invalid API Token');
    expect(r.stderr).toContain('API Tokens');
    noToken(r);
    expect(credentials().profiles).toEqual({});
  });

  it('empty stdin, a token with spaces, or no terminal without --with-token: usage errors', async () => {
    const api = fakeCloudflare({ token, accounts });
    const empty = await runInProcess(['auth', 'login', '--with-token'], {
      env,
      stdin: '  \n',
      fetch: api.fetch,
    });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('No token on stdin');
    const spaced = await runInProcess(['auth', 'login', '--with-token'], {
      env,
      stdin: 'a b',
      fetch: api.fetch,
    });
    expect(spaced.code).toBe(2);
    const piped = await runInProcess(['auth', 'login'], { env, fetch: api.fetch });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('--with-token');
    expect(api.requests).toHaveLength(0);
  });

  it('there is no --token flag', async () => {
    const r = await runInProcess(['auth', 'login', '--token', token], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--token'");
  });
});

describe('auth status and logout', () => {
  async function loggedIn() {
    const api = fakeCloudflare({ token, accounts: [accounts[0]!] });
    const r = await runInProcess(['auth', 'login', '--with-token'], { env, stdin: token, fetch: api.fetch });
    expect(r.code).toBe(0);
    return api;
  }

  it('--json reports the profile, masked token, source and validity', async () => {
    const api = await loggedIn();
    const r = await runInProcess(['auth', 'status', '--json'], { env, fetch: api.fetch });
    expect(r.code).toBe(0);
    noToken(r);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: 'default',
      current: true,
      credentials: '****3456',
      credentials_source: 'profile default',
      account_id: 'acc10000000000000000000000000000',
      account_name: 'Acme',
      valid: true,
      problem: null,
    });
  });

  it('CLOUDFLARE_API_TOKEN is reported as the source and checked; a bad one exits 4 with the fix', async () => {
    const api = await loggedIn();
    const r = await runInProcess(['auth', 'status', '--json'], {
      env: { ...env, CLOUDFLARE_API_TOKEN: 'wrong-token-999999' },
      fetch: api.fetch,
    });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ credentials_source: 'CLOUDFLARE_API_TOKEN', valid: false });
    expect(r.stderr).toContain('fix or unset it');
    expect(r.stderr).not.toContain('wrong-token-999999');
  });

  it('--all lists every profile; the exit status follows the one in use', async () => {
    const api = await loggedIn();
    await runInProcess(['profile', 'add', 'empty'], { env });
    const r = await runInProcess(['auth', 'status', '--all', '--json'], { env, fetch: api.fetch });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { name: string; valid: boolean | null }[];
    expect(rows.map((x) => [x.name, x.valid])).toEqual([
      ['default', true],
      ['empty', false],
      // The fake API answers for the local gateway too, and rejects its built-in token.
      ['local', false],
    ]);
  });

  it('logout removes the stored token and warns that CLOUDFLARE_API_TOKEN still applies', async () => {
    await loggedIn();
    const r = await runInProcess(['auth', 'logout'], {
      env: { ...env, CLOUDFLARE_API_TOKEN: 'x' },
      tty: true,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Removed the stored token of profile default');
    expect(r.stderr).toContain('CLOUDFLARE_API_TOKEN is set');
    expect(credentials().profiles).toEqual({});
    expect(config().profiles.default.accountId).toBe('acc10000000000000000000000000000');
    const again = await runInProcess(['auth', 'logout'], { env });
    expect(again.stderr).toContain('nothing to remove');
    const status = await runInProcess(['auth', 'status'], { env });
    expect(status.code).toBe(4);
  });
});

describe('profile', () => {
  it('add verifies the token, picks the only account, and shows up in list', async () => {
    const api = fakeCloudflare({ token, accounts: [accounts[1]!] });
    const add = await runInProcess(
      [
        'profile',
        'add',
        'staging',
        '--with-token',
        '--default-gateway',
        'chat',
        '--base-url',
        'http://x.test/client/v4/',
      ],
      { env, stdin: token, fetch: api.fetch, tty: true },
    );
    expect(add.code).toBe(0);
    expect(add.stderr).toContain('Created profile staging for Beta (acc20000000000000000000000000000)');
    noToken(add);
    expect(api.requests[0]!.path).toBe('/client/v4/user/tokens/verify');
    const list = await runInProcess(['profile', 'list'], { env });
    expect(list.stdout.split('\n')).toContain(
      'staging\t*\tBeta (acc20000000000000000000000000000)\tchat\thttp://x.test/client/v4\t****3456',
    );
    expect(list.stdout).toContain('local\t\tlocal\t\thttp://127.0.0.1:8787/client/v4\tbuilt-in');
    noToken(list);
  });

  it('add --no-verify sends nothing; a bad token without it is refused', async () => {
    const api = fakeCloudflare({ token: 'other-token-123456', accounts });
    const bad = await runInProcess(['profile', 'add', 'p1', '--with-token'], {
      env,
      stdin: token,
      fetch: api.fetch,
    });
    expect(bad.code).toBe(4);
    const before = api.requests.length;
    const skip = await runInProcess(
      [
        'profile',
        'add',
        'p1',
        '--with-token',
        '--no-verify',
        '--account-id',
        'acc90000000000000000000000000000',
      ],
      {
        env,
        stdin: token,
        fetch: api.fetch,
      },
    );
    expect(skip.code).toBe(0);
    expect(api.requests.length).toBe(before);
    expect(config().profiles.p1).toEqual({ accountId: 'acc90000000000000000000000000000' });
  });

  it('names are validated; local takes no token or address from profile add, and cannot be removed', async () => {
    for (const name of ['bad name', 'x'.repeat(65), 'a/b']) {
      const r = await runInProcess(['profile', 'add', name], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('not a valid profile name');
    }
    const token = await runInProcess(['profile', 'add', 'local', '--with-token'], { env, stdin: 'x' });
    expect(token.code).toBe(2);
    expect(token.stderr).toContain('aigw auth login --local --with-token');
    const rm = await runInProcess(['profile', 'remove', 'local', '--yes'], { env });
    expect(rm.code).toBe(2);
    expect(rm.stderr).toContain('built in');
  });

  it('use: sets current, unknown names exit 2 listing profiles, warns about CLOUDFLARE_API_TOKEN', async () => {
    await runInProcess(['profile', 'add', 'dev'], { env });
    await runInProcess(['profile', 'add', 'prod'], { env });
    const use = await runInProcess(['profile', 'use', 'prod'], {
      env: { ...env, CLOUDFLARE_API_TOKEN: 't' },
    });
    expect(use.code).toBe(0);
    expect(use.stderr).toContain('CLOUDFLARE_API_TOKEN is set');
    expect(config().currentProfile).toBe('prod');
    const unknown = await runInProcess(['profile', 'use', 'qa'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Profiles: dev, local, prod');
  });

  it('remove needs --yes when not interactive, asks in a terminal', async () => {
    await runInProcess(['profile', 'add', 'dev'], { env });
    const refused = await runInProcess(['profile', 'remove', 'dev'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const declined = await runInProcess(['profile', 'remove', 'dev'], {
      env,
      tty: true,
      prompter: scriptedPrompter({ confirm: [false] }),
    });
    expect(declined.code).toBe(1);
    expect(config().profiles.dev).toBeDefined();
    const asked = await runInProcess(['profile', 'remove', 'dev'], {
      env,
      tty: true,
      prompter: scriptedPrompter({ confirm: [true] }),
    });
    expect(asked.code).toBe(0);
    expect(config().profiles.dev).toBeUndefined();
  });

  it('show says where each value comes from', async () => {
    const api = fakeCloudflare({ token, accounts: [accounts[0]!] });
    await runInProcess(['profile', 'add', 'dev', '--with-token'], { env, stdin: token, fetch: api.fetch });
    const r = await runInProcess(['profile', 'show', 'dev', '--json'], {
      env: { ...env, CLOUDFLARE_BASE_URL: 'http://127.0.0.1:9/client/v4' },
    });
    expect(r.code).toBe(0);
    noToken(r);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: 'dev',
      base_url: 'http://127.0.0.1:9/client/v4',
      base_url_source: 'CLOUDFLARE_BASE_URL',
      credentials: '****3456',
      credentials_source: 'profile dev',
      account_id: 'acc10000000000000000000000000000',
      account_source: 'profile',
    });
    const piped = await runInProcess(['profile', 'show', 'dev'], { env });
    expect(piped.stdout).toContain('Credentials\t****3456 (from profile dev)');
    expect((await runInProcess(['profile', 'show', 'nope'], { env })).code).toBe(2);
  });
});

// aigw auth, as a user runs it: the built bin against a running `aigw proxy` process.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aigwAsRun, sandboxWithProxy } from '../helpers/run-cli.js';

const proxyToken = 'e2e-proxy-token-7f3a9c2b1d';
// Each test starts logged out, with an empty config directory of its own.
const cli = sandboxWithProxy(['--in-memory', '--api-token', proxyToken], {
  sandboxPerTest: true,
  secrets: [proxyToken],
});
const aigw = cli.run;

/** `auth login --local --with-token` with the proxy's token. */
function loginLocal(env: Record<string, string> = {}) {
  return aigw(['auth', 'login', '--local', '--with-token'], {
    stdin: `${proxyToken}\n`,
    env: { AIGW_LOCAL_URL: cli.proxy.apiUrl, ...env },
  });
}

/** `auth login --profile remote --with-token`, the profile sent to the proxy by CLOUDFLARE_BASE_URL. */
function loginRemote(env: Record<string, string> = {}) {
  return aigw(['auth', 'login', '--profile', 'remote', '--with-token'], {
    stdin: proxyToken,
    env: { CLOUDFLARE_BASE_URL: cli.proxy.apiUrl, ...env },
  });
}

describe('aigw auth against the local gateway', () => {
  it('without credentials: exit 4 and the fix', async () => {
    const r = await aigw(['auth', 'status']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('No Cloudflare credentials for profile "default"');
    expect(r.stderr).toContain(`Run: ${aigwAsRun} auth login`);
  });

  it('auth login --local --with-token reads stdin, verifies, saves to the local profile', async () => {
    // In a terminal, so that it says what it did.
    const r = await loginLocal({ AIGW_FORCE_TTY: '1' });
    expect(r.stderr).toContain('Logged in to Local (aigw proxy) (local) as profile local');
    expect(r.code).toBe(0);
  });

  it('auth status --local: the stored token is valid; --json says so too', async () => {
    expect((await loginLocal()).code).toBe(0);
    const env = { AIGW_LOCAL_URL: cli.proxy.apiUrl };
    const text = await aigw(['auth', 'status', '--local'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`API\t${cli.proxy.apiUrl} (from AIGW_LOCAL_URL)`);
    expect(text.stdout).toContain('Credentials\t****');
    expect(text.stdout).toContain('(from profile local)');
    expect(text.stdout).toContain('Token\tvalid');
    const json = await aigw(['auth', 'status', '--local', '--json'], { env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      name: 'local',
      local: true,
      base_url: cli.proxy.apiUrl,
      credentials_source: 'profile local',
      account_id: 'local',
      valid: true,
    });
  });

  it('a wrong token for the local gateway: exit 4, nothing saved over the good one', async () => {
    expect((await loginLocal()).code).toBe(0);
    const env = { AIGW_LOCAL_URL: cli.proxy.apiUrl };
    const r = await aigw(['auth', 'login', '--local', '--with-token'], {
      stdin: 'not-the-token-000000',
      env,
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('--api-token');
    expect((await aigw(['auth', 'status', '--local'], { env })).code).toBe(0);
    // AIGW_LOCAL_TOKEN overrides the stored one, and a bad one fails with exit 4.
    const bad = await aigw(['auth', 'status', '--local'], {
      env: { ...env, AIGW_LOCAL_TOKEN: 'wrong-local-000000' },
    });
    expect(bad.code).toBe(4);
    expect(bad.stdout).toContain('(from AIGW_LOCAL_TOKEN)');
  });

  it('a remote profile pointed at the local gateway with CLOUDFLARE_BASE_URL logs in and checks out', async () => {
    const env = { CLOUDFLARE_BASE_URL: cli.proxy.apiUrl };
    const login = await loginRemote({ AIGW_FORCE_TTY: '1' });
    expect(login.stderr).toContain('as profile remote');
    expect(login.code).toBe(0);
    const status = await aigw(['auth', 'status', '--profile', 'remote', '--json'], { env });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      name: 'remote',
      local: false,
      base_url: cli.proxy.apiUrl,
      base_url_source: 'CLOUDFLARE_BASE_URL',
      credentials_source: 'profile remote',
      valid: true,
    });
    // Without CLOUDFLARE_BASE_URL the profile talks to api.cloudflare.com; do not go there from a test.
  });

  it('the first profile logged in became current', async () => {
    expect((await loginLocal()).code).toBe(0);
    expect((await loginRemote()).code).toBe(0);
    const list = await aigw(['profile', 'list', '--json']);
    const rows = JSON.parse(list.stdout) as { name: string; current: boolean }[];
    expect(rows.find((p) => p.current)?.name).toBe('local');
  });

  it('auth logout removes the stored token and says so; status then fails with exit 4', async () => {
    expect((await loginRemote()).code).toBe(0);
    const env = { CLOUDFLARE_BASE_URL: cli.proxy.apiUrl };
    const out = await aigw(['auth', 'logout', '--profile', 'remote'], {
      env: { ...env, AIGW_FORCE_TTY: '1' },
    });
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('Removed the stored token of profile remote');
    const status = await aigw(['auth', 'status', '--profile', 'remote'], { env });
    expect(status.code).toBe(4);
    expect(status.stderr).toContain(`${aigwAsRun} auth login --profile remote`);
  });

  it('the config directory is 0700 and its files 0600', async () => {
    expect((await loginLocal()).code).toBe(0);
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(cli.sandbox.configDir)).toBe(0o700);
    expect(mode(join(cli.sandbox.configDir, 'config.json'))).toBe(0o600);
    expect(mode(join(cli.sandbox.configDir, 'credentials.json'))).toBe(0o600);
  });
});

// aigw profile, as a user runs it: the built bin against a running `aigw proxy` process.
import { describe, expect, it } from 'vitest';
import { aigwAsRun, sandboxWithProxy } from '../helpers/run-cli.js';

const token = 'e2e-staging-token-5d8e1a0f42';
// Each test starts with no profile saved but the ones it adds.
const cli = sandboxWithProxy(['--in-memory'], {
  sandboxPerTest: true,
  secrets: [token],
});
const aigw = cli.run;

/** `profile add staging` for the local gateway, with the token from stdin (verified). */
async function addStaging(env: Record<string, string> = {}) {
  return aigw(
    [
      'profile',
      'add',
      'staging',
      '--base-url',
      cli.proxy.apiUrl,
      '--default-gateway',
      'chat',
      '--with-token',
    ],
    { stdin: token, env },
  );
}

async function addProd() {
  const r = await aigw(['profile', 'add', 'prod', '--account-id', 'acc30000000000000000000000000000']);
  expect(r.code, r.stderr).toBe(0);
}

describe('aigw profile', () => {
  it('add staging --base-url <local gateway> --with-token verifies the token and saves the account', async () => {
    const r = await addStaging({ AIGW_FORCE_TTY: '1' });
    expect(r.stderr).toContain('Created profile staging for Local (aigw proxy) (local)');
    expect(r.code).toBe(0);
  });

  it('--profile staging uses it: auth status is valid, with the base URL from the profile', async () => {
    expect((await addStaging()).code).toBe(0);
    const r = await aigw(['--profile', 'staging', 'auth', 'status', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: 'staging',
      base_url: cli.proxy.apiUrl,
      base_url_source: 'profile',
      default_gateway: 'chat',
      account_id: 'local',
      valid: true,
    });
  });

  it('list shows every profile with masked credentials, the built-in local included', async () => {
    expect((await addStaging()).code).toBe(0);
    const r = await aigw(['profile', 'list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain(
      `staging\t*\tLocal (aigw proxy) (local)\tchat\t${cli.proxy.apiUrl}\t****${token.slice(-4)}`,
    );
    expect(lines.some((l) => l.startsWith('local\t'))).toBe(true);
  });

  it('add without a token, use, AIGW_PROFILE, and a missing token exits 4 with the fix', async () => {
    expect((await addStaging()).code).toBe(0);
    await addProd();
    const use = await aigw(['profile', 'use', 'prod'], { env: { AIGW_FORCE_TTY: '1' } });
    expect(use.code).toBe(0);
    expect(use.stderr).toContain('Switched to profile prod');
    const status = await aigw(['auth', 'status']);
    expect(status.code).toBe(4);
    expect(status.stderr).toContain(`${aigwAsRun} auth login --profile prod`);
    const viaEnv = await aigw(['auth', 'status', '--json'], { env: { AIGW_PROFILE: 'staging' } });
    expect(viaEnv.code).toBe(0);
    expect(JSON.parse(viaEnv.stdout).name).toBe('staging');
  });

  it('use of an unknown profile exits 2 listing the profiles', async () => {
    expect((await addStaging()).code).toBe(0);
    await addProd();
    const r = await aigw(['profile', 'use', 'qa']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Profiles: local, prod, staging');
  });

  it('CLOUDFLARE_API_TOKEN overrides stored profiles: profile commands warn, show names the source', async () => {
    expect((await addStaging()).code).toBe(0);
    const env = { CLOUDFLARE_API_TOKEN: 'env-token-abcdef9876' };
    const use = await aigw(['profile', 'use', 'staging'], { env });
    expect(use.stderr).toContain('CLOUDFLARE_API_TOKEN is set');
    const show = await aigw(['profile', 'show', '--json'], { env });
    expect(JSON.parse(show.stdout)).toMatchObject({
      name: 'staging',
      credentials: '****9876',
      credentials_source: 'CLOUDFLARE_API_TOKEN',
    });
    expect(show.stdout).not.toContain('env-token-abcdef9876');
  });

  it('remove needs --yes when not interactive; removes settings and token', async () => {
    expect((await addStaging()).code).toBe(0);
    await addProd();
    const refused = await aigw(['profile', 'remove', 'staging']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const removed = await aigw(['profile', 'remove', 'staging', '--yes']);
    expect(removed.code).toBe(0);
    const list = await aigw(['profile', 'list', '--json']);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((p) => p.name)).toEqual(['local', 'prod']);
  });
});

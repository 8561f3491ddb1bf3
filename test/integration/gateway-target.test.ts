// Which gateway service a command reaches, and that the commands its messages suggest reach the same one:
// --local-url (which implies --local) in every accepted form, invalid addresses, and hints pasted back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { runInProcess, scriptedPrompter } from '../helpers/in-process.js';
import { apiBase, startTestGateway } from '../helpers/local-gateway.js';
import { ContractRecorder, contractFetch } from '../helpers/openapi.js';

let gw: LocalGateway;
let dir: string;
const contract = new ContractRecorder();
const checkedFetch = contractFetch(contract);
/** Every URL the CLI asked for; only the local gateway answers, anything else is a stand-in failure. */
let sent: string[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const url = new Request(input, init).url;
  sent.push(url);
  if (!url.startsWith(`${gw.url}/`)) return new Response('stand-in for Cloudflare', { status: 500 });
  return checkedFetch(input, init);
};

const cloudflareToken = 'cf-token-must-stay-home-123456';

beforeAll(async () => {
  gw = await startTestGateway();
  dir = mkdtempSync(join(tmpdir(), 'aigw-target-'));
  // A default profile for Cloudflare, which no command below may reach.
  const setup = await aigw(['profile', 'add', 'default', '--account-id', '023e105f4ecef8ad9ca31a8372d0c353']);
  expect(setup.code, setup.stderr).toBe(0);
});
beforeEach(() => {
  sent = [];
});
afterAll(async () => {
  contract.assertClean();
  await gw.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs in a terminal that may not prompt (CI), so success lines and their hints show. */
function aigw(argv: string[], env: Record<string, string> = {}) {
  return runInProcess(argv, {
    tty: true,
    env: {
      AIGW_CONFIG_DIR: join(dir, 'config'),
      NO_COLOR: '1',
      CLOUDFLARE_API_TOKEN: cloudflareToken,
      CLOUDFLARE_BASE_URL: 'http://127.0.0.1:9/client/v4',
      CI: 'true',
      ...env,
    },
    cwd: dir,
    prompter: scriptedPrompter({}),
    fetch: recordingFetch,
  });
}

/** The command a hint suggests (after `label`), as argv without the leading `aigw`. */
function hinted(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.includes(label));
  expect(line, `no "${label}" in:\n${text}`).toBeDefined();
  const words = line!
    .slice(line!.indexOf(label) + label.length)
    .trim()
    .split(/\s+/);
  expect(words[0]).toBe('aigw');
  return words.slice(1);
}

describe('--local-url', () => {
  it('implies --local in each accepted form: nothing goes to the profile Cloudflare account', async () => {
    const port = new URL(gw.url).port;
    const forms = [`http://127.0.0.1:${port}`, `127.0.0.1:${port}`, `${gw.url}/client/v4`];
    for (const [i, form] of forms.entries()) {
      const r = await aigw(['--local-url', form, 'gateway', 'create', `url-form-${i}`]);
      expect(r.code, r.stderr).toBe(0);
    }
    const list = await aigw(['--local-url', `127.0.0.1:${port}`, 'gateway', 'list']);
    for (const i of [0, 1, 2]) expect(list.stdout).toContain(`url-form-${i}`);
    expect(sent.length).toBeGreaterThan(0);
    for (const url of sent) expect(url.startsWith(`${apiBase(gw)}/accounts/local/`), url).toBe(true);
  });

  it('an invalid address is a usage error (exit 2) and nothing is sent', async () => {
    const bad = await aigw(['--local-url', 'http://127.0.0.1:8787/v1', 'gateway', 'list']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--local-url "http://127.0.0.1:8787/v1" is not a local gateway address');
    expect(bad.stderr).toContain('127.0.0.1:8787/client/v4');
    expect(bad.stderr).not.toContain('bug');
    const badEnv = await aigw(['--local', 'gateway', 'list'], { AIGW_LOCAL_URL: 'nonsense://x y' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('AIGW_LOCAL_URL "nonsense://x y" is not a local gateway address');
    expect(sent).toEqual([]);
  });
});

describe('hints repeat the options that chose the target', () => {
  it('--local-url: the created message, delete --yes and the not-found hint paste back to the same gateway', async () => {
    const origin = gw.url;
    const target = ['--local-url', origin];
    const created = await aigw([...target, 'gateway', 'create', 'hinted']);
    expect(created.code, created.stderr).toBe(0);
    const urlHint = hinted(created.stderr, 'Its URL:');
    expect(urlHint).toEqual([...target, 'gateway', 'url', 'hinted']);
    const url = await aigw(urlHint);
    expect(url.code, url.stderr).toBe(0);
    expect(url.stdout).toContain(`${origin}/v1/local/hinted/openai`);

    const duplicate = await aigw([...target, 'gateway', 'create', 'hinted']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain(`aigw --local-url ${origin} gateway update hinted [flags]`);

    const refused = await aigw([...target, 'gateway', 'delete', 'hinted']);
    expect(refused.code).toBe(2);
    const deleteHint = hinted(refused.stderr, 'Run:');
    expect(deleteHint).toEqual([...target, 'gateway', 'delete', 'hinted', '--yes']);
    expect((await aigw(deleteHint)).code).toBe(0);

    const gone = await aigw([...target, 'gateway', 'get', 'hinted']);
    expect(gone.code).toBe(1);
    const listHint = hinted(gone.stderr, 'List the gateways with:');
    expect(listHint).toEqual([...target, 'gateway', 'list']);
    const list = await aigw(listHint);
    expect(list.code).toBe(0);
    for (const url of sent) expect(url.startsWith(origin), url).toBe(true);
  });

  it('--local --account-id and --profile are repeated too', async () => {
    const account = 'abcdef0123456789abcdef0123456789';
    const target = ['--local', '--account-id', account];
    const env = { AIGW_LOCAL_URL: apiBase(gw) };
    const refused = await aigw([...target, 'gateway', 'update', 'acct-gw'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `aigw --local --account-id ${account} gateway update acct-gw --cache-ttl 1h`,
    );

    const staging = await aigw([
      'profile',
      'add',
      'staging',
      '--base-url',
      apiBase(gw),
      '--account-id',
      account,
      '--default-gateway',
      'profiled',
    ]);
    expect(staging.code, staging.stderr).toBe(0);
    // Its own token: CLOUDFLARE_API_TOKEN would override any profile's.
    const viaProfile = await aigw(['--profile', 'staging', 'gateway', 'create', 'profiled'], {
      CLOUDFLARE_API_TOKEN: 'staging-token-123456',
      CLOUDFLARE_BASE_URL: '',
    });
    expect(viaProfile.code, viaProfile.stderr).toBe(0);
    expect(hinted(viaProfile.stderr, 'Its URL:')).toEqual([
      '--profile',
      'staging',
      'gateway',
      'url',
      'profiled',
    ]);
    // The profile's default gateway stands in for a gateway not named.
    const url = await aigw(['--profile', 'staging', 'gateway', 'url', '--provider', 'openai'], {
      CLOUDFLARE_API_TOKEN: 'staging-token-123456',
      CLOUDFLARE_BASE_URL: '',
    });
    expect(url.stdout.trim()).toBe(`${gw.url}/v1/${account}/profiled/openai`);
    expect(sent.every((url) => url.startsWith(`${apiBase(gw)}/accounts/${account}/`))).toBe(true);
  });
});

describe("the data plane's unknown-gateway answer", () => {
  async function unknownGateway(account: string, gateway: string) {
    const res = await fetch(`${gw.url}/v1/${account}/${gateway}/openai/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"gpt-4o-mini"}',
    });
    const body = (await res.json()) as { error: { code: number; message: string }[]; internalCode: number };
    expect(res.status).toBe(400);
    expect(body.internalCode).toBe(2001);
    expect(body.error[0]!.code).toBe(2001);
    expect(body.error[0]!.message).toMatch(/^Please configure AI Gateway in the Cloudflare dashboard\. /);
    return body.error[0]!.message;
  }

  it('keeps Cloudflare’s 2001 and names a command that creates the gateway here, which works when pasted', async () => {
    const message = await unknownGateway('local', 'app-gw');
    expect(message).toContain("no gateway 'app-gw' in account 'local'");
    const hint = hinted(message, 'create it with:');
    expect(hint).toEqual(['--local-url', gw.url, 'gateway', 'create', 'app-gw']);
    const created = await aigw(hint);
    expect(created.code, created.stderr).toBe(0);
    expect(gw.runtime.gateways.get('local', 'app-gw')).not.toBeNull();
  });

  it('names the account when it is not the one the gateway serves', async () => {
    const account = '0123456789abcdef0123456789abcdef';
    const hint = hinted(await unknownGateway(account, 'other-acct'), 'create it with:');
    expect(hint).toEqual(['--local-url', gw.url, '--account-id', account, 'gateway', 'create', 'other-acct']);
    const created = await aigw(hint);
    expect(created.code, created.stderr).toBe(0);
    expect(gw.runtime.gateways.get(account, 'other-acct')).not.toBeNull();
  });

  it('points at the API when the CLI cannot name the account', async () => {
    const message = await unknownGateway('not-an-account', 'gw');
    expect(message).toContain(
      `create it with POST ${gw.url}/client/v4/accounts/not-an-account/ai-gateway/gateways`,
    );
  });
});

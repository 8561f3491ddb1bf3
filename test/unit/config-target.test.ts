import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/profiles.js';
import {
  CLOUDFLARE_API,
  LOCAL_API,
  localApiUrl,
  localTargetOptions,
  maskSecret,
  resolveTarget,
  targetOptions,
} from '../../src/config/target.js';
import { AuthError, ExitCode, UsageError } from '../../src/errors.js';
import { tempConfigDir } from '../helpers/in-process.js';

let tmp: ReturnType<typeof tempConfigDir>;
let store: ProfileStore;

beforeEach(() => {
  tmp = tempConfigDir();
  store = new ProfileStore(tmp.dir);
  store.save('default', { accountId: 'acc-default', accountName: 'Default Co' });
  store.saveCredential('default', { apiToken: 'default-token-123456' });
  store.save('staging', {
    accountId: 'acc-staging',
    baseUrl: 'https://staging.example/client/v4/',
    defaultGateway: 'gw',
  });
  store.saveCredential('staging', { apiToken: 'staging-token-123456' });
});
afterEach(() => tmp.cleanup());

describe('credentials', () => {
  it('CLOUDFLARE_API_TOKEN wins over the stored token', () => {
    const t = resolveTarget({}, { CLOUDFLARE_API_TOKEN: 'env-token' }, store);
    expect(t.credential).toEqual({ kind: 'token', token: 'env-token', source: 'CLOUDFLARE_API_TOKEN' });
    expect(t.profile).toBe('default');
  });

  it('uses CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL, but not the key alone', () => {
    const both = resolveTarget({}, { CLOUDFLARE_API_KEY: 'k', CLOUDFLARE_EMAIL: 'a@b.c' }, store);
    expect(both.credential).toEqual({ kind: 'key', key: 'k', email: 'a@b.c', source: 'CLOUDFLARE_API_KEY' });
    const keyOnly = resolveTarget({}, { CLOUDFLARE_API_KEY: 'k' }, store);
    expect(keyOnly.credential).toMatchObject({ kind: 'token', source: 'profile default' });
  });

  it('a token beats a key pair', () => {
    const t = resolveTarget(
      {},
      { CLOUDFLARE_API_TOKEN: 'tok', CLOUDFLARE_API_KEY: 'k', CLOUDFLARE_EMAIL: 'a@b.c' },
      store,
    );
    expect(t.credential.kind).toBe('token');
  });

  it('falls back to the profile token', () => {
    const t = resolveTarget({}, {}, store);
    expect(t.credential).toEqual({ kind: 'token', token: 'default-token-123456', source: 'profile default' });
  });

  it('missing credentials are an AuthError (exit 4) with the fix', () => {
    store.removeCredential('staging');
    let caught: unknown;
    try {
      resolveTarget({ profile: 'staging' }, {}, store);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AuthError);
    const err = caught as AuthError;
    expect(err.exitCode).toBe(ExitCode.auth);
    expect(err.message).toContain('staging');
    expect(err.hint).toContain('aigw auth login --profile staging');
    expect(err.hint).toContain('CLOUDFLARE_API_TOKEN');
  });
});

describe('profile selection', () => {
  beforeEach(() => {
    store.save('prod', { accountId: 'acc-prod' });
    store.saveCredential('prod', { apiToken: 'prod-token-123456' });
  });

  it('--profile beats AIGW_PROFILE beats current beats default', () => {
    store.setCurrent('staging');
    expect(resolveTarget({ profile: 'prod' }, { AIGW_PROFILE: 'default' }, store).profile).toBe('prod');
    expect(resolveTarget({}, { AIGW_PROFILE: 'prod' }, store).profile).toBe('prod');
    expect(resolveTarget({}, {}, store).profile).toBe('staging');
    const fresh = new ProfileStore(`${tmp.dir}-fresh`);
    fresh.saveCredential('default', { apiToken: 'x-token-123456' });
    expect(resolveTarget({}, {}, fresh).profile).toBe('default');
  });

  it('an unknown --profile is a usage error listing the profiles', () => {
    expect(() => resolveTarget({ profile: 'nope' }, {}, store)).toThrow(UsageError);
    try {
      resolveTarget({ profile: 'nope' }, {}, store);
    } catch (err) {
      expect((err as UsageError).hint).toContain('default, local, prod, staging');
    }
  });
});

describe('base URL', () => {
  it('CLOUDFLARE_BASE_URL, then the profile, then api.cloudflare.com; trailing slashes go', () => {
    expect(resolveTarget({}, {}, store).baseURL).toBe(CLOUDFLARE_API);
    expect(resolveTarget({ profile: 'staging' }, {}, store).baseURL).toBe(
      'https://staging.example/client/v4',
    );
    expect(
      resolveTarget({ profile: 'staging' }, { CLOUDFLARE_BASE_URL: 'http://127.0.0.1:9/client/v4/' }, store)
        .baseURL,
    ).toBe('http://127.0.0.1:9/client/v4');
  });
  it('CLOUDFLARE_BASE_URL may have any path (a proxy in front of the API), but no credentials, and errors speak of an API address', () => {
    const env = (url: string) => ({ CLOUDFLARE_API_TOKEN: 't', CLOUDFLARE_BASE_URL: url });
    expect(resolveTarget({}, env('https://cf-proxy.example.com/cloudflare/'), store).baseURL).toBe(
      'https://cf-proxy.example.com/cloudflare',
    );
    const withCredentials = () => resolveTarget({}, env('https://me:s3cret@cf-proxy.example.com/v4'), store);
    expect(withCredentials).toThrow(UsageError);
    expect(withCredentials).toThrow(
      /CLOUDFLARE_BASE_URL "https:\/\/\*\*\*@cf-proxy.example.com\/v4" is not an API address/,
    );
    expect(withCredentials).toThrow(/CLOUDFLARE_API_TOKEN/);
    expect(withCredentials).not.toThrow(/s3cret|AIGW_LOCAL_TOKEN|local gateway/);
  });
});

describe('local', () => {
  it('--local selects the local profile at the default address with the built-in token', () => {
    const t = resolveTarget(
      { local: true, profile: 'staging' },
      { CLOUDFLARE_API_TOKEN: 'cf-secret' },
      store,
    );
    expect(t).toMatchObject({ profile: 'local', local: true, baseURL: LOCAL_API });
    // A Cloudflare token is never sent to the local gateway.
    expect(t.credential).toEqual({ kind: 'token', token: 'local', source: 'built-in local token' });
  });

  it('--local-url beats AIGW_LOCAL_URL; AIGW_LOCAL_TOKEN beats the stored local token', () => {
    store.saveCredential('local', { apiToken: 'stored-local' });
    const env = { AIGW_LOCAL_URL: 'http://127.0.0.1:1111/client/v4', AIGW_LOCAL_TOKEN: 'env-local' };
    expect(resolveTarget({ local: true }, env, store)).toMatchObject({
      baseURL: 'http://127.0.0.1:1111/client/v4',
      credential: { token: 'env-local', source: 'AIGW_LOCAL_TOKEN' },
    });
    expect(
      resolveTarget({ local: true, localUrl: 'http://127.0.0.1:2222/client/v4' }, env, store).baseURL,
    ).toBe('http://127.0.0.1:2222/client/v4');
    expect(resolveTarget({ local: true }, {}, store).credential).toMatchObject({
      token: 'stored-local',
      source: 'profile local',
    });
  });

  it('--local-url implies --local: the stored Cloudflare profile and token are not used', () => {
    const t = resolveTarget({ localUrl: '127.0.0.1:9999' }, { CLOUDFLARE_API_TOKEN: 'cf-secret' }, store);
    expect(t).toMatchObject({ profile: 'local', local: true, baseURL: 'http://127.0.0.1:9999/client/v4' });
    expect(t.credential.kind === 'token' && t.credential.token).toBe('local');
    // AIGW_LOCAL_URL only says where the local gateway is; it does not choose it.
    expect(resolveTarget({}, { AIGW_LOCAL_URL: '127.0.0.1:9999' }, store).baseURL).toBe(CLOUDFLARE_API);
  });

  it('an invalid AIGW_LOCAL_URL is a usage error when the local gateway is used', () => {
    const bad = () => resolveTarget({ local: true }, { AIGW_LOCAL_URL: 'ftp://x' }, store);
    expect(bad).toThrow(UsageError);
    expect(bad).toThrow(/AIGW_LOCAL_URL "ftp:\/\/x" is not a local gateway address/);
  });

  it('the local profile is also reachable with --profile local', () => {
    expect(resolveTarget({ profile: 'local' }, {}, store).local).toBe(true);
  });
});

describe('account id', () => {
  it('--account-id, then CLOUDFLARE_ACCOUNT_ID, then the profile', () => {
    const env = { CLOUDFLARE_ACCOUNT_ID: 'e4e00000000000000000000000000000' };
    expect(resolveTarget({ accountId: 'f1a60000000000000000000000000000' }, env, store)).toMatchObject({
      accountId: 'f1a60000000000000000000000000000',
      accountSource: '--account-id',
    });
    expect(resolveTarget({}, env, store)).toMatchObject({
      accountId: 'e4e00000000000000000000000000000',
      accountSource: 'CLOUDFLARE_ACCOUNT_ID',
    });
    expect(resolveTarget({}, {}, store)).toMatchObject({
      accountId: 'acc-default',
      accountSource: 'profile',
    });
  });

  it('no account id when none is known', () => {
    store.save('bare', {});
    store.saveCredential('bare', { apiToken: 'bare-token-123456' });
    const t = resolveTarget({ profile: 'bare' }, {}, store);
    expect(t.accountId).toBeUndefined();
    expect(t.defaultGateway).toBeUndefined();
  });
});

describe('local gateway addresses', () => {
  it('takes http://host:port, host:port or the full client/v4 base, and gives the client/v4 base', () => {
    for (const form of [
      'http://127.0.0.1:8788',
      'http://127.0.0.1:8788/',
      '127.0.0.1:8788',
      'http://127.0.0.1:8788/client/v4',
      '127.0.0.1:8788/client/v4/',
    ]) {
      expect(localApiUrl(form, '--local-url'), form).toBe('http://127.0.0.1:8788/client/v4');
    }
    expect(localApiUrl('localhost:8787', '--local-url')).toBe('http://localhost:8787/client/v4');
    expect(localApiUrl('https://gw.internal.example/aigw/client/v4', '--local-url')).toBe(
      'https://gw.internal.example/aigw/client/v4',
    );
  });

  it('anything else is a usage error naming where it came from and the accepted forms', () => {
    for (const bad of [
      '',
      'http://',
      'ftp://127.0.0.1:8787',
      '127.0.0.1:99999',
      'http://127.0.0.1:8787/v1',
      'http://u:p@127.0.0.1:8787',
      '127.0.0.1:8787?x=1',
    ]) {
      let caught: unknown;
      try {
        localApiUrl(bad, '--local-url');
      } catch (err) {
        caught = err;
      }
      expect(caught, bad).toBeInstanceOf(UsageError);
      const err = caught as UsageError;
      const shown = bad.replace('u:p@', '***@');
      expect(err.message).toContain(`--local-url "${shown}" is not a local gateway address`);
      expect(err.hint).toContain('127.0.0.1:8787');
    }
  });

  it('the options that reach a local gateway, and the options that chose a target', () => {
    expect(localTargetOptions(LOCAL_API)).toBe('--local');
    expect(localTargetOptions('http://127.0.0.1:9201/client/v4')).toBe('--local-url http://127.0.0.1:9201');
    // AIGW_LOCAL_URL or the local profile send --local elsewhere: the address is named instead.
    expect(localTargetOptions(LOCAL_API, 'http://127.0.0.1:9201/client/v4')).toBe(
      '--local-url http://127.0.0.1:8787',
    );
    expect(localTargetOptions('http://127.0.0.1:9201/client/v4', 'http://127.0.0.1:9201/client/v4')).toBe(
      '--local',
    );
    expect(targetOptions({ json: true, debug: true })).toEqual([]);
    expect(targetOptions({ local: true, profile: 'staging', json: true })).toEqual([
      '--local',
      '--profile staging',
    ]);
    expect(targetOptions({ local: true, localUrl: '127.0.0.1:9201', accountId: 'local' })).toEqual([
      '--local-url 127.0.0.1:9201',
      '--account-id local',
    ]);
    expect(targetOptions({ localUrl: "http://127.0.0.1:9201/it's" })).toEqual([
      `--local-url 'http://127.0.0.1:9201/it'\\''s'`,
    ]);
  });
});

describe('account ids', () => {
  const hex = '023e105f4ecef8ad9ca31a8372d0c353';
  it('a given account id must be 32 hex digits; the local target also takes "local"', () => {
    expect(resolveTarget({ accountId: hex }, {}, store).accountId).toBe(hex);
    expect(resolveTarget({ local: true, accountId: 'local' }, {}, store).accountId).toBe('local');
    expect(() => resolveTarget({ accountId: 'local' }, {}, store)).toThrow(
      '--account-id "local" is not an account id: a Cloudflare account id is 32 hexadecimal digits.',
    );
    expect(() => resolveTarget({}, { CLOUDFLARE_ACCOUNT_ID: 'my-account' }, store)).toThrow(
      /CLOUDFLARE_ACCOUNT_ID "my-account" is not an account id/,
    );
    expect(() => resolveTarget({ local: true, accountId: `${hex}0` }, {}, store)).toThrow(UsageError);
  });
});

describe('maskSecret', () => {
  it('shows at most the last four characters', () => {
    expect(maskSecret('abcdefghijklmnop')).toBe('****mnop');
    expect(maskSecret('short')).toBe('****');
  });
});

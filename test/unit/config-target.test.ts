import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/profiles.js';
import { CLOUDFLARE_API, LOCAL_API, maskSecret, resolveTarget } from '../../src/config/target.js';
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

  it('the local profile is also reachable with --profile local', () => {
    expect(resolveTarget({ profile: 'local' }, {}, store).local).toBe(true);
  });
});

describe('account id', () => {
  it('--account-id, then CLOUDFLARE_ACCOUNT_ID, then the profile', () => {
    const env = { CLOUDFLARE_ACCOUNT_ID: 'acc-env' };
    expect(resolveTarget({ accountId: 'acc-flag' }, env, store)).toMatchObject({
      accountId: 'acc-flag',
      accountSource: '--account-id',
    });
    expect(resolveTarget({}, env, store)).toMatchObject({
      accountId: 'acc-env',
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

describe('maskSecret', () => {
  it('shows at most the last four characters', () => {
    expect(maskSecret('abcdefghijklmnop')).toBe('****mnop');
    expect(maskSecret('short')).toBe('****');
  });
});

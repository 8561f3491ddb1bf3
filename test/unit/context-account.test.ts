import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/profiles.js';
import { Context } from '../../src/context.js';
import { AuthError, UsageError } from '../../src/errors.js';
import { fakeCloudflare, fakeStreams, scriptedPrompter, tempConfigDir } from '../helpers/in-process.js';

const token = 'unit-token-0123456789';
const accounts = [
  { id: 'a1000000000000000000000000000000', name: 'Acme' },
  { id: 'a2000000000000000000000000000000', name: 'Beta' },
];

let tmp: ReturnType<typeof tempConfigDir>;
beforeEach(() => {
  tmp = tempConfigDir();
});
afterEach(() => tmp.cleanup());

function context(options: {
  accounts: { id: string; name: string }[];
  tty?: boolean;
  env?: Record<string, string>;
  prompter?: ReturnType<typeof scriptedPrompter>;
}) {
  const api = fakeCloudflare({ token, accounts: options.accounts });
  const ctx = new Context({
    streams: fakeStreams({ tty: options.tty === true }).streams,
    env: { AIGW_CONFIG_DIR: tmp.dir, CLOUDFLARE_API_TOKEN: token, ...options.env },
    cwd: tmp.dir,
    fetch: api.fetch,
    ...(options.prompter ? { prompter: options.prompter } : {}),
  });
  return { ctx, api };
}

describe('Context.accountId', () => {
  it('uses the only account the token sees', async () => {
    const { ctx, api } = context({ accounts: [accounts[0]!] });
    await expect(ctx.accountId()).resolves.toBe('a1000000000000000000000000000000');
    expect(api.requests.map((r) => r.path)).toContain('/client/v4/accounts');
  });

  it('asks nothing when the account is known (flag, env, profile)', async () => {
    const { ctx, api } = context({
      accounts,
      env: { CLOUDFLARE_ACCOUNT_ID: 'a2000000000000000000000000000000' },
    });
    await expect(ctx.accountId()).resolves.toBe('a2000000000000000000000000000000');
    expect(api.requests).toHaveLength(0);

    const flagged = context({ accounts, env: { CLOUDFLARE_ACCOUNT_ID: 'a2000000000000000000000000000000' } });
    flagged.ctx.setGlobals({ accountId: 'a1000000000000000000000000000000' });
    await expect(flagged.ctx.accountId()).resolves.toBe('a1000000000000000000000000000000');

    new ProfileStore(tmp.dir).save('default', { accountId: 'from-profile' });
    const stored = context({ accounts });
    await expect(stored.ctx.accountId()).resolves.toBe('from-profile');
  });

  it('several accounts and no terminal: a usage error listing them', async () => {
    const { ctx } = context({ accounts });
    const err = await ctx.accountId().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).hint).toContain('Acme: a1000000000000000000000000000000');
    expect((err as UsageError).hint).toContain('Beta: a2');
    expect((err as UsageError).hint).toContain('--account-id');
  });

  it('several accounts in CI: names are hidden, ids listed', async () => {
    const { ctx } = context({ accounts, env: { CI: 'true' } });
    const err = (await ctx.accountId().catch((e: unknown) => e)) as UsageError;
    expect(err.hint).not.toContain('Acme');
    expect(err.hint).toContain('a2000000000000000000000000000000');
  });

  it('several accounts in a terminal: asks which one', async () => {
    const prompter = scriptedPrompter({ select: ['a2000000000000000000000000000000'] });
    const { ctx } = context({ accounts, tty: true, prompter });
    await expect(ctx.accountId()).resolves.toBe('a2000000000000000000000000000000');
    expect(prompter.asked).toEqual(['select: Which account?']);
  });

  it('--no-input in a terminal does not ask', async () => {
    const prompter = scriptedPrompter({});
    const { ctx } = context({ accounts, tty: true, prompter });
    ctx.setGlobals({ input: false });
    await expect(ctx.accountId()).rejects.toBeInstanceOf(UsageError);
    expect(prompter.asked).toEqual([]);
  });

  it('no account at all is an auth problem', async () => {
    const { ctx } = context({ accounts: [] });
    await expect(ctx.accountId()).rejects.toBeInstanceOf(AuthError);
  });
});

// `aigw auth login`: check a token, choose the account, save both to a profile.

import { accountLabel, pickAccount } from '../../config/accounts.js';
import { LOCAL_PROFILE } from '../../config/names.js';
import { validateProfileName, warnEnvOverride } from '../../config/profile-view.js';
import { baseUrlFor, profileName } from '../../config/target.js';
import type { Context } from '../../context.js';
import { renderJson } from '../../io/render.js';
import { candidateTarget, readToken, verifyToken } from '../args/token.js';

interface LoginOptions {
  withToken: boolean;
}

interface LoginResult {
  profile: string;
  account_id: string;
  account_name: string | null;
  base_url: string;
  current: boolean;
}

async function runLogin(options: LoginOptions, ctx: Context): Promise<LoginResult> {
  const store = await ctx.profiles();
  const profile = profileName(ctx.globals, ctx.env, store);
  validateProfileName(profile);
  const local = profile === LOCAL_PROFILE;
  const token = await readToken(ctx, options.withToken, `auth login${local ? ' --local' : ''}`);
  const baseURL = baseUrlFor(profile, ctx.globals, ctx.env, store.settings(profile)).url;
  const accounts = await verifyToken(ctx, candidateTarget(profile, local, baseURL, token));
  const account = (await pickAccount(ctx, accounts, ctx.globals.accountId, true))!;

  store.saveCredential(profile, { apiToken: token });
  store.save(profile, { accountId: account.id, accountName: account.name });
  if (!store.currentProfile) store.setCurrent(profile);
  return {
    profile,
    account_id: account.id,
    account_name: account.name ?? null,
    base_url: baseURL,
    current: store.currentProfile === profile,
  };
}

export async function loginCommand(flags: { withToken?: boolean }, ctx: Context): Promise<void> {
  const result = await runLogin({ withToken: flags.withToken === true }, ctx);
  if (ctx.json) renderJson(ctx.io, result);
  const account = accountLabel(result.account_id, result.account_name);
  ctx.io.success(`Logged in to ${account} as profile ${result.profile}.`);
  if (!result.current)
    ctx.io.err(`To make it the current profile: ${ctx.command} profile use ${result.profile}`);
  warnEnvOverride(ctx, result.profile);
}

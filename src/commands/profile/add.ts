// `aigw profile add <name>`: create a profile (or change the given settings of an existing one), with a
// token from stdin that is checked against the profile's API unless --no-verify. The built-in local profile
// takes a default gateway and an account id too; its token and address have their own ways.

import { accountLabel, pickAccount } from '../../config/accounts.js';
import { LOCAL_PROFILE } from '../../config/names.js';
import {
  describeProfile,
  type ProfileView,
  validateProfileName,
  warnEnvOverride,
} from '../../config/profile-view.js';
import type { ProfileSettings } from '../../config/profiles.js';
import { baseUrlFor, checkAccountId } from '../../config/target.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderJson } from '../../io/render.js';
import { maskUrlCredentials } from '../../io/url-credentials.js';
import { checkGatewayId } from '../args/gateway.js';
import { candidateTarget, readToken, verifyToken } from '../args/token.js';

interface AddOptions {
  defaultGateway?: string;
  baseUrl?: string;
  withToken: boolean;
  verify: boolean;
}

interface AddResult {
  created: boolean;
  tokenSaved: boolean;
  profile: ProfileView;
}

async function runAdd(name: string, options: AddOptions, ctx: Context): Promise<AddResult> {
  validateProfileName(name);
  const local = name === LOCAL_PROFILE;
  if (local && options.withToken) {
    throw new UsageError('The local profile is built in: its token is stored with auth login.', {
      hint: `Run: ${ctx.command} auth login --local --with-token`,
    });
  }
  if (local && options.baseUrl !== undefined) {
    throw new UsageError(
      'The local profile is built in: the local gateway address is not a profile setting.',
      {
        hint: 'Pass --local-url <host:port>, or set AIGW_LOCAL_URL.',
      },
    );
  }
  if (options.defaultGateway !== undefined) checkGatewayId(options.defaultGateway, '--default-gateway');
  const baseUrl = options.baseUrl === undefined ? undefined : checkUrl(options.baseUrl);
  const store = await ctx.profiles();
  const created = !store.exists(name);
  const settings: ProfileSettings = { ...store.settings(name) };
  if (baseUrl) settings.baseUrl = baseUrl;
  if (options.defaultGateway) settings.defaultGateway = options.defaultGateway;
  const requested = ctx.globals.accountId;
  if (requested) checkAccountId(requested, '--account-id', local);
  if (requested && requested !== settings.accountId) {
    settings.accountId = requested;
    delete settings.accountName;
  }

  let token: string | undefined;
  if (options.withToken) {
    token = await readToken(ctx, true, `profile add ${name}`);
    if (options.verify) {
      const url = baseUrlFor(name, { ...ctx.globals, local: false }, ctx.env, settings).url;
      const accounts = await verifyToken(ctx, candidateTarget(name, false, url, token));
      const account = await pickAccount(ctx, accounts, settings.accountId, false);
      if (account) {
        settings.accountId = account.id;
        settings.accountName = account.name;
      }
    }
  }

  store.save(name, settings);
  if (token) store.saveCredential(name, { apiToken: token });
  // The first profile added becomes current; the local one only by `profile use local`.
  if (!store.currentProfile && !local) store.setCurrent(name);
  const globals = { ...ctx.globals, local: false, accountId: undefined };
  const view = describeProfile(store, name, globals, ctx.env).view;
  return { created, tokenSaved: token !== undefined, profile: view };
}

export interface AddFlags {
  defaultGateway?: string;
  baseUrl?: string;
  withToken?: boolean;
  verify: boolean;
}

export async function addCommand(name: string, flags: AddFlags, ctx: Context): Promise<void> {
  const options: AddOptions = {
    ...(flags.defaultGateway ? { defaultGateway: flags.defaultGateway } : {}),
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    withToken: flags.withToken === true,
    verify: flags.verify,
  };
  const result = await runAdd(name, options, ctx);
  if (ctx.json) renderJson(ctx.io, result.profile);
  const p = result.profile;
  const verb = result.created ? 'Created' : 'Updated';
  const account = accountLabel(p.account_id, p.account_name);
  ctx.io.success(`${verb} profile ${p.name}${account ? ` for ${account}` : ''}.`);
  if (result.tokenSaved && !options.verify) ctx.io.err('The token was saved without being checked.');
  if (!result.tokenSaved && !p.credentials)
    ctx.io.err(`No token stored yet. Add one with: ${ctx.command} auth login --profile ${p.name}`);
  if (!p.account_id)
    ctx.io.err(
      `No account chosen; commands will ask, or set one: ${ctx.command} profile add ${p.name} --account-id <id>`,
    );
  if (p.current) ctx.io.err(`It is the current profile.`);
  warnEnvOverride(ctx, p.name);
}

function checkUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--base-url "${maskUrlCredentials(value)}" is not a URL.`, {
      hint: 'For example: --base-url https://api.cloudflare.com/client/v4',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`--base-url must be an http or https URL, not ${url.protocol}`);
  if (url.username || url.password) {
    // Not repeated back: a password in a flag value is already one place too many.
    throw new UsageError('--base-url has a user name or password in it; aigw does not send those.', {
      hint: 'Give the URL without them; the token goes in with --with-token, or a prompt.',
    });
  }
  return value.replace(/\/+$/, '');
}

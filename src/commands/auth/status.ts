// `aigw auth status`: which profile is in use, where its credentials come from, and whether they work.

import { accountLabel } from '../../config/accounts.js';
import { DEFAULT_PROFILE, LOCAL_PROFILE } from '../../config/names.js';
import { describeProfile, type ProfileView, unknownProfile, withSource } from '../../config/profile-view.js';
import { type Credential, missingCredentials, profileName, type Target } from '../../config/target.js';
import type { Context } from '../../context.js';
import { AigwError, AuthError } from '../../errors.js';
import { type Column, renderList, renderObject } from '../../io/render.js';

interface StatusOptions {
  all: boolean;
}

interface ProfileStatus extends ProfileView {
  /** true: the API accepted the credentials; false: missing or rejected; null: could not tell. */
  valid: boolean | null;
  problem: string | null;
}

interface Checked {
  status: ProfileStatus;
  /** Why the active profile is not usable, with the fix. */
  error?: AigwError;
}

interface StatusResult {
  profiles: ProfileStatus[];
  error?: AigwError;
}

async function runStatus(options: StatusOptions, ctx: Context): Promise<StatusResult> {
  const store = await ctx.profiles();
  const active = profileName(ctx.globals, ctx.env, store);
  if (ctx.globals.profile && !store.exists(ctx.globals.profile))
    throw unknownProfile(ctx, store, ctx.globals.profile);
  const names = options.all ? store.names() : [active];
  const checked = await Promise.all(names.map((name) => check(ctx, name)));
  // The exit status speaks for the profile in use; --all reports the others without failing on them.
  const error = checked[names.indexOf(active)]?.error;
  return { profiles: checked.map((c) => c.status), ...(error ? { error } : {}) };
}

async function check(ctx: Context, name: string): Promise<Checked> {
  const store = await ctx.profiles();
  const globals = { ...ctx.globals, local: name === LOCAL_PROFILE };
  const { view, credential } = describeProfile(store, name, globals, ctx.env);
  if (!credential) {
    const error = missingCredentials(name, ctx.command);
    return { status: { ...view, valid: false, problem: error.message }, error };
  }
  const target: Target = {
    profile: name,
    local: view.local,
    baseURL: view.base_url,
    credential,
  };
  try {
    await verify(ctx, target, credential);
    return { status: { ...view, valid: true, problem: null } };
  } catch (err) {
    if (err instanceof AuthError)
      return { status: { ...view, valid: false, problem: err.message }, error: err };
    if (err instanceof AigwError)
      return { status: { ...view, valid: null, problem: err.message }, error: err };
    throw err;
  }
}

async function verify(ctx: Context, target: Target, credential: Credential): Promise<void> {
  const client = await ctx.clientFor(target);
  if (credential.kind === 'key') {
    // /user/tokens/verify checks API tokens only; a global key proves itself by listing accounts.
    await client.accounts();
    return;
  }
  const result = await client.verifyToken();
  if (result.status !== 'active') {
    throw new AuthError(`The token is ${result.status}.`, {
      hint: `Log in again: ${ctx.command} auth login${target.profile === DEFAULT_PROFILE ? '' : ` --profile ${target.profile}`}`,
    });
  }
}

function validity(s: ProfileStatus): string {
  if (s.valid === true) return 'valid';
  if (s.valid === false) return s.credentials ? 'rejected' : 'missing';
  return 'unknown';
}

const fields: Column<ProfileStatus>[] = [
  { header: 'Profile', value: (s) => s.name },
  { header: 'Current', value: (s) => s.current },
  { header: 'API', value: (s) => withSource(s.base_url, s.base_url_source) },
  { header: 'Credentials', value: (s) => withSource(s.credentials, s.credentials_source) ?? 'none' },
  {
    header: 'Account',
    value: (s) => withSource(accountLabel(s.account_id, s.account_name) ?? null, s.account_source),
  },
  { header: 'Default gateway', value: (s) => s.default_gateway },
  { header: 'Token', value: (s) => (s.problem ? `${validity(s)}: ${s.problem}` : validity(s)) },
];

const columns: Column<ProfileStatus>[] = [
  { header: 'PROFILE', value: (s) => s.name },
  { header: 'CURRENT', value: (s) => (s.current ? '*' : '') },
  { header: 'API', value: (s) => s.base_url },
  { header: 'CREDENTIALS', value: (s) => withSource(s.credentials, s.credentials_source) ?? 'none' },
  { header: 'ACCOUNT', value: (s) => accountLabel(s.account_id, s.account_name) },
  { header: 'TOKEN', value: (s) => validity(s) },
];

export async function statusCommand(flags: { all?: boolean }, ctx: Context): Promise<void> {
  const options = { all: flags.all === true };
  const result = await runStatus(options, ctx);
  if (options.all) renderList(ctx.io, result.profiles, columns, { json: ctx.json });
  else renderObject(ctx.io, result.profiles[0]!, fields, { json: ctx.json });
  if (ctx.env.CLOUDFLARE_API_TOKEN && ctx.globals.profile && ctx.globals.profile !== LOCAL_PROFILE) {
    ctx.io.warn(`CLOUDFLARE_API_TOKEN is set: it is used instead of profile ${ctx.globals.profile}'s token.`);
  }
  if (result.error) throw result.error;
}

// Which API to talk to and with which credentials: the precedence rules, in one place.
//   credentials: CLOUDFLARE_API_TOKEN, then CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL, then the profile
//   profile:     --profile, AIGW_PROFILE, the current profile, `default`
//   base URL:    CLOUDFLARE_BASE_URL, the profile's baseUrl, https://api.cloudflare.com/client/v4
//   local:       --local, --local-url (which implies --local) or the `local` profile: --local-url,
//                AIGW_LOCAL_URL, http://127.0.0.1:8787/client/v4; credentials AIGW_LOCAL_TOKEN or the local
//                profile's; Cloudflare tokens are never sent there.
//   account:     --account-id, CLOUDFLARE_ACCOUNT_ID, the profile; a given id must look like one.
import { AuthError, UsageError } from '../errors.js';
import { shellQuote } from '../io/shell-quote.js';
import { DEFAULT_PROFILE, LOCAL_ACCOUNT, LOCAL_PROFILE } from './names.js';

export { LOCAL_ACCOUNT } from './names.js';

import type { ProfileSettings, ProfileStore, StoredCredential } from './profiles.js';

export const CLOUDFLARE_API = 'https://api.cloudflare.com/client/v4';
export const LOCAL_API = 'http://127.0.0.1:8787/client/v4';

export interface GlobalOptions {
  profile?: string;
  accountId?: string;
  local?: boolean;
  localUrl?: string;
  json?: boolean;
  debug?: boolean;
  color?: boolean;
  input?: boolean;
}

export type Credential =
  | { kind: 'token'; token: string; source: string }
  | { kind: 'key'; key: string; email: string; source: string };

export interface Target {
  profile: string;
  local: boolean;
  baseURL: string;
  credential: Credential;
  /** The account id if it is known without asking the API, and where it came from. */
  accountId?: string;
  accountSource?: string;
  defaultGateway?: string;
}

type Env = Record<string, string | undefined>;

export function profileName(
  globals: GlobalOptions,
  env: Env,
  store: Pick<ProfileStore, 'currentProfile'>,
): string {
  // --local-url names the local gateway: it never sends a command to Cloudflare.
  if (globals.local || globals.localUrl) return LOCAL_PROFILE;
  return globals.profile || env.AIGW_PROFILE || store.currentProfile || DEFAULT_PROFILE;
}

/** `command`: how the user runs aigw, for the commands hints name (asked for only when one is printed). */
export function resolveTarget(
  globals: GlobalOptions,
  env: Env,
  store: ProfileStore,
  command: () => string = () => 'aigw',
): Target {
  const profile = profileName(globals, env, store);
  if (globals.profile && !store.exists(globals.profile)) {
    throw new UsageError(`No profile named "${globals.profile}".`, {
      hint: `Profiles: ${store.names().join(', ')}. Create one with: ${command()} profile add ${globals.profile}`,
    });
  }
  const settings = store.settings(profile);
  const stored = store.credential(profile);
  const account = accountFor(globals, env, settings.accountId);
  // A profile's account was checked when it was saved; a flag or the environment may hold anything.
  if (account.accountId && account.accountSource !== 'profile')
    checkAccountId(account.accountId, account.accountSource!, profile === LOCAL_PROFILE);
  const base = { profile, defaultGateway: settings.defaultGateway, ...account };

  const baseURL = baseUrlFor(profile, globals, env, settings).url;
  const credential = credentialFor(profile, env, stored);
  if (!credential) throw missingCredentials(profile, command());
  return { ...base, local: profile === LOCAL_PROFILE, baseURL, credential };
}

/** The credential a profile uses: the environment's, then the stored one. The local profile never
 *  sends Cloudflare credentials; without a stored token it uses a placeholder the local gateway accepts. */
export function credentialFor(
  profile: string,
  env: Env,
  stored: StoredCredential | undefined,
): Credential | undefined {
  if (profile === LOCAL_PROFILE) {
    if (env.AIGW_LOCAL_TOKEN)
      return { kind: 'token', token: env.AIGW_LOCAL_TOKEN, source: 'AIGW_LOCAL_TOKEN' };
    if (stored && 'apiToken' in stored)
      return { kind: 'token', token: stored.apiToken, source: `profile ${profile}` };
    return { kind: 'token', token: 'local', source: 'built-in local token' };
  }
  if (env.CLOUDFLARE_API_TOKEN)
    return { kind: 'token', token: env.CLOUDFLARE_API_TOKEN, source: 'CLOUDFLARE_API_TOKEN' };
  if (env.CLOUDFLARE_API_KEY && env.CLOUDFLARE_EMAIL) {
    return {
      kind: 'key',
      key: env.CLOUDFLARE_API_KEY,
      email: env.CLOUDFLARE_EMAIL,
      source: 'CLOUDFLARE_API_KEY',
    };
  }
  if (!stored) return undefined;
  return 'apiToken' in stored
    ? { kind: 'token', token: stored.apiToken, source: `profile ${profile}` }
    : { kind: 'key', key: stored.apiKey, email: stored.email, source: `profile ${profile}` };
}

/** What to say when a profile has no credentials at all. */
export function missingCredentials(profile: string, command: string): AuthError {
  return new AuthError(`No Cloudflare credentials for profile "${profile}".`, {
    hint:
      `Run: ${command} auth login${profile === DEFAULT_PROFILE ? '' : ` --profile ${profile}`}\n` +
      `or set CLOUDFLARE_API_TOKEN. To use the local gateway instead, pass --local (and run: ${command} proxy).`,
  });
}

/** The API base URL for a profile and where it came from (same precedence as resolveTarget). */
export function baseUrlFor(
  profile: string,
  globals: GlobalOptions,
  env: Env,
  settings: ProfileSettings,
): { url: string; source: string } {
  const candidates: [string | undefined, string][] =
    profile === LOCAL_PROFILE
      ? [
          [globals.localUrl, '--local-url'],
          [env.AIGW_LOCAL_URL, 'AIGW_LOCAL_URL'],
          [settings.baseUrl, 'profile'],
        ]
      : [
          [env.CLOUDFLARE_BASE_URL, 'CLOUDFLARE_BASE_URL'],
          [settings.baseUrl, 'profile'],
        ];
  for (const [url, source] of candidates) {
    if (!url) continue;
    if (source === 'profile') return { url: stripSlash(url), source };
    return {
      url: profile === LOCAL_PROFILE ? localApiUrl(url, source) : cloudflareApiUrl(url, source),
      source,
    };
  }
  return { url: profile === LOCAL_PROFILE ? LOCAL_API : CLOUDFLARE_API, source: 'default' };
}

/** The account id known without asking the API: --account-id, CLOUDFLARE_ACCOUNT_ID, the profile. */
export function accountFor(
  globals: GlobalOptions,
  env: Env,
  profileAccount: string | undefined,
): { accountId?: string; accountSource?: string } {
  if (globals.accountId) return { accountId: globals.accountId, accountSource: '--account-id' };
  if (env.CLOUDFLARE_ACCOUNT_ID)
    return { accountId: env.CLOUDFLARE_ACCOUNT_ID, accountSource: 'CLOUDFLARE_ACCOUNT_ID' };
  if (profileAccount) return { accountId: profileAccount, accountSource: 'profile' };
  return {};
}

const localUrlForms =
  'http://127.0.0.1:8787, 127.0.0.1:8787 or http://127.0.0.1:8787/client/v4 (the address aigw proxy prints)';

/**
 * A local gateway address as the client/v4 API base. Takes `http://host:port`, `host:port` or the full
 * `.../client/v4` base; anything else is a usage error naming `source` (--local-url, AIGW_LOCAL_URL).
 */
export function localApiUrl(value: string, source: string): string {
  const text = value.trim();
  // Credentials in the address are never repeated back.
  const shown = hideUserinfo(value);
  const bad = (why: string) =>
    new UsageError(`${source} "${shown}" is not a local gateway address: ${why}.`, {
      hint: `Use ${localUrlForms}.`,
    });
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw bad('it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad(`${url.protocol} is not http`);
  if (!url.hostname) throw bad('it names no host');
  if (url.username || url.password) throw bad('credentials do not belong in it (use AIGW_LOCAL_TOKEN)');
  if (url.search || url.hash) throw bad('it has a query or fragment');
  const path = stripSlash(url.pathname);
  if (path !== '' && !path.endsWith('/client/v4')) throw bad(`the path ${path} is not .../client/v4`);
  return `${url.origin}${path || '/client/v4'}`;
}

/**
 * CLOUDFLARE_BASE_URL as an API base: any http(s) URL without credentials, query or fragment (a company proxy in
 * front of api.cloudflare.com may use any path). Credentials in it are never repeated back.
 */
function cloudflareApiUrl(value: string, source: string): string {
  const bad = (why: string) =>
    new UsageError(`${source} "${hideUserinfo(value)}" is not an API address: ${why}.`, {
      hint: `Use the API's base URL, such as ${CLOUDFLARE_API}.`,
    });
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw bad('it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw bad(`${url.protocol} is not http or https`);
  if (url.username || url.password) throw bad('credentials do not belong in it (use CLOUDFLARE_API_TOKEN)');
  if (url.search || url.hash) throw bad('it has a query or fragment');
  return `${url.origin}${stripSlash(url.pathname)}`;
}

function hideUserinfo(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1***@');
}

/** The global options that point a command at the local gateway whose API base is `apiUrl`
 *  (`--local` when that is where --local goes: `localGoesTo`, the default address unless AIGW_LOCAL_URL or the
 *  local profile say otherwise), e.g. for a start-up banner: `aigw ${...} gateway create x`. */
export function localTargetOptions(apiUrl: string, localGoesTo: string = LOCAL_API): string {
  if (apiUrl === localGoesTo) return '--local';
  const origin = apiUrl.endsWith('/client/v4') ? apiUrl.slice(0, -'/client/v4'.length) : apiUrl;
  return `--local-url ${shellQuote(origin)}`;
}

/** The global options given on the command line that chose the target, for hints to repeat. */
export function targetOptions(globals: GlobalOptions): string[] {
  const out: string[] = [];
  if (globals.localUrl) out.push(`--local-url ${shellQuote(globals.localUrl)}`);
  else if (globals.local) out.push('--local');
  if (globals.profile) out.push(`--profile ${shellQuote(globals.profile)}`);
  if (globals.accountId) out.push(`--account-id ${shellQuote(globals.accountId)}`);
  return out;
}

/** Why `id` cannot be an account id, or null. Cloudflare's are 32 hex digits; the local gateway also
 *  serves its default account, `local`. */
export function accountIdProblem(id: string, local: boolean): string | null {
  if (/^[0-9a-f]{32}$/i.test(id)) return null;
  if (local && id === LOCAL_ACCOUNT) return null;
  return local
    ? `an account id is 32 hexadecimal digits, or "${LOCAL_ACCOUNT}" for the local gateway`
    : 'a Cloudflare account id is 32 hexadecimal digits';
}

/** Fails with a usage error when `id`, given by `source` (--account-id...), cannot be an account id. */
export function checkAccountId(id: string, source: string, local: boolean): void {
  const problem = accountIdProblem(id, local);
  if (problem) {
    throw new UsageError(`${source} "${id}" is not an account id: ${problem}.`, {
      hint: 'Find it in the dashboard URL (dash.cloudflare.com/<account id>/...) or with: aigw auth status',
    });
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Shows a secret as its last four characters at most. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '****';
  return `****${secret.slice(-4)}`;
}

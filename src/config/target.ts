// Which API to talk to and with which credentials: the precedence rules, in one place.
//   credentials: CLOUDFLARE_API_TOKEN, then CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL, then the profile
//   profile:     --profile, AIGW_PROFILE, the current profile, `default`
//   base URL:    CLOUDFLARE_BASE_URL, the profile's baseUrl, https://api.cloudflare.com/client/v4
//   local:       --local or the `local` profile: --local-url, AIGW_LOCAL_URL, http://127.0.0.1:8787/client/v4;
//                credentials AIGW_LOCAL_TOKEN or the local profile's; Cloudflare tokens are never sent there.
import { AuthError, UsageError } from '../errors.js';
import { DEFAULT_PROFILE, LOCAL_PROFILE } from './names.js';

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
  if (globals.local) return LOCAL_PROFILE;
  return globals.profile || env.AIGW_PROFILE || store.currentProfile || DEFAULT_PROFILE;
}

export function resolveTarget(globals: GlobalOptions, env: Env, store: ProfileStore): Target {
  const profile = profileName(globals, env, store);
  if (globals.profile && !store.exists(globals.profile)) {
    throw new UsageError(`No profile named "${globals.profile}".`, {
      hint: `Profiles: ${store.names().join(', ')}. Create one with: aigw profile add ${globals.profile}`,
    });
  }
  const settings = store.settings(profile);
  const stored = store.credential(profile);
  const account = accountFor(globals, env, settings.accountId);
  const base = { profile, defaultGateway: settings.defaultGateway, ...account };

  const baseURL = baseUrlFor(profile, globals, env, settings).url;
  const credential = credentialFor(profile, env, stored);
  if (!credential) throw missingCredentials(profile);
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
export function missingCredentials(profile: string): AuthError {
  return new AuthError(`No Cloudflare credentials for profile "${profile}".`, {
    hint:
      `Run: aigw auth login${profile === DEFAULT_PROFILE ? '' : ` --profile ${profile}`}\n` +
      'or set CLOUDFLARE_API_TOKEN. To use the local gateway instead, pass --local (and run: aigw proxy).',
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
  for (const [url, source] of candidates) if (url) return { url: stripSlash(url), source };
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

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Shows a secret as its last four characters at most. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '****';
  return `****${secret.slice(-4)}`;
}

// What a profile amounts to once the environment is taken into account: each effective value and where it
// comes from; profile names and the warnings about the environment. Used by the profile and auth verbs; the
// precedence itself lives in target.ts.
import { join } from 'node:path';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { DEFAULT_PROFILE, LOCAL_PROFILE } from './names.js';
import type { ProfileStore } from './profiles.js';
import {
  accountFor,
  baseUrlFor,
  type Credential,
  credentialFor,
  type GlobalOptions,
  maskSecret,
} from './target.js';

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function validateProfileName(name: string): void {
  if (!NAME.test(name)) {
    throw new UsageError(`"${name}" is not a valid profile name.`, {
      hint: 'Use 1 to 64 letters, digits, "-" or "_" (for example: dev, staging, prod).',
    });
  }
}

export function unknownProfile(ctx: Pick<Context, 'command'>, store: ProfileStore, name: string): UsageError {
  return new UsageError(`No profile named "${name}".`, {
    hint: `Profiles: ${store.names().join(', ')}. Create one with: ${ctx.command} profile add ${name}`,
  });
}

/** The profile current when no --profile or AIGW_PROFILE says otherwise. */
function currentProfile(store: ProfileStore): string {
  return store.currentProfile ?? DEFAULT_PROFILE;
}

export interface ProfileView {
  name: string;
  current: boolean;
  local: boolean;
  base_url: string;
  base_url_source: string;
  /** The masked credential, or null when there is none. */
  credentials: string | null;
  credentials_source: string | null;
  account_id: string | null;
  account_name: string | null;
  account_source: string | null;
  default_gateway: string | null;
}

/** A profile's effective settings. `credential` is the unmasked credential, for verification only. */
export function describeProfile(
  store: ProfileStore,
  name: string,
  globals: GlobalOptions,
  env: Record<string, string | undefined>,
): { view: ProfileView; credential: Credential | undefined } {
  const settings = store.settings(name);
  const base = baseUrlFor(name, globals, env, settings);
  const credential = credentialFor(name, env, store.credential(name));
  const account = accountFor(globals, env, settings.accountId);
  const view: ProfileView = {
    name,
    current: currentProfile(store) === name,
    local: name === LOCAL_PROFILE,
    base_url: base.url,
    base_url_source: base.source,
    credentials: credential ? maskCredential(credential) : null,
    credentials_source: credential ? credential.source : null,
    account_id: account.accountId ?? null,
    account_name: account.accountSource === 'profile' ? (settings.accountName ?? null) : null,
    account_source: account.accountSource ?? null,
    default_gateway: settings.defaultGateway ?? null,
  };
  return { view, credential };
}

/** A value with where it comes from, "value (from source)", for the human views of a profile. */
export function withSource(value: string | null, source: string | null): string | null {
  return value && source ? `${value} (from ${source})` : value;
}

function maskCredential(credential: Credential): string {
  if (credential.kind === 'key') return `key ${maskSecret(credential.key)} (${credential.email})`;
  // The built-in local placeholder is no secret; say what it is.
  if (credential.source === 'built-in local token') return 'built-in';
  return maskSecret(credential.token);
}

/** Stored profiles lose to CLOUDFLARE_API_TOKEN (and the key pair); say so where it matters. */
export function warnEnvOverride(ctx: Context, profile: string): void {
  if (profile === LOCAL_PROFILE) {
    if (ctx.env.AIGW_LOCAL_TOKEN)
      ctx.io.warn('AIGW_LOCAL_TOKEN is set: it overrides the token stored in the local profile.');
    return;
  }
  if (ctx.env.CLOUDFLARE_API_TOKEN) {
    ctx.io.warn('CLOUDFLARE_API_TOKEN is set: it overrides the credentials of every stored profile.');
  } else if (ctx.env.CLOUDFLARE_API_KEY && ctx.env.CLOUDFLARE_EMAIL) {
    ctx.io.warn('CLOUDFLARE_API_KEY is set: it overrides the credentials of every stored profile.');
  }
}

export function credentialsFile(store: ProfileStore): string {
  return join(store.dir, 'credentials.json');
}

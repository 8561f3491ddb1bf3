// Stored provider keys (BYOK), as Cloudflare documents them: a request that brings no provider credentials of
// its own gets the gateway's stored key for its provider: the one named by `cf-aig-byok-alias` (400, code 2040,
// when there is none by that name), else the provider's default key. Only on a gateway with authentication on
// (Cloudflare's prerequisite): an open gateway would let anyone who reaches it spend the keys.
//
// "Its own credentials" are the provider's auth headers, except an `Authorization` bearer that is the gateway
// token itself (SDKs configured as Cloudflare's docs show, with the gateway token as their API key).
//
// The key is copied into the step's upstream headers when the request expands, so a rotation or a deletion
// never fails a request already under way; the cache key names the key by its config id, never its secret.
import type { StoredKey } from '../store/provider-keys.js';
import { GatewayCode, GatewayError } from './errors.js';
import type { HeaderSource } from './options.js';
import type { RequestState } from './state.js';

const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

/** The stored key a step uses, or null: it sends the request's own credentials (or none). */
export function storedKeyFor(state: RequestState, provider: string, get: HeaderSource): StoredKey | null {
  if (!state.authenticated) return null;
  const names = state.services.providers.authHeaders(provider);
  for (const name of names) {
    const value = get(name);
    if (value !== undefined && !(name === 'authorization' && isGatewayToken(state, value))) return null;
  }
  const keys = state.services.runtime.providerKeys
    .keysFor(state.route!.accountId, state.gateway!.id)
    .get(provider);
  const alias = get('cf-aig-byok-alias')?.trim();
  if (alias === undefined || alias === '') return keys?.fallback ?? null;
  const key = keys?.byAlias.get(alias);
  if (key) return key;
  const configured = keys ? [...keys.byAlias.keys()].sort().join(', ') : '';
  throw new GatewayError(
    400,
    GatewayCode.UnknownKeyAlias,
    `Provider '${provider}' has no BYOK credential named '${alias}'. Configured aliases: ${configured || 'none'}`,
  );
}

/** `Authorization` carrying the same bearer token as `cf-aig-authorization` (a real request header). */
function isGatewayToken(state: RequestState, authorization: string): boolean {
  const gateway = state.get('cf-aig-authorization');
  if (gateway === undefined) return false;
  const token = BEARER.exec(gateway)?.[1];
  return token !== undefined && BEARER.exec(authorization)?.[1] === token;
}

/** The client's headers without the provider's auth headers (at most the gateway token), plus the stored key. */
export function withStoredKey(
  raw: readonly string[],
  authNames: readonly string[],
  keyHeader: readonly [string, string],
): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!authNames.includes(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  }
  out.push(keyHeader[0], keyHeader[1]);
  return out;
}

/** The cache key's credential part for a stored key: its identity, not its secret. */
export function storedKeyIdentity(key: StoredKey): string {
  return `stored-key:${key.id}`;
}

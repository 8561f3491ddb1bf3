// `custom-{slug}` providers on the data plane: the enabled custom provider with that slug in the request's
// account gives the base URL (`{base_url}/{rest}`, joined as is) and extra upstream headers.
//
// The stored headers fill in only what the request lacks: a header the client sends wins over the stored
// one of the same name (compared case-insensitively). Headers that never travel upstream (host,
// content-length, hop-by-hop, cf-aig-*) are dropped from the stored set as from the client's.
import { type CustomProviderRepository, parseProviderHeaders } from '../store/custom-providers.js';
import { upstreamHeaders } from './pools.js';
import type { UpstreamTarget } from './providers.js';

interface CustomUpstream {
  base: string;
  /** Extra upstream headers as a flat [name, value, ...] list. */
  headers: readonly string[];
}

/** The upstream of an enabled custom provider by (account, slug without `custom-`), or null. */
export type CustomProviderLookup = (accountId: string, slug: string) => CustomUpstream | null;

export function customProviderLookup(repo: CustomProviderRepository): CustomProviderLookup {
  // Keyed by the stored record: a write replaces the record, so an edit is never served from here.
  const parsed = new WeakMap<object, CustomUpstream>();
  return (accountId, slug) => {
    const provider = repo.bySlug(accountId, slug);
    if (!provider?.enable) return null;
    let upstream = parsed.get(provider);
    if (!upstream) {
      const pairs = provider.headers === undefined ? [] : parseProviderHeaders(provider.headers);
      // The control plane refuses unusable headers; a row written otherwise contributes none.
      const flat = typeof pairs === 'string' ? [] : pairs.flat();
      upstream = { base: provider.base_url, headers: upstreamHeaders(flat, false) };
      parsed.set(provider, upstream);
    }
    return upstream;
  };
}

/** The upstream request headers plus the target's stored headers the request does not already carry. */
export function withProviderHeaders(headers: string[], target: UpstreamTarget): string[] {
  const extra = target.extraHeaders;
  if (!extra || extra.length === 0) return headers;
  const present = new Set<string>();
  for (let i = 0; i < headers.length; i += 2) present.add(headers[i]!.toLowerCase());
  const out = headers.slice();
  for (let i = 0; i < extra.length; i += 2) {
    if (!present.has(extra[i]!.toLowerCase())) out.push(extra[i]!, extra[i + 1]!);
  }
  return out;
}

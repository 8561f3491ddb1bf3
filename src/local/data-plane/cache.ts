// Response cache, kept in the store (cache_entries) so it survives restarts.
import { createHash } from 'node:crypto';
import type { Runtime } from '../runtime.js';

export interface CacheKeyParts {
  provider: string;
  endpoint: string;
  model: string | null;
  authHeader: string | null;
  body: Buffer;
}

export function cacheKey(parts: CacheKeyParts): string {
  const hash = createHash('sha256');
  for (const field of [parts.provider, parts.endpoint, parts.model, parts.authHeader]) {
    if (field === null) hash.update('-');
    else hash.update(`${Buffer.byteLength(field)}:${field}`);
  }
  hash.update(`${parts.body.length}:`);
  hash.update(parts.body);
  return hash.digest('hex');
}

export function customCacheKey(accountId: string, gatewayId: string, key: string): string {
  return createHash('sha256')
    .update(JSON.stringify(['custom', accountId, gatewayId, key]))
    .digest('hex');
}

export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
  streamed: boolean;
  model: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  createdMs: number;
  expiresMs: number;
}

export interface CachePut extends Omit<CachedResponse, 'createdMs' | 'expiresMs'> {
  key: string;
  accountId: string;
  gatewayId: string;
  provider: string;
  ttlSeconds: number;
}

export class ResponseCache {
  constructor(private readonly runtime: Runtime) {}

  get(_accountId: string, _gatewayId: string, _key: string, _nowMs: number): CachedResponse | null {
    return null;
  }

  put(_entry: CachePut, _nowMs: number): void {}

  invalidateGateway(accountId: string, gatewayId: string): void {
    this.runtime.store.db
      .prepare('DELETE FROM cache_entries WHERE account_id = ? AND gateway_id = ?')
      .run(accountId, gatewayId);
  }
}

export function resolveCacheTtl(opts: {
  headerTtl: string | undefined;
  gatewayTtl: number | null;
  hasCustomKey: boolean;
}): { ttl: number } | { error: string } {
  if (opts.headerTtl !== undefined) {
    const ttl = Number(opts.headerTtl);
    if (!Number.isInteger(ttl)) return { error: 'cf-aig-cache-ttl must be a whole number of seconds' };
    return { ttl };
  }
  if (opts.gatewayTtl) return { ttl: opts.gatewayTtl };
  return { ttl: opts.hasCustomKey ? 300 : 0 };
}

// Calls to providers: one undici Pool per upstream origin (keep-alive, no pipelining), plus the header
// filters on the way up (cf-aig-*, hop-by-hop, host) and on the way down (hop-by-hop).
import { Pool } from 'undici';
import { type Planner, UpstreamCall, type UpstreamResponse } from './call.js';
import type { Cancel } from './cancel.js';
import type { UpstreamTarget } from './providers.js';

export type { BodyStream, Plan, Planner, UpstreamResponse } from './call.js';
export { FirstByteTimeout } from './call.js';

/** Request headers that never travel upstream (lower case). cf-aig-* is matched by prefix. */
const DROP_UP = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'http2-settings',
  'content-length',
  'expect',
  // Asked for identity encoding (by omission) so usage can be read from the body.
  'accept-encoding',
  'cf-cache-ttl',
  'cf-skip-cache',
]);

/** Response headers that never travel down to the client. */
export const DROP_DOWN = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

/**
 * Filters a raw header list ([name, value, name, value...], as node:http's rawHeaders) for the upstream.
 * `bearerToApiKey` maps `Authorization: Bearer k` to `x-api-key: k` (Bedrock mantle).
 */
export function upstreamHeaders(raw: readonly string[], bearerToApiKey: boolean): string[] {
  const out: string[] = [];
  let connectionTokens: string | null = null;
  let hasApiKey = false;
  let bearer: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (lower === 'connection') connectionTokens = raw[i + 1]!.toLowerCase();
    if (DROP_UP.has(lower) || lower.startsWith('cf-aig-')) continue;
    if (bearerToApiKey) {
      if (lower === 'x-api-key') hasApiKey = true;
      else if (lower === 'authorization' && raw[i + 1]!.startsWith('Bearer ')) {
        bearer = raw[i + 1]!.slice(7);
        continue;
      }
    }
    out.push(name, raw[i + 1]!);
  }
  if (bearer !== null && !hasApiKey) out.push('x-api-key', bearer);
  if (connectionTokens) {
    // Headers named by Connection are hop-by-hop too.
    const named = new Set(connectionTokens.split(',').map((t) => t.trim()));
    const kept: string[] = [];
    for (let i = 0; i < out.length; i += 2) {
      if (!named.has(out[i]!.toLowerCase())) kept.push(out[i]!, out[i + 1]!);
    }
    return kept;
  }
  return out;
}

export interface SendOptions {
  method: string;
  headers: string[];
  body: Buffer | null;
}

export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        pipelining: 1,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        // No hidden limits: gaps between chunks of a long generation can be long, and a provider is given
        // as long as it takes unless cf-aig-request-timeout says otherwise (call.ts), as on Cloudflare.
        bodyTimeout: 0,
        headersTimeout: 0,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /**
   * One attempt. Resolves once the head is in (or, for a `whole` plan, the body too); rejects on a network
   * error, on `cancel`, or with FirstByteTimeout when no head arrived within `timeoutMs`.
   */
  send(
    target: UpstreamTarget,
    opts: SendOptions,
    cancel: Cancel,
    call: { planner: Planner; last: boolean; wholeLimit: number; timeoutMs: number | null },
  ): Promise<UpstreamResponse> {
    const pool = this.pool(target.origin);
    return new Promise((resolve, reject) => {
      const handler = new UpstreamCall(
        cancel,
        call.planner,
        call.last,
        call.wholeLimit,
        call.timeoutMs,
        resolve,
        reject,
      );
      pool.dispatch(
        {
          path: target.path,
          method: opts.method as 'POST',
          headers: opts.headers,
          body: opts.body && opts.body.length > 0 ? opts.body : null,
        },
        handler,
      );
    });
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => p.destroy())));
  }
}

// Stage: cache. A step's key (provider, endpoint, model, credentials and body; or cf-aig-cache-key), its
// answer replayed from the store on a hit, and the store filled after a miss. The TTL a request runs under
// is one of its options (resolveCacheTtl, used by options.ts). Only headers the log store may keep are stored
// and replayed: never set-cookie, never a credential a provider echoes back, whatever its name.
import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import type { CachedResponse } from '../store/cache.js';
import { isHarmlessHeader } from '../store/logs/redact.js';
import { stepHeaders } from './headers.js';
import { record } from './record.js';
import type { RequestState, UpstreamStep } from './state.js';
import type { Usage } from './usage.js';

export interface CacheKeyParts {
  provider: string;
  endpoint: string;
  model: string | null;
  /** The provider authentication header value as sent (e.g. `Bearer sk-…`), null when none. */
  authHeader: string | null;
  body: Buffer;
}

function frame(hash: ReturnType<typeof createHash>, field: string | null): void {
  // Length-prefixed (bytes), with null distinct from '': no two different part lists hash the same input.
  if (field === null) hash.update('n;');
  else hash.update(`s${Buffer.byteLength(field)}:${field};`);
}

/** SHA-256 (hex) over provider, endpoint, model, provider auth header and the full body, framed unambiguously. */
export function cacheKey(parts: CacheKeyParts): string {
  const hash = createHash('sha256');
  hash.update('aigw-cache-v1;');
  frame(hash, parts.provider);
  frame(hash, parts.endpoint);
  frame(hash, parts.model);
  frame(hash, parts.authHeader);
  hash.update(`b${parts.body.length}:`);
  hash.update(parts.body);
  return hash.digest('hex');
}

/** The key for a `cf-aig-cache-key` value: scoped to its gateway and hashed, so it cannot collide with cacheKey. */
export function customCacheKey(accountId: string, gatewayId: string, key: string): string {
  const hash = createHash('sha256');
  hash.update('aigw-custom-cache-key-v1;');
  frame(hash, accountId);
  frame(hash, gatewayId);
  frame(hash, key);
  return hash.digest('hex');
}

/**
 * Gives the step its cache key when its answer may be cached, and answers from the cache when it can.
 * Returns true when the client has its answer.
 */
export function answerFromCache(state: RequestState, step: UpstreamStep): boolean {
  const { opts } = step;
  if (!(opts.cacheTtlSeconds > 0 && (step.method === 'POST' || step.method === 'GET'))) return false;
  const accountId = state.route!.accountId;
  const gatewayId = state.gateway!.id;
  step.cacheKey = opts.cacheKey
    ? customCacheKey(accountId, gatewayId, opts.cacheKey)
    : cacheKey({
        provider: step.provider,
        endpoint: step.cacheEndpoint,
        model: step.model,
        authHeader: step.authHeader,
        body: step.clientBody,
      });
  if (opts.skipCache) return false;
  const hit = state.services.cache.get(accountId, gatewayId, step.cacheKey, step.startMs);
  // An event stream stored by an earlier version is never replayed.
  if (!hit || isEventStream(headerOf(hit.headers, 'content-type'))) return false;
  replay(state, step, hit);
  record(state, step, {
    status: hit.status,
    cached: true,
    usage: { tokensIn: hit.tokensIn, tokensOut: hit.tokensOut, model: hit.model },
    responseContentType: headerOf(hit.headers, 'content-type'),
    responseSize: hit.body.length,
    responseHead: Object.fromEntries(hit.headers),
    responseBody: hit.body,
    error: null,
    costOverride: 0,
  });
  return true;
}

function replay(state: RequestState, step: UpstreamStep, hit: CachedResponse): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of hit.headers) {
    // Entries stored by an older version may hold more.
    if (!isHarmlessHeader(name)) continue;
    const prev = headers[name];
    headers[name] =
      prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [String(prev), value];
  }
  Object.assign(headers, stepHeaders(state, step, 'HIT'));
  headers['content-length'] = hit.body.length;
  state.res.writeHead(hit.status, headers);
  state.res.end(hit.body);
}

function headerOf(headers: [string, string][], name: string): string | null {
  for (const [n, v] of headers) if (n === name) return v;
  return null;
}

const EVENT_STREAM_TYPES = [
  'text/event-stream',
  'application/x-ndjson',
  'application/vnd.amazon.eventstream',
];

/**
 * Whether an answer is streamed (server-sent events, JSON lines, AWS event streams). Cloudflare does not cache
 * streamed responses ("Streaming responses are not cached by default", with no documented way to turn it on);
 * other answers relayed in chunks (images, audio, large JSON) are cached like any other.
 */
export function isEventStream(contentType: string | null): boolean {
  if (contentType === null) return false;
  const media = contentType.trimStart().toLowerCase();
  return EVENT_STREAM_TYPES.some((type) => media.startsWith(type));
}

/** A 2xx answer as sent to the client, for the cache. */
export interface CacheableAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  streamed: boolean;
  usage: Usage | null;
}

/** Stores a step's answer under its key (the gateway's own headers are not stored). */
export function storeInCache(state: RequestState, step: UpstreamStep, answer: CacheableAnswer): void {
  const stored: [string, string][] = [];
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined || name === 'content-length' || name.startsWith('cf-aig-')) continue;
    if (!isHarmlessHeader(name)) continue;
    if (Array.isArray(value)) for (const v of value) stored.push([name, v]);
    else stored.push([name, String(value)]);
  }
  state.services.cache.put(
    {
      key: step.cacheKey!,
      accountId: state.route!.accountId,
      gatewayId: state.gateway!.id,
      provider: step.provider,
      ttlSeconds: step.opts.cacheTtlSeconds,
      status: answer.status,
      headers: stored,
      body: answer.body,
      streamed: answer.streamed,
      model: answer.usage?.model ?? step.model,
      tokensIn: answer.usage?.tokensIn ?? null,
      tokensOut: answer.usage?.tokensOut ?? null,
    },
    step.startMs,
  );
}

const MIN_TTL = 60;
/** One month, in seconds: the longest Cloudflare caches (cf-aig-cache-ttl and the gateway cache_ttl). */
export const MAX_TTL = 2_592_000;
const CUSTOM_KEY_DEFAULT_TTL = 300;

/**
 * The TTL (seconds) for one request; 0 means do not cache. cf-aig-cache-ttl wins (0 disables; otherwise it
 * must be a whole number within 60..2592000), then the gateway's cache_ttl, then 300 when cf-aig-cache-key
 * is given. The caller reads the legacy alias cf-cache-ttl into headerTtl when the new header is absent.
 */
export function resolveCacheTtl(opts: {
  headerTtl: string | undefined;
  gatewayTtl: number | null;
  hasCustomKey: boolean;
}): { ttl: number } | { error: string } {
  if (opts.headerTtl !== undefined) {
    const text = opts.headerTtl.trim();
    if (!/^\d+$/.test(text)) return { error: 'cf-aig-cache-ttl must be a whole number of seconds' };
    const ttl = Number(text);
    if (ttl === 0) return { ttl: 0 };
    if (ttl < MIN_TTL || ttl > MAX_TTL) {
      return {
        error: `cf-aig-cache-ttl must be 0 (no caching) or between ${MIN_TTL} and ${MAX_TTL} seconds`,
      };
    }
    return { ttl };
  }
  if (opts.gatewayTtl !== null && opts.gatewayTtl > 0) return { ttl: opts.gatewayTtl };
  return { ttl: opts.hasCustomKey ? CUSTOM_KEY_DEFAULT_TTL : 0 };
}

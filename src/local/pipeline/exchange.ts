// One exchange with one provider, as every URL form runs it: cache lookup, the upstream call with retries,
// the answer relayed to the client (buffered JSON, or a stream chunk by chunk with backpressure), the cache
// fill, usage and cost, and one log record.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { StreamTranslator } from '../compat/index.js';
import type { Runtime } from '../runtime.js';
import type { Gateway } from '../store/gateways.js';
import { type LogWriter, newLogId } from '../store/logs/writer.js';
import type { Cancel } from '../upstream/cancel.js';
import { type BodyStream, DROP_DOWN, type UpstreamPools } from '../upstream/pools.js';
import type { ProviderTable, UpstreamTarget } from '../upstream/providers.js';
import { sendWithRetries } from '../upstream/retry.js';
import { type CachedResponse, cacheKey, customCacheKey, type ResponseCache } from './cache.js';
import { sendGatewayError } from './errors.js';
import { clientGone, LOG_BODY_LIMIT, str, writeLog } from './log-record.js';
import type { EffectiveOptions } from './options.js';
import type { RateLimiter } from './rate-limit.js';
import { relayStream } from './stream-relay.js';
import { type Usage, usageFromJson } from './usage.js';

export interface Services {
  runtime: Runtime;
  pools: UpstreamPools;
  providers: ProviderTable;
  cache: ResponseCache;
  logs: LogWriter;
  limiter: RateLimiter;
}

export interface RequestContext {
  services: Services;
  req: IncomingMessage;
  res: ServerResponse;
  accountId: string;
  gateway: Gateway;
  /** Cancelled when the client goes away before its answer is complete. */
  cancel: Cancel;
  requestType: string | null;
  authenticated: boolean;
}

/** Rewrites provider answers into another API's shape (the compat endpoint). */
export interface ResponseAdapter {
  json(status: number, json: unknown): unknown;
  stream(): StreamTranslator;
}

export interface Exchange {
  /** Provider slug: log, usage and cost. */
  provider: string;
  /** The provider rest path, as logged. */
  path: string;
  /** Endpoint (path and query) for the cache key. */
  cacheEndpoint: string;
  target: UpstreamTarget;
  method: string;
  /** Upstream headers, as a flat [name, value, ...] list. */
  headers: string[];
  /** Upstream body. */
  body: Buffer | null;
  /** The body as the client sent it (cache key, log). */
  clientBody: Buffer;
  requestHead: IncomingHttpHeaders | Record<string, string>;
  requestContentType: string | null;
  model: string | null;
  /** Provider credentials, for the cache key (two keys never share an entry). */
  authHeader: string | null;
  opts: EffectiveOptions;
  step: number | null;
  adapter: ResponseAdapter | null;
}

/** `answered`: the client has its answer (or is gone). `fallback`: this step failed; try the next one. */
export type ExchangeResult = 'answered' | 'fallback';

export async function runExchange(
  ctx: RequestContext,
  ex: Exchange,
  isLast: boolean,
): Promise<ExchangeResult> {
  const startMs = Date.now();
  const started = performance.now();
  const logId = newLogId(startMs);
  const { cache } = ctx.services;
  const caching = ex.opts.cacheTtlSeconds > 0 && (ex.method === 'POST' || ex.method === 'GET');
  let key: string | null = null;
  if (caching) {
    key = ex.opts.cacheKey
      ? customCacheKey(ctx.accountId, ctx.gateway.id, ex.opts.cacheKey)
      : cacheKey({
          provider: ex.provider,
          endpoint: ex.cacheEndpoint,
          model: ex.model,
          authHeader: ex.authHeader,
          body: ex.clientBody,
        });
    if (!ex.opts.skipCache) {
      const hit = cache.get(ctx.accountId, ctx.gateway.id, key, startMs);
      if (hit) {
        replay(ctx, ex, logId, hit);
        writeLog(ctx, ex, logId, startMs, started, {
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
        return 'answered';
      }
    }
  }

  const outcome = await sendWithRetries(
    ctx.services.pools,
    ex.target,
    { method: ex.method, headers: ex.headers, body: ex.body },
    {
      attempts: ex.opts.attempts,
      delayMs: ex.opts.delayMs,
      backoff: ex.opts.backoffKind,
      timeoutMs: ex.opts.requestTimeoutMs,
    },
    ctx.cancel,
  );

  if (outcome.kind === 'aborted') {
    writeLog(ctx, ex, logId, startMs, started, clientGone());
    return 'answered';
  }
  if (outcome.kind === 'failure') {
    const err = outcome.error;
    if (isLast) sendGatewayError(ctx.res, err, gatewayHeaders(ex, logId, null));
    writeLog(ctx, ex, logId, startMs, started, {
      status: err.httpCode,
      cached: false,
      usage: null,
      responseContentType: isLast ? 'application/json' : null,
      responseSize: null,
      responseHead: null,
      responseBody: null,
      error: err.message,
    });
    return isLast ? 'answered' : 'fallback';
  }

  const { res: up } = outcome;
  const ok = up.statusCode >= 200 && up.statusCode < 300;
  if (!ok && !isLast) {
    // A failed step: keep a prefix of its answer for the log, and move on.
    const prefix = await readPrefix(up.body, LOG_BODY_LIMIT);
    writeLog(ctx, ex, logId, startMs, started, {
      status: up.statusCode,
      cached: false,
      usage: null,
      responseContentType: str(up.headers['content-type']),
      responseSize: prefix.size,
      responseHead: up.headers,
      responseBody: prefix.body,
      error: null,
    });
    return 'fallback';
  }

  const cacheStatus = caching ? 'MISS' : null;
  const extra = gatewayHeaders(ex, logId, cacheStatus);
  const contentType = str(up.headers['content-type']);

  let body = outcome.body;
  let json = outcome.json;
  if (!body && !outcome.prefix && ex.adapter && !ok && contentType?.includes('json')) {
    // Compat: a provider error is translated too, so it is read whole.
    const whole = await readPrefix(up.body, LOG_BODY_LIMIT * 10);
    body = whole.body;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = undefined;
    }
  }

  if (body) {
    if (ctx.cancel.cancelled) {
      writeLog(ctx, ex, logId, startMs, started, clientGone());
      return 'answered';
    }
    let out = body;
    if (ex.adapter && json !== undefined)
      out = Buffer.from(JSON.stringify(ex.adapter.json(up.statusCode, json)));
    const headers = downstreamHeaders(up.headers, extra, true);
    headers['content-length'] = out.length;
    ctx.res.writeHead(up.statusCode, headers);
    ctx.res.end(out);
    // Usage, the cache fill and the log come after the answer is on its way.
    const usage =
      ok && json !== undefined && (key !== null || ex.opts.shouldLog) ? usageFromJson(json) : null;
    if (ok && key) {
      storeInCache(ctx, ex, key, up.statusCode, headers, out, false, usage, startMs);
    }
    writeLog(ctx, ex, logId, startMs, started, {
      status: up.statusCode,
      cached: false,
      usage,
      responseContentType: contentType,
      responseSize: out.length,
      responseHead: up.headers,
      responseBody: out,
      error: null,
    });
    return 'answered';
  }

  return relayStream(ctx, ex, logId, startMs, started, up, outcome.prefix, extra, ok ? key : null);
}

function replay(ctx: RequestContext, ex: Exchange, logId: string, hit: CachedResponse): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of hit.headers) {
    const prev = headers[name];
    headers[name] =
      prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [String(prev), value];
  }
  Object.assign(headers, gatewayHeaders(ex, logId, 'HIT'));
  headers['content-length'] = hit.body.length;
  ctx.res.writeHead(hit.status, headers);
  ctx.res.end(hit.body);
}

export function storeInCache(
  ctx: RequestContext,
  ex: Exchange,
  key: string,
  status: number,
  headers: OutgoingHttpHeaders,
  body: Buffer,
  streamed: boolean,
  usage: Usage | null,
  nowMs: number,
): void {
  const stored: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'content-length' || name.startsWith('cf-aig-')) continue;
    if (Array.isArray(value)) for (const v of value) stored.push([name, v]);
    else stored.push([name, String(value)]);
  }
  ctx.services.cache.put(
    {
      key,
      accountId: ctx.accountId,
      gatewayId: ctx.gateway.id,
      provider: ex.provider,
      ttlSeconds: ex.opts.cacheTtlSeconds,
      status,
      headers: stored,
      body,
      streamed,
      model: usage?.model ?? ex.model,
      tokensIn: usage?.tokensIn ?? null,
      tokensOut: usage?.tokensOut ?? null,
    },
    nowMs,
  );
}

/** The cf-aig-* headers of an answer. */
export function gatewayHeaders(
  ex: Exchange,
  logId: string,
  cacheStatus: string | null,
): Record<string, string> {
  const h: Record<string, string> = { 'cf-aig-log-id': logId };
  if (ex.opts.eventId !== null) h['cf-aig-event-id'] = ex.opts.eventId;
  if (cacheStatus) h['cf-aig-cache-status'] = cacheStatus;
  if (ex.step !== null) h['cf-aig-step'] = String(ex.step);
  return h;
}

export function downstreamHeaders(
  upstream: IncomingHttpHeaders,
  extra: Record<string, string>,
  rewritten: boolean,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    if (DROP_DOWN.has(name)) continue;
    if (rewritten && (name === 'content-length' || name === 'content-encoding')) continue;
    out[name] = upstream[name];
  }
  for (const name in extra) out[name] = extra[name];
  return out;
}

async function readPrefix(stream: BodyStream | null, limit: number): Promise<{ body: Buffer; size: number }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  if (stream === null) return { body: Buffer.alloc(0), size };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (kept < limit) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    }
  } catch {
    // A failed answer that also fails to arrive whole: keep what came.
  }
  const body = Buffer.concat(chunks, kept);
  return { body: body.length > limit ? body.subarray(0, limit) : body, size };
}

function headerOf(headers: [string, string][], name: string): string | null {
  for (const [n, v] of headers) if (n === name) return v;
  return null;
}

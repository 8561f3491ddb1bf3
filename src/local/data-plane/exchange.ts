// One exchange with one provider, as every URL form runs it: cache lookup, the upstream call with retries,
// the answer relayed to the client (buffered JSON, or a stream chunk by chunk with backpressure), the cache
// fill, usage and cost, and one log record.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Runtime } from '../runtime.js';
import type { Gateway } from '../store/gateways.js';
import { type CachedResponse, cacheKey, customCacheKey, type ResponseCache } from './cache.js';
import type { Cancel } from './cancel.js';
import type { StreamTranslator } from './compat/index.js';
import { computeCost } from './cost.js';
import { type GatewayError, sendGatewayError } from './errors.js';
import { type LogRecord, type LogWriter, newLogId, redactHeaders } from './log-writer.js';
import type { EffectiveOptions } from './options.js';
import type { ProviderTable, UpstreamTarget } from './providers.js';
import type { RateLimiter } from './rate-limit.js';
import { sendWithRetries } from './retry.js';
import { DROP_DOWN, type UpstreamPools, type UpstreamResponse } from './upstream.js';
import { StreamUsageTracker, type Usage, usageFromJson } from './usage.js';

/** Stored request / response bodies keep at most this prefix. */
export const LOG_BODY_LIMIT = 1024 * 1024;
/** A streamed answer longer than this is relayed but not cached. */
export const CACHE_STREAM_LIMIT = 10 * 1024 * 1024;
/** Log status for a client that went away before the answer was complete (nginx's convention). */
export const CLIENT_CLOSED = 499;

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

interface LogFields {
  status: number | null;
  cached: boolean;
  usage: Usage | null;
  responseContentType: string | null;
  responseSize: number | null;
  responseHead: IncomingHttpHeaders | OutgoingHttpHeaders | null;
  responseBody: Buffer | null;
  error: string | null;
  costOverride?: number;
}

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
    writeLog(ctx, ex, logId, startMs, started, clientGone(null));
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
    const prefix = await readPrefix(up, LOG_BODY_LIMIT);
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
    const whole = await readPrefix(up, LOG_BODY_LIMIT * 10);
    body = whole.body;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = undefined;
    }
  }

  if (body) {
    if (ctx.cancel.cancelled) {
      writeLog(ctx, ex, logId, startMs, started, clientGone(up.statusCode));
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
      ok && json !== undefined && (key !== null || ex.opts.shouldLog)
        ? usageFromJson(ex.provider, json)
        : null;
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

/** Relays a streamed (or unbuffered) answer chunk by chunk, pausing the upstream when the client is slow. */
async function relayStream(
  ctx: RequestContext,
  ex: Exchange,
  logId: string,
  startMs: number,
  started: number,
  up: UpstreamResponse,
  prefix: Buffer[] | null,
  extra: Record<string, string>,
  key: string | null,
): Promise<ExchangeResult> {
  const { res } = ctx;
  const ok = up.statusCode >= 200 && up.statusCode < 300;
  const contentType = str(up.headers['content-type']);
  const isSse = contentType?.startsWith('text/event-stream') === true;
  const translator = ex.adapter && ok ? ex.adapter.stream() : null;
  const headers = downstreamHeaders(up.headers, extra, translator !== null);
  res.writeHead(up.statusCode, headers);
  res.flushHeaders();

  const wantLog = ex.opts.shouldLog;
  const tracker = ok && isSse && (wantLog || key) ? new StreamUsageTracker(ex.provider) : null;
  const logChunks: Buffer[] = [];
  let logSize = 0;
  let cacheChunks: Buffer[] | null = key ? [] : null;
  let cacheSize = 0;
  let sent = 0;

  const emit = (chunk: Buffer): boolean => {
    tracker?.push(chunk);
    const out = translator ? translator.push(chunk) : chunk;
    if (out.length === 0) return true;
    sent += out.length;
    if (wantLog && logSize < LOG_BODY_LIMIT) {
      logChunks.push(out);
      logSize += out.length;
    }
    if (cacheChunks) {
      cacheSize += out.length;
      if (cacheSize > CACHE_STREAM_LIMIT) cacheChunks = null;
      else cacheChunks.push(out);
    }
    return res.write(out);
  };

  let error: string | null = null;
  try {
    if (prefix) for (const chunk of prefix) emit(chunk);
    await pump(up.body, res, emit, ctx.cancel);
    if (translator) {
      const tail = translator.end();
      if (tail.length > 0) emit(tail);
    }
    res.end();
  } catch (err) {
    error = ctx.cancel.cancelled
      ? 'client disconnected'
      : `upstream stream failed: ${(err as Error).message}`;
    up.body.destroy();
    res.destroy();
  }

  const usage = tracker ? tracker.result() : null;
  if (!error && cacheChunks && key) {
    const out = Buffer.concat(cacheChunks, cacheSize);
    storeInCache(ctx, ex, key, up.statusCode, headers, out, true, usage, startMs);
  }
  const logBody = Buffer.concat(logChunks, logSize);
  writeLog(ctx, ex, logId, startMs, started, {
    status: error === 'client disconnected' ? CLIENT_CLOSED : up.statusCode,
    cached: false,
    usage,
    responseContentType: contentType,
    responseSize: sent,
    responseHead: up.headers,
    responseBody: logBody.length > LOG_BODY_LIMIT ? logBody.subarray(0, LOG_BODY_LIMIT) : logBody,
    error,
  });
  return 'answered';
}

function pump(
  body: UpstreamResponse['body'],
  res: ServerResponse,
  emit: (chunk: Buffer) => boolean,
  cancel: Cancel,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancel.cancelled) {
      reject(new Error('client disconnected'));
      return;
    }
    const onDrain = () => body.resume();
    const onData = (chunk: Buffer) => {
      if (!emit(chunk)) {
        body.pause();
        res.once('drain', onDrain);
      }
    };
    const onAbort = () => finish(new Error('client disconnected'));
    const finish = (err?: Error) => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', finish);
      res.off('drain', onDrain);
      cancel.off('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onEnd = () => finish();
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', finish);
    cancel.once('abort', onAbort);
    body.resume();
  });
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

function storeInCache(
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

function downstreamHeaders(
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

function clientGone(_upstreamStatus: number | null): LogFields {
  return {
    status: CLIENT_CLOSED,
    cached: false,
    usage: null,
    responseContentType: null,
    responseSize: null,
    responseHead: null,
    responseBody: null,
    error: 'client disconnected',
  };
}

async function readPrefix(up: UpstreamResponse, limit: number): Promise<{ body: Buffer; size: number }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  try {
    for await (const chunk of up.body as AsyncIterable<Buffer>) {
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

function writeLog(
  ctx: RequestContext,
  ex: Exchange,
  logId: string,
  startMs: number,
  started: number,
  f: LogFields,
): void {
  if (!ex.opts.shouldLog) return;
  const usage = f.usage;
  const model = ex.model ?? usage?.model ?? '';
  let cost: number | null = null;
  let customCost = false;
  if (f.costOverride !== undefined) cost = f.costOverride;
  else if (usage && f.status !== null && f.status >= 200 && f.status < 300) {
    const c = computeCost(ex.provider, usage.model ?? ex.model, usage, ex.opts.customCost);
    cost = c.cost;
    customCost = c.customCost;
  }
  const payload = ex.opts.collectLogPayload;
  const record: LogRecord = {
    id: logId,
    accountId: ctx.accountId,
    gatewayId: ctx.gateway.id,
    createdAt: new Date(startMs),
    provider: ex.provider,
    model,
    modelType: null,
    path: ex.path,
    requestType: ctx.requestType,
    statusCode: f.status,
    success: f.status !== null && f.status >= 200 && f.status < 300 && f.error === null,
    cached: f.cached,
    duration: Math.round(performance.now() - started),
    tokensIn: usage?.tokensIn ?? null,
    tokensOut: usage?.tokensOut ?? null,
    cost,
    customCost,
    metadata: ex.opts.metadata,
    step: ex.step,
    eventId: ex.opts.eventId,
    userAgent: str(ctx.req.headers['user-agent']),
    authentication: ctx.authenticated,
    requestContentType: ex.requestContentType,
    responseContentType: f.responseContentType,
    requestSize: ex.clientBody.length,
    responseSize: f.responseSize,
    requestHead: JSON.stringify(redactHeaders(ex.requestHead)),
    responseHead: f.responseHead
      ? JSON.stringify(redactHeaders(f.responseHead as IncomingHttpHeaders))
      : null,
    requestBody: payload ? bounded(ex.clientBody) : null,
    responseBody: payload ? f.responseBody : null,
    error: f.error,
  };
  ctx.services.logs.enqueue(record, ctx.gateway);
}

/** Logs a request the gateway refused before any provider exchange (rate limit, bad header, 413...). */
export function logRejection(
  ctx: RequestContext,
  provider: string,
  path: string,
  err: GatewayError,
  logId: string,
  startMs: number,
  started: number,
): void {
  if (ctx.gateway.collect_logs === false) return;
  const record: LogRecord = {
    id: logId,
    accountId: ctx.accountId,
    gatewayId: ctx.gateway.id,
    createdAt: new Date(startMs),
    provider,
    model: '',
    modelType: null,
    path,
    requestType: ctx.requestType,
    statusCode: err.httpCode,
    success: false,
    cached: false,
    duration: Math.round(performance.now() - started),
    tokensIn: null,
    tokensOut: null,
    cost: null,
    customCost: false,
    metadata: null,
    step: null,
    eventId: str(ctx.req.headers['cf-aig-event-id']),
    userAgent: str(ctx.req.headers['user-agent']),
    authentication: ctx.authenticated,
    requestContentType: str(ctx.req.headers['content-type']),
    responseContentType: 'application/json',
    requestSize: null,
    responseSize: null,
    requestHead: JSON.stringify(redactHeaders(ctx.req.headers)),
    responseHead: null,
    requestBody: null,
    responseBody: null,
    error: err.message,
  };
  ctx.services.logs.enqueue(record, ctx.gateway);
}

function bounded(body: Buffer): Buffer {
  if (body.length <= LOG_BODY_LIMIT) return body;
  return Buffer.from(body.subarray(0, LOG_BODY_LIMIT));
}

function str(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

function headerOf(headers: [string, string][], name: string): string | null {
  for (const [n, v] of headers) if (n === name) return v;
  return null;
}

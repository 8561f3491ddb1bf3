// Stage: upstream, the way back. A JSON answer read whole goes out in one write (translated for the compat
// endpoint), then usage, the cache fill and the log. Anything else is relayed chunk by chunk as it arrives, the
// upstream paused while the client is slow (memory stays flat however long the stream), a bounded prefix kept
// for the log, usage read on the way, and the whole body recorded for the cache unless it grows past
// CACHE_STREAM_LIMIT or is an event stream (Cloudflare does not cache streamed responses).
import type { ServerResponse } from 'node:http';
import type { Cancel } from '../upstream/cancel.js';
import type { BodyStream, UpstreamResponse } from '../upstream/pools.js';
import { isEventStream, storeInCache } from './cache.js';
import { downstreamHeaders, stepHeaders } from './headers.js';
import { CLIENT_CLOSED, LOG_BODY_LIMIT, record, str } from './record.js';
import type { RequestState, UpstreamStep } from './state.js';
import { StreamUsageTracker, usageFromJson } from './usage.js';

/** A streamed answer longer than this is relayed but not cached. */
const CACHE_STREAM_LIMIT = 10 * 1024 * 1024;

/** Sends an answer read whole (`json` is its parsed body, when it is JSON). */
export function sendWhole(
  state: RequestState,
  step: UpstreamStep,
  up: UpstreamResponse,
  body: Buffer,
  json: unknown,
): void {
  const ok = up.statusCode >= 200 && up.statusCode < 300;
  const key = step.cacheKey;
  let out = body;
  if (step.adapter && json !== undefined)
    out = Buffer.from(JSON.stringify(step.adapter.json(up.statusCode, json)));
  const headers = downstreamHeaders(up.headers, stepHeaders(state, step, key !== null ? 'MISS' : null), true);
  headers['content-length'] = out.length;
  state.res.writeHead(up.statusCode, headers);
  state.res.end(out);
  // Usage, the cache fill and the log come after the answer is on its way. Usage is read whether or not the
  // log is kept: analytics count every request's tokens and cost.
  const usage = ok && json !== undefined ? usageFromJson(json) : null;
  if (ok && key !== null) {
    storeInCache(state, step, { status: up.statusCode, headers, body: out, streamed: false, usage });
  }
  record(state, step, {
    status: up.statusCode,
    cached: false,
    usage,
    responseContentType: str(up.headers['content-type']),
    responseSize: out.length,
    responseHead: up.headers,
    responseBody: out,
    error: null,
  });
}

/** Relays a streamed (or unbuffered) answer chunk by chunk, pausing the upstream when the client is slow. */
export async function relayStream(
  state: RequestState,
  step: UpstreamStep,
  up: UpstreamResponse,
  prefix: Buffer[] | null,
): Promise<void> {
  const { res } = state;
  const ok = up.statusCode >= 200 && up.statusCode < 300;
  const contentType = str(up.headers['content-type']);
  const key = ok && !isEventStream(contentType) ? step.cacheKey : null;
  const isSse = contentType?.startsWith('text/event-stream') === true;
  const translator = step.adapter && ok ? step.adapter.stream() : null;
  const extra = stepHeaders(state, step, step.cacheKey !== null ? 'MISS' : null);
  const headers = downstreamHeaders(up.headers, extra, translator !== null);
  res.writeHead(up.statusCode, headers);
  res.flushHeaders();

  const wantLog = step.opts.shouldLog;
  // Usage is tracked whether or not the log is kept: analytics count every request's tokens and cost.
  const tracker = ok && isSse ? new StreamUsageTracker() : null;
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
    // Only a body read whole has no stream, and those are not relayed here.
    await pump(up.body!, res, emit, state.cancel);
    if (translator) {
      const tail = translator.end();
      if (tail.length > 0) emit(tail);
    }
    res.end();
  } catch (err) {
    error = state.cancel.cancelled
      ? (state.cancel.reason?.message ?? 'client disconnected')
      : `upstream stream failed: ${(err as Error).message}`;
    up.body?.destroy();
    res.destroy();
  }

  const usage = tracker ? tracker.result() : null;
  if (!error && cacheChunks && key) {
    const out = Buffer.concat(cacheChunks, cacheSize);
    storeInCache(state, step, { status: up.statusCode, headers, body: out, streamed: true, usage });
  }
  const logBody = Buffer.concat(logChunks, logSize);
  record(state, step, {
    status: error === 'client disconnected' ? CLIENT_CLOSED : up.statusCode,
    cached: false,
    usage,
    responseContentType: contentType,
    responseSize: sent,
    responseHead: up.headers,
    responseBody: logBody.length > LOG_BODY_LIMIT ? logBody.subarray(0, LOG_BODY_LIMIT) : logBody,
    error,
  });
}

function pump(
  body: BodyStream,
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

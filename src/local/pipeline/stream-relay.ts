// Streamed (or unbuffered) answers: relayed chunk by chunk as they arrive, the upstream paused while the client
// is slow (memory stays flat however long the stream), a bounded prefix kept for the log, usage read on the way,
// and the whole stream recorded for the cache unless it grows past CACHE_STREAM_LIMIT.
import type { ServerResponse } from 'node:http';
import type { Cancel } from '../upstream/cancel.js';
import type { BodyStream, UpstreamResponse } from '../upstream/pools.js';
import {
  downstreamHeaders,
  type Exchange,
  type ExchangeResult,
  type RequestContext,
  storeInCache,
} from './exchange.js';
import { CLIENT_CLOSED, LOG_BODY_LIMIT, str, writeLog } from './log-record.js';
import { StreamUsageTracker } from './usage.js';

/** A streamed answer longer than this is relayed but not cached. */
export const CACHE_STREAM_LIMIT = 10 * 1024 * 1024;

/** Relays a streamed (or unbuffered) answer chunk by chunk, pausing the upstream when the client is slow. */
export async function relayStream(
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
  const tracker = ok && isSse && (wantLog || key) ? new StreamUsageTracker() : null;
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
    await pump(up.body!, res, emit, ctx.cancel);
    if (translator) {
      const tail = translator.end();
      if (tail.length > 0) emit(tail);
    }
    res.end();
  } catch (err) {
    error = ctx.cancel.cancelled
      ? 'client disconnected'
      : `upstream stream failed: ${(err as Error).message}`;
    up.body?.destroy();
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

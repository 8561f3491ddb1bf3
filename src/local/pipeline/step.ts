// One upstream step, as every URL form runs it: cache -> upstream with retries and timeouts (or a recording,
// ../cassettes) -> the answer
// relayed (relay.ts) -> cache fill -> record. A failed step either hands over to the next one (a fallback)
// or, when it is the last, is the answer: it is logged here and thrown for the pipeline to answer.
import { upstreamExchange } from '../cassettes/exchange.js';
import { newLogId } from '../store/logs/writer.js';
import type { BodyStream } from '../upstream/pools.js';
import { answerFromCache } from './cache.js';
import { cancelled, LOG_BODY_LIMIT, record, str } from './record.js';
import { relayStream, sendWhole } from './relay.js';
import type { RequestState, StepResult, UpstreamStep } from './state.js';

export async function runStep(state: RequestState, step: UpstreamStep, isLast: boolean): Promise<StepResult> {
  step.startMs = state.services.now();
  step.started = performance.now();
  step.logId = newLogId(step.startMs);
  state.requestId ??= step.logId;
  if (answerFromCache(state, step)) return 'answered';

  const { opts } = step;
  const outcome = await upstreamExchange(
    state.services.pools,
    state.services.cassettes,
    step,
    {
      attempts: opts.attempts,
      delayMs: opts.delayMs,
      backoff: opts.backoffKind,
      timeoutMs: opts.requestTimeoutMs,
      finalWaits: isLast,
    },
    state.cancel,
  );

  if (outcome.kind === 'aborted') {
    record(state, step, cancelled(state.cancel.reason));
    return 'answered';
  }
  if (outcome.kind === 'failure') {
    const err = outcome.error;
    record(state, step, {
      status: err.httpCode,
      cached: false,
      usage: null,
      responseContentType: isLast ? 'application/json' : null,
      responseSize: null,
      responseHead: null,
      responseBody: null,
      error: err.message,
    });
    if (!isLast) return 'fallback';
    state.failedStep = step;
    throw err;
  }

  const up = outcome.res;
  const ok = up.statusCode >= 200 && up.statusCode < 300;
  if (!ok && !isLast) {
    // A failed step: keep a prefix of its answer for the log, and move on.
    const prefix = await readPrefix(up.body, LOG_BODY_LIMIT);
    record(state, step, {
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

  let body = outcome.body;
  let json = outcome.json;
  if (!body && !outcome.prefix && step.adapter && !ok && up.headers['content-type']?.includes('json')) {
    // Compat: a provider error is translated too, so it is read whole.
    body = (await readPrefix(up.body, LOG_BODY_LIMIT * 10)).body;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  if (body) {
    if (state.cancel.cancelled) record(state, step, cancelled(state.cancel.reason));
    else sendWhole(state, step, up, body, json);
  } else {
    await relayStream(state, step, up, outcome.prefix);
  }
  return 'answered';
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

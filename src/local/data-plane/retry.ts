// One exchange with a provider: attempts with a first-byte timeout, retried on network errors, timeouts, 429
// and 5xx with constant / linear / exponential backoff. The last attempt's provider response is returned as
// is (it passes through unchanged); only failures with no usable provider response become gateway errors.
import { type Cancel, sleep } from './cancel.js';
import { GatewayCode, GatewayError } from './errors.js';
import type { Backoff } from './options.js';
import type { UpstreamTarget } from './providers.js';
import type { SendOptions, UpstreamPools, UpstreamResponse } from './upstream.js';

/** JSON 2xx bodies up to this size are read whole before answering (usage, validation, caching). */
export const JSON_BUFFER_LIMIT = 10 * 1024 * 1024;

export type Outcome =
  | {
      kind: 'response';
      res: UpstreamResponse;
      attempts: number;
      /** The whole body, when it was read (a JSON 2xx within JSON_BUFFER_LIMIT). */
      body: Buffer | null;
      /** The parsed body, when `body` is set. */
      json: unknown;
      /** Bytes already read from `res.body` when it turned out larger than the limit. */
      prefix: Buffer[] | null;
    }
  | { kind: 'failure'; error: GatewayError; attempts: number }
  | { kind: 'aborted'; attempts: number };

export interface RetryPolicy {
  attempts: number;
  delayMs: number;
  backoff: Backoff;
  timeoutMs: number | null;
}

export function retryDelay(policy: RetryPolicy, failedAttempt: number): number {
  if (policy.delayMs <= 0) return 0;
  if (policy.backoff === 'linear') return policy.delayMs * failedAttempt;
  if (policy.backoff === 'exponential') return policy.delayMs * 2 ** (failedAttempt - 1);
  return policy.delayMs;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** `application/json` or `…+json` (not ndjson / jsonl, which are streams of documents). */
export function isJsonType(contentType: string | string[] | undefined): boolean {
  if (typeof contentType !== 'string') return false;
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

class TimeoutSignal extends Error {}

export async function sendWithRetries(
  pools: UpstreamPools,
  target: UpstreamTarget,
  request: SendOptions,
  policy: RetryPolicy,
  client: Cancel,
): Promise<Outcome> {
  let failure: GatewayError | null = null;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) {
      const wait = retryDelay(policy, attempt - 1);
      if (wait > 0) {
        try {
          await sleep(wait, client);
        } catch {
          return { kind: 'aborted', attempts: attempt - 1 };
        }
      }
    }
    if (client.cancelled) return { kind: 'aborted', attempts: attempt - 1 };
    const last = attempt === policy.attempts;

    let signal = client;
    let timer: NodeJS.Timeout | null = null;
    if (policy.timeoutMs !== null) {
      const attemptCancel = client.child();
      timer = setTimeout(() => attemptCancel.cancel(new TimeoutSignal('timeout')), policy.timeoutMs);
      signal = attemptCancel;
    }
    let res: UpstreamResponse;
    try {
      res = await pools.send(target, request, signal);
    } catch (err) {
      if (timer) clearTimeout(timer);
      if (client.cancelled) return { kind: 'aborted', attempts: attempt };
      failure = classify(err, signal, policy.timeoutMs);
      continue;
    }
    if (timer) clearTimeout(timer);

    if (!last && isRetryableStatus(res.statusCode)) {
      res.body.dump({ limit: 64 * 1024 }).catch(() => {});
      failure = null;
      continue;
    }
    const isJson =
      res.statusCode >= 200 &&
      res.statusCode < 300 &&
      res.statusCode !== 204 &&
      request.method !== 'HEAD' &&
      isJsonType(res.headers['content-type']) &&
      !encoded(res.headers['content-encoding']);
    if (!isJson)
      return { kind: 'response', res, attempts: attempt, body: null, json: undefined, prefix: null };

    const declared = Number(res.headers['content-length']);
    if (declared > JSON_BUFFER_LIMIT) {
      return { kind: 'response', res, attempts: attempt, body: null, json: undefined, prefix: null };
    }
    let read: { whole: Buffer } | { prefix: Buffer[] };
    try {
      read = await readUpTo(res.body, JSON_BUFFER_LIMIT);
    } catch (err) {
      if (client.cancelled) return { kind: 'aborted', attempts: attempt };
      failure = classify(err, signal, policy.timeoutMs);
      continue;
    }
    if ('prefix' in read) {
      return { kind: 'response', res, attempts: attempt, body: null, json: undefined, prefix: read.prefix };
    }
    if (read.whole.length === 0) {
      // Nothing to validate or read usage from.
      return { kind: 'response', res, attempts: attempt, body: read.whole, json: undefined, prefix: null };
    }
    try {
      const json = JSON.parse(read.whole.toString('utf8'));
      return { kind: 'response', res, attempts: attempt, body: read.whole, json, prefix: null };
    } catch {
      failure = new GatewayError(
        502,
        GatewayCode.ProviderFailure,
        `Failed to get response from provider: the provider answered ${res.statusCode} with a body that is not valid JSON`,
      );
    }
  }
  return { kind: 'failure', error: failure!, attempts: policy.attempts };
}

function encoded(contentEncoding: string | string[] | undefined): boolean {
  return contentEncoding !== undefined && contentEncoding !== 'identity';
}

function classify(err: unknown, signal: Cancel, timeoutMs: number | null): GatewayError {
  const code = (err as { code?: string } | null)?.code;
  if (signal.reason instanceof TimeoutSignal || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new GatewayError(
      504,
      GatewayCode.ProviderFailure,
      `Failed to get response from provider: no response within ${timeoutMs ?? 300_000} ms (request timeout)`,
    );
  }
  const detail = (err as Error | null)?.message ?? String(err);
  return new GatewayError(
    502,
    GatewayCode.ProviderFailure,
    `Failed to get response from provider: ${code ? `${code} ` : ''}${detail}`,
  );
}

/** Reads a body whole, unless it grows past `limit`: then returns what was read and leaves the rest. */
function readUpTo(
  body: UpstreamResponse['body'],
  limit: number,
): Promise<{ whole: Buffer } | { prefix: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        cleanup();
        body.pause();
        resolve({ prefix: chunks });
      }
    };
    const onEnd = () => {
      cleanup();
      resolve({ whole: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
  });
}

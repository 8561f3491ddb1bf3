// One exchange with a provider: attempts with a first-byte timeout, retried on network errors, timeouts, 429
// and 5xx with constant / linear / exponential backoff. The last attempt's provider response is returned as
// is (it passes through unchanged); only failures with no usable provider response become gateway errors.
// As Cloudflare documents, the final attempt of a retried exchange waits until the request completes, however
// long it takes: the request timeout applies to the attempts before it (a single attempt keeps its timeout,
// which then is the request's only limit). That rule holds where the exchange's failure is the answer; an
// exchange with a fallback after it (a universal step before the last, a route's model element whose fallback
// reaches another model) keeps its timeout on every attempt, since Cloudflare runs the fallback "after retries
// or timeout" and a step that times out hands over to the next one after its own retries.
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayCode, GatewayError } from '../pipeline/errors.js';
import type { Backoff } from '../pipeline/options.js';
import { type Cancel, sleep } from './cancel.js';
import {
  FirstByteTimeout,
  type Plan,
  type SendOptions,
  type UpstreamPools,
  type UpstreamResponse,
} from './pools.js';
import type { UpstreamTarget } from './providers.js';

/** JSON 2xx bodies up to this size are read whole before answering (usage, validation, caching). */
const JSON_BUFFER_LIMIT = 10 * 1024 * 1024;

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
  /** The final attempt of several waits without a timeout: true where nothing comes after a failure. */
  finalWaits: boolean;
}

function retryDelay(policy: RetryPolicy, failedAttempt: number): number {
  if (policy.delayMs <= 0) return 0;
  if (policy.backoff === 'linear') return policy.delayMs * failedAttempt;
  if (policy.backoff === 'exponential') return policy.delayMs * 2 ** (failedAttempt - 1);
  return policy.delayMs;
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** `application/json` or `…+json` (not ndjson / jsonl, which are streams of documents). */
function isJsonType(contentType: string | string[] | undefined): boolean {
  if (typeof contentType !== 'string') return false;
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

/** How an attempt's body is read: retried answers are discarded, JSON 2xx answers read whole, others streamed. */
function plan(statusCode: number, headers: IncomingHttpHeaders, last: boolean): Plan {
  if (!last && isRetryableStatus(statusCode)) return 'discard';
  const whole =
    statusCode >= 200 &&
    statusCode < 300 &&
    statusCode !== 204 &&
    isJsonType(headers['content-type']) &&
    !encoded(headers['content-encoding']) &&
    !(Number(headers['content-length']) > JSON_BUFFER_LIMIT);
  return whole ? 'whole' : 'stream';
}

export async function sendWithRetries(
  pools: UpstreamPools,
  target: UpstreamTarget,
  request: SendOptions,
  policy: RetryPolicy,
  client: Cancel,
): Promise<Outcome> {
  let failure: GatewayError | null = null;
  const planner = planFor(request.method);
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

    const timeoutMs = last && attempt > 1 && policy.finalWaits ? null : policy.timeoutMs;
    let res: UpstreamResponse;
    try {
      res = await pools.send(target, request, client, {
        planner,
        last,
        wholeLimit: JSON_BUFFER_LIMIT,
        timeoutMs,
      });
    } catch (err) {
      if (client.cancelled) return { kind: 'aborted', attempts: attempt };
      failure = classify(err, timeoutMs);
      continue;
    }

    if (!last && isRetryableStatus(res.statusCode)) {
      failure = null;
      continue;
    }
    const whole = res.whole;
    if (whole === null || whole.length === 0) {
      // Streamed, or nothing to validate or read usage from.
      return { kind: 'response', res, attempts: attempt, body: whole, json: undefined, prefix: res.prefix };
    }
    try {
      const json = JSON.parse(whole.toString('utf8'));
      return { kind: 'response', res, attempts: attempt, body: whole, json, prefix: null };
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

/** How a live attempt would read an answer to `method` (a HEAD answer has no body to read whole). */
export function planFor(method: string): typeof plan {
  return method === 'HEAD' ? planHead : plan;
}

function planHead(statusCode: number, headers: IncomingHttpHeaders, last: boolean): Plan {
  const p = plan(statusCode, headers, last);
  return p === 'whole' ? 'stream' : p;
}

function encoded(contentEncoding: string | string[] | undefined): boolean {
  return contentEncoding !== undefined && contentEncoding !== 'identity';
}

function classify(err: unknown, timeoutMs: number | null): GatewayError {
  const code = (err as { code?: string } | null)?.code;
  if (err instanceof FirstByteTimeout) {
    return new GatewayError(
      504,
      GatewayCode.ProviderFailure,
      `Failed to get response from provider: no response within ${timeoutMs} ms (request timeout)`,
    );
  }
  const detail = (err as Error | null)?.message ?? String(err);
  return new GatewayError(
    502,
    GatewayCode.ProviderFailure,
    `Failed to get response from provider: ${code ? `${code} ` : ''}${detail}`,
  );
}

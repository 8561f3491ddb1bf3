// Stage: record. The log record of one upstream step (usage, cost, what was sent and answered), or of a
// request the gateway refused, built after the answer is on its way.

import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { LogRecord } from '../store/logs/writer.js';
import { CutAtShutdown } from '../upstream/cancel.js';
import { computeCost } from './cost.js';
import type { GatewayError } from './errors.js';
import { rulePrices } from './rule-prices.js';
import type { RequestState, UpstreamStep } from './state.js';
import type { Usage } from './usage.js';

/** Stored request / response bodies keep at most this prefix. */
export const LOG_BODY_LIMIT = 1024 * 1024;
/** Log status for a client that went away before the answer was complete (nginx's convention). */
export const CLIENT_CLOSED = 499;

export interface LogFields {
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

/** Log status for a request the proxy cut itself at shutdown. */
const CUT = 503;

/** A step whose client went away, or that the proxy cut at shutdown: logged as what happened. */
export function cancelled(reason: Error | null): LogFields {
  const cut = reason instanceof CutAtShutdown;
  return {
    status: cut ? CUT : CLIENT_CLOSED,
    cached: false,
    usage: null,
    responseContentType: null,
    responseSize: null,
    responseHead: null,
    responseBody: null,
    error: cut ? reason.message : 'client disconnected',
  };
}

/**
 * Logs what one step did. A step whose log is not kept (collect_logs off, cf-aig-collect-log: false) still
 * counts in analytics, as on Cloudflare: its record goes to the writer without heads or bodies, and only its
 * counts are stored.
 */
export function record(state: RequestState, ex: UpstreamStep, f: LogFields): void {
  const keep = ex.opts.shouldLog;
  const usage = f.usage;
  const model = ex.model ?? usage?.model ?? '';
  let cost: number | null = null;
  let customCost = false;
  if (f.costOverride !== undefined) cost = f.costOverride;
  else if (usage && f.status !== null && f.status >= 200 && f.status < 300) {
    const priced = usage.model ?? ex.model;
    const rule = ex.opts.customCost
      ? null
      : rulePrices(state.services.runtime, state.route!.accountId, ex.provider, priced ?? '');
    const c = computeCost(ex.provider, priced, usage, ex.opts.customCost, rule);
    cost = c.cost;
    customCost = c.customCost;
  }
  ex.onCost?.(cost);
  const payload = keep && ex.opts.collectLogPayload;
  const gateway = state.gateway!;
  const entry: LogRecord = {
    id: ex.logId,
    accountId: state.route!.accountId,
    gatewayId: gateway.id,
    createdAt: new Date(ex.startMs),
    provider: ex.provider,
    model,
    modelType: null,
    path: ex.path,
    requestType: state.requestType,
    statusCode: f.status,
    success: f.status !== null && f.status >= 200 && f.status < 300 && f.error === null,
    cached: f.cached,
    duration: Math.round(performance.now() - ex.started),
    tokensIn: usage?.tokensIn ?? null,
    tokensOut: usage?.tokensOut ?? null,
    cost,
    customCost,
    metadata: ex.opts.metadata,
    step: ex.index,
    eventId: ex.opts.eventId,
    userAgent: str(state.req.headers['user-agent']),
    authentication: state.authenticated,
    requestContentType: ex.requestContentType,
    responseContentType: f.responseContentType,
    requestSize: ex.clientBody.length,
    responseSize: f.responseSize,
    requestHead: keep ? ex.requestHead : null,
    responseHead: keep ? f.responseHead : null,
    requestBody: payload ? bounded(ex.clientBody) : null,
    responseBody: payload && f.responseBody ? bounded(f.responseBody) : null,
    error: f.error,
    served: ex.served ?? null,
  };
  state.services.runtime.options.onAccess?.(entry);
  state.services.logs.enqueue(entry, gateway, keep);
}

/** Logs a request the gateway refused before any provider exchange (rate limit, bad header, 413...). */
export function recordRefusal(state: RequestState, err: GatewayError, logId: string): void {
  const gateway = state.gateway!;
  const keep = gateway.collect_logs !== false;
  const route = state.route!;
  const { req } = state;
  const entry: LogRecord = {
    id: logId,
    accountId: route.accountId,
    gatewayId: gateway.id,
    createdAt: new Date(state.startMs),
    provider: route.kind === 'provider' ? route.provider : route.kind,
    model: '',
    modelType: null,
    path: route.kind === 'universal' ? '' : route.rest,
    requestType: state.requestType,
    statusCode: err.httpCode,
    success: false,
    cached: false,
    duration: Math.round(performance.now() - state.started),
    tokensIn: null,
    tokensOut: null,
    cost: null,
    customCost: false,
    metadata: null,
    step: null,
    eventId: str(req.headers['cf-aig-event-id']),
    userAgent: str(req.headers['user-agent']),
    authentication: state.authenticated,
    requestContentType: str(req.headers['content-type']),
    responseContentType: 'application/json',
    requestSize: null,
    responseSize: null,
    requestHead: keep ? req.headers : null,
    responseHead: null,
    requestBody: null,
    responseBody: null,
    error: err.message,
  };
  state.services.runtime.options.onAccess?.(entry);
  state.services.logs.enqueue(entry, gateway, keep);
}

/** Tells the access hook about a request refused before admission (no route, 2001, 2009: never logged). */
export function accessOfRefusal(state: RequestState, err: GatewayError): void {
  const route = state.route;
  state.services.runtime.options.onAccess?.({
    id: null,
    accountId: route?.accountId ?? '',
    gatewayId: route?.gatewayId ?? '',
    createdAt: new Date(state.startMs),
    provider: route ? (route.kind === 'provider' ? route.provider : route.kind) : '',
    model: '',
    statusCode: err.httpCode,
    cached: false,
    duration: Math.round(performance.now() - state.started),
    cost: null,
  });
}

/** At most LOG_BODY_LIMIT bytes; a longer body is copied, so the record does not keep all of it alive. */
function bounded(body: Buffer): Buffer {
  if (body.length <= LOG_BODY_LIMIT) return body;
  return Buffer.from(body.subarray(0, LOG_BODY_LIMIT));
}

export function str(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

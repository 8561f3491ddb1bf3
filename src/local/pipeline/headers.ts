// The headers of an answer: the provider's (hop-by-hop ones dropped) and the gateway's own cf-aig-* ones.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { DROP_DOWN } from '../upstream/pools.js';
import type { RequestState, UpstreamStep } from './state.js';

/** A value that can travel in a header as it is (models come from request bodies: anything is possible). */
const HEADER_SAFE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * The cf-aig-* headers of a step's answer: its log id, the request's id (the first step's log id, so equal to
 * the log id when one step answers, as Cloudflare documents), the event id echoed, the cache status, the
 * universal step index, and, where the gateway chose the provider from the body (compat), the provider and
 * model it used.
 */
export function stepHeaders(
  state: RequestState,
  step: UpstreamStep,
  cacheStatus: 'HIT' | 'MISS' | null,
): Record<string, string> {
  const h: Record<string, string> = {
    'cf-aig-log-id': step.logId,
    'cf-aig-request-id': state.requestId ?? step.logId,
  };
  if (step.opts.eventId !== null) h['cf-aig-event-id'] = step.opts.eventId;
  if (cacheStatus) h['cf-aig-cache-status'] = cacheStatus;
  if (step.index !== null) h['cf-aig-step'] = String(step.index);
  if (step.routed) {
    if (HEADER_SAFE.test(step.provider)) h['cf-aig-provider'] = step.provider;
    if (step.model !== null && HEADER_SAFE.test(step.model)) h['cf-aig-model'] = step.model;
  }
  if (step.served) {
    // A dynamic route's name comes from the request body: sent only when a header can carry it as it is.
    if (HEADER_SAFE.test(step.served.route)) h['cf-aig-route'] = step.served.route;
    h['cf-aig-route-version'] = step.served.version;
  }
  return h;
}

/** The provider's headers for the client, plus `extra`; `rewritten` bodies lose their length and encoding. */
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

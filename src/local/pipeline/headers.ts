// The headers of an answer: the provider's (hop-by-hop ones dropped) and the gateway's own cf-aig-* ones.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { DROP_DOWN } from '../upstream/pools.js';
import type { UpstreamStep } from './state.js';

/** The cf-aig-* headers of a step's answer. */
export function stepHeaders(step: UpstreamStep, cacheStatus: 'HIT' | 'MISS' | null): Record<string, string> {
  const h: Record<string, string> = { 'cf-aig-log-id': step.logId };
  if (step.opts.eventId !== null) h['cf-aig-event-id'] = step.opts.eventId;
  if (cacheStatus) h['cf-aig-cache-status'] = cacheStatus;
  if (step.index !== null) h['cf-aig-step'] = String(step.index);
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

// Stage: admit. The gateway's rate limit (2003, with Retry-After); later, its spend limits. From here on a
// refusal is answered with a log id and logged: the caller may write into this gateway.
import { GatewayCode, GatewayError } from './errors.js';
import type { RequestState } from './state.js';

export function admit(state: RequestState): void {
  state.admitted = true;
  const gateway = state.gateway!;
  const limit = gateway.rate_limiting_limit;
  const interval = gateway.rate_limiting_interval;
  if (!limit || limit <= 0 || !interval || interval <= 0) return;
  const wait = state.services.limiter.take(
    limitKey(state.route!.accountId, gateway.id),
    limit,
    interval,
    gateway.rate_limiting_technique === 'sliding' ? 'sliding' : 'fixed',
    state.startMs,
  );
  if (wait > 0) {
    throw new GatewayError(429, GatewayCode.RateLimited, 'Rate limited', { 'retry-after': String(wait) });
  }
}

/** The rate limiter's key for one gateway. */
export function limitKey(accountId: string, gatewayId: string): string {
  return `${accountId}\u0000${gatewayId}`;
}

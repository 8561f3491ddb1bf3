// Stage: authenticate. A gateway with `authentication` on takes only requests whose `cf-aig-authorization`
// carries a bearer token: the configured API token, or any token when the local gateway has none. The REST API
// form (routes.ts) always needs that token, in `Authorization`: such a request is authenticated whatever the
// gateway's setting, and its `Authorization` is never a provider's key.
import { timingSafeEqual } from 'node:crypto';
import { GatewayCode, GatewayError } from './errors.js';
import type { RequestState } from './state.js';

const BEARER = /^Bearer\s+(\S.*)$/i;

export function unauthorized(): GatewayError {
  return new GatewayError(401, GatewayCode.Unauthorized, 'Unauthorized');
}

/** Whether the request's `cf-aig-authorization` is accepted (checked once per request). */
export function tokenAccepted(state: RequestState): boolean {
  const { headers } = state.req;
  const header =
    state.route?.kind === 'compat' && state.route.api
      ? headers.authorization
      : headers['cf-aig-authorization'];
  state.tokenAccepted ??= check(header, state.services.apiToken);
  return state.tokenAccepted;
}

function check(header: string | string[] | undefined, apiToken: Buffer | null): boolean {
  if (typeof header !== 'string') return false;
  const token = BEARER.exec(header)?.[1]?.trim();
  if (!token) return false;
  if (!apiToken) return true;
  const given = Buffer.from(token);
  return given.length === apiToken.length && timingSafeEqual(given, apiToken);
}

export function authenticate(state: RequestState): void {
  const route = state.route!;
  const required = state.gateway!.authentication === true || (route.kind === 'compat' && route.api === true);
  if (required && !tokenAccepted(state)) throw unauthorized();
  state.authenticated = required;
}

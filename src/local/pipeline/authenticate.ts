// Stage: authenticate. A gateway with `authentication` on takes only requests whose `cf-aig-authorization`
// carries a bearer token: the configured API token, or any token when the local gateway has none.
import { timingSafeEqual } from 'node:crypto';
import { GatewayCode, GatewayError } from './errors.js';
import type { RequestState } from './state.js';

const BEARER = /^Bearer\s+(\S.*)$/i;

export function unauthorized(): GatewayError {
  return new GatewayError(401, GatewayCode.Unauthorized, 'Unauthorized');
}

/** Whether the request's `cf-aig-authorization` is accepted (checked once per request). */
export function tokenAccepted(state: RequestState): boolean {
  state.tokenAccepted ??= check(state.req.headers['cf-aig-authorization'], state.services.apiToken);
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
  const required = state.gateway!.authentication === true;
  if (required && !tokenAccepted(state)) throw unauthorized();
  state.authenticated = required;
}

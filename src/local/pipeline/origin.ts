// Stage: origin, before all others. A browser request from an origin the proxy was not told to allow
// (http.ts decides) is refused with 403 before it can reach a provider with stored credentials. It is logged
// as refused when its gateway exists and the caller could write into it (as any other refusal); `default` is
// not created for it.
import { browserRefusal } from '../http.js';
import { tokenAccepted } from './authenticate.js';
import { GatewayCode, GatewayError } from './errors.js';
import { parseRoute } from './routes.js';
import type { RequestState } from './state.js';

export function checkOrigin(state: RequestState): void {
  const refusal = browserRefusal(state.req, state.services.runtime.options);
  if (refusal === null) return;
  const route = parseRoute(state.url.pathname);
  if (route) {
    const gateway = state.services.runtime.gateways.get(route.accountId, route.gatewayId);
    if (gateway && (gateway.authentication !== true || tokenAccepted(state))) {
      state.route = route;
      state.requestType = route.kind === 'universal' ? 'universal' : null;
      state.gateway = gateway;
      state.authenticated = gateway.authentication === true;
      state.admitted = true;
    }
  }
  throw new GatewayError(403, GatewayCode.OriginRefused, refusal);
}

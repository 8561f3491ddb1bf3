// Stage: resolve. The URL form (routes.ts) and the gateway it names: 2001 when there is none, except
// `default`, which Cloudflare creates on the first request allowed to use it.
import { defaultGatewaySettings } from '../../gateway-defaults.js';
import type { Gateway } from '../store/gateways.js';
import { tokenAccepted, unauthorized } from './authenticate.js';
import { GatewayCode, GatewayError } from './errors.js';
import { parseRoute } from './routes.js';
import type { RequestState } from './state.js';

export function resolveGateway(state: RequestState): void {
  const route = parseRoute(state.url.pathname);
  if (!route) {
    throw new GatewayError(
      404,
      GatewayCode.BadRequest,
      'Expected /v1/{account_id}/{gateway_id}/{provider}/...',
    );
  }
  state.route = route;
  state.requestType = route.kind === 'universal' ? 'universal' : null;
  const { gateways } = state.services.runtime;
  const found = gateways.get(route.accountId, route.gatewayId);
  state.gateway = found ?? (route.gatewayId === 'default' ? createDefault(state, route.accountId) : null);
  if (!state.gateway) {
    throw new GatewayError(
      400,
      GatewayCode.GatewayNotFound,
      'Please configure AI Gateway in the Cloudflare dashboard',
    );
  }
}

function createDefault(state: RequestState, accountId: string): Gateway | null {
  const { runtime } = state.services;
  const settings = defaultGatewaySettings(state.services.apiToken !== null);
  // Only a request that could use it creates it.
  if (settings.authentication && !tokenAccepted(state)) throw unauthorized();
  return (
    runtime.gateways.create(accountId, 'default', settings, runtime.options.now()) ??
    runtime.gateways.get(accountId, 'default')
  );
}

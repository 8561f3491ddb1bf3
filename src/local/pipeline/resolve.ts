// Stage: resolve. The URL form (routes.ts) and the gateway it names: 2001 when there is none (with a hint to
// create it locally), except `default`, which Cloudflare creates on the first request allowed to use it.
import { accountIdProblem, LOCAL_API, localTargetOptions } from '../../config/target.js';
import { defaultGatewaySettings } from '../../gateway-defaults.js';
import { shellQuote } from '../../io/shell-quote.js';
import type { Gateway } from '../store/gateways.js';
import { tokenAccepted, unauthorized } from './authenticate.js';
import { GatewayCode, GatewayError } from './errors.js';
import { parseApiRoute, parseRoute } from './routes.js';
import type { RequestState } from './state.js';

export function resolveGateway(state: RequestState): void {
  const { pathname } = state.url;
  const route = pathname.startsWith('/v1/')
    ? parseRoute(pathname)
    : parseApiRoute(pathname, state.get('cf-aig-gateway-id'));
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
      `Please configure AI Gateway in the Cloudflare dashboard. ${createHint(state, route.accountId, route.gatewayId)}`,
    );
  }
}

/**
 * Cloudflare's 2001 answer says to use its dashboard; the local gateway's adds how to create the gateway here: a
 * command that works when pasted (the CLI run as the proxy's banner says; `--local` when that reaches this
 * gateway, else `--local-url` with its address; the account when it is not the one this gateway serves), or the
 * API call when the CLI cannot name that account.
 */
function createHint(state: RequestState, accountId: string, gatewayId: string): string {
  const { host, accountId: served } = state.services.runtime.options;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${state.req.socket.localPort}`;
  const missing = `Local gateway: there is no gateway '${gatewayId}' in account '${accountId}'`;
  if (accountIdProblem(accountId, true) !== null) {
    return `${missing}; create it with POST ${origin}/client/v4/accounts/${encodeURIComponent(accountId)}/ai-gateway/gateways`;
  }
  const cli = state.services.runtime.options.cli ?? { command: 'aigw', localGoesTo: LOCAL_API };
  const target = localTargetOptions(`${origin}/client/v4`, cli.localGoesTo);
  const account = accountId === served ? '' : ` --account-id ${shellQuote(accountId)}`;
  return `${missing}; create it with: ${cli.command} ${target}${account} gateway create ${shellQuote(gatewayId)}`;
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

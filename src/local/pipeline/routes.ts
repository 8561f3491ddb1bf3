// URL forms under /v1/{account_id}/{gateway_id}/...:
//   (nothing)              the universal endpoint (a JSON array of steps, or one step)
//   compat/{rest}          the unified OpenAI-compatible endpoint
//   {provider}/{rest}      a provider-specific endpoint; {rest} is appended to the provider's base URL
// and Cloudflare's REST API form of the compat endpoint, /client/v4/accounts/{account_id}/ai/v1/chat/completions,
// whose gateway is named by `cf-aig-gateway-id` (the account's `default` without it) and whose `Authorization`
// carries the API token (`api` below).

export type Route =
  | { kind: 'universal'; accountId: string; gatewayId: string }
  | { kind: 'compat'; accountId: string; gatewayId: string; rest: string; api?: true }
  | { kind: 'provider'; accountId: string; gatewayId: string; provider: string; rest: string };

const API_CHAT = /^\/client\/v4\/accounts\/([^/]+)\/ai\/v1\/chat\/completions$/;

/** Whether a pathname is the REST API's chat completions, which the data plane serves. */
export function isApiChat(pathname: string): boolean {
  return API_CHAT.test(pathname);
}

/** The REST API form as a compat route on the gateway `gatewayHeader` names (`default` without one). */
export function parseApiRoute(pathname: string, gatewayHeader: string | undefined): Route | null {
  const accountId = decode(API_CHAT.exec(pathname)?.[1] ?? '');
  const gatewayId = gatewayHeader?.trim() || 'default';
  if (!accountId) return null;
  return { kind: 'compat', accountId, gatewayId, rest: 'chat/completions', api: true };
}

function decode(segment: string): string | null {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Parses a data-plane pathname (already known to start with /v1/); null when it has no gateway. */
export function parseRoute(pathname: string): Route | null {
  const accountEnd = pathname.indexOf('/', 4);
  if (accountEnd <= 4) return null;
  const accountId = decode(pathname.slice(4, accountEnd));
  let gatewayEnd = pathname.indexOf('/', accountEnd + 1);
  if (gatewayEnd === -1) gatewayEnd = pathname.length;
  const gatewayId = decode(pathname.slice(accountEnd + 1, gatewayEnd));
  if (!accountId || !gatewayId) return null;

  const providerStart = gatewayEnd + 1;
  if (providerStart >= pathname.length) return { kind: 'universal', accountId, gatewayId };
  let providerEnd = pathname.indexOf('/', providerStart);
  if (providerEnd === -1) providerEnd = pathname.length;
  const provider = pathname.slice(providerStart, providerEnd);
  const rest = pathname.slice(providerEnd + 1);
  if (provider === 'compat') return { kind: 'compat', accountId, gatewayId, rest };
  return { kind: 'provider', accountId, gatewayId, provider, rest };
}

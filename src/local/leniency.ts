// What the local gateway knowingly accepts that Cloudflare's would refuse, given how it was started: said in one
// line at start-up, so that nothing passing here is mistaken for something that will pass on Cloudflare. The
// README's "What the local gateway accepts that Cloudflare refuses" says why for each.
import { mockWanted } from './mock/server.js';
import type { LocalGatewayOptions } from './runtime.js';

export function acceptedBeyondCloudflare(options: Pick<LocalGatewayOptions, 'apiToken' | 'mock'>): string {
  const accepted: string[] = [];
  if (options.apiToken === undefined) {
    accepted.push('any bearer token (no --api-token)', 'the default gateway without cf-aig-authorization');
  }
  if (mockWanted(options.mock)) accepted.push('mocked providers without a provider key');
  accepted.push(
    'any account id',
    'a cf-aig-byok-alias with no stored key',
    'more than 20 gateways',
    "dynamic routes on a gateway without authentication or with the request's own provider key",
  );
  return `Accepted here, refused by Cloudflare: ${accepted.join(', ')}.`;
}

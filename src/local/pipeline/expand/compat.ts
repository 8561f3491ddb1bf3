// The unified OpenAI-compatible endpoint (`/compat/chat/completions`): `model` is `{provider}/{model}`, the
// compat adapter translates the request for the provider and the answer (JSON or SSE) back to OpenAI's shape.
// Logged under the real provider and model, with path `compat/chat/completions`.
import type { IncomingHttpHeaders } from 'node:http';
import { compatAdapterFor, parseCompatModel } from '../../compat/index.js';
import { withProviderHeaders } from '../../upstream/custom-providers.js';
import { upstreamHeaders } from '../../upstream/pools.js';
import { badRequest, GatewayCode, GatewayError, unknownProvider } from '../errors.js';
import type { EffectiveOptions, HeaderSource } from '../options.js';
import type { RequestState, UpstreamStep } from '../state.js';
import { storedKeyFor, storedKeyIdentity } from '../stored-keys.js';
import { authOf } from './provider.js';

const LEADING_SLASHES = /^\/+/;

export const COMPAT_PATHS = new Set(['chat/completions', 'v1/chat/completions']);

export interface CompatCall {
  body: Record<string, unknown>;
  clientBody: Buffer;
  rawHeaders: readonly string[];
  get: HeaderSource;
  requestHead: IncomingHttpHeaders | Record<string, string>;
  opts: EffectiveOptions;
  index: number | null;
}

/** `created` of a translated answer: when it is translated, on the runtime's clock. */
function epochSeconds(state: RequestState): number {
  return Math.floor(state.services.now() / 1000);
}

export function compatStep(state: RequestState, call: CompatCall): UpstreamStep {
  const { messages } = call.body;
  if (
    !Array.isArray(messages) ||
    messages.some((m) => typeof m !== 'object' || m === null || Array.isArray(m))
  ) {
    throw badRequest('Invalid messages: expected an array of message objects');
  }
  const target = parseCompatModel(call.body.model);
  if ('error' in target) throw badRequest(target.error);
  if (target.provider === 'dynamic') {
    throw new GatewayError(
      400,
      GatewayCode.UnknownProvider,
      'A dynamic route cannot call another route (model "dynamic/...")',
    );
  }
  const { providers } = state.services;
  if (!providers.isKnown(target.provider)) throw unknownProvider(target.provider);
  const adapter = compatAdapterFor(target.provider);
  const stream = call.body.stream === true;
  const upstreamPath = adapter.upstreamPath(target, stream);
  const q = upstreamPath.indexOf('?');
  const rest = (q === -1 ? upstreamPath : upstreamPath.slice(0, q)).replace(LEADING_SLASHES, '');
  const search = q === -1 ? '' : upstreamPath.slice(q);
  const resolved = providers.resolve(target.provider, rest, search, state.route!.accountId);

  const key = storedKeyFor(state, target.provider, call.get);
  const authorization = key ? `Bearer ${key.secret}` : call.get('authorization');
  const translated = adapter.toUpstream(call.body, target, authorization);
  // The adapter decides the credentials and content headers; everything else the client sent passes.
  const replaced = new Set(Object.keys(translated.headers).map((h) => h.toLowerCase()));
  replaced.add('authorization');
  replaced.add('content-type');
  const raw: string[] = [];
  const client = call.rawHeaders;
  for (let i = 0; i < client.length; i += 2) {
    if (!replaced.has(client[i]!.toLowerCase())) raw.push(client[i]!, client[i + 1]!);
  }
  for (const [name, value] of Object.entries(translated.headers)) raw.push(name, value);

  return {
    provider: target.provider,
    path: 'compat/chat/completions',
    cacheEndpoint: 'compat/chat/completions',
    target: resolved,
    method: 'POST',
    headers: withProviderHeaders(upstreamHeaders(raw, resolved.bearerToApiKey), resolved),
    body: translated.body,
    clientBody: call.clientBody,
    requestHead: call.requestHead,
    requestContentType: call.get('content-type') ?? 'application/json',
    model: target.model,
    authHeader: key ? storedKeyIdentity(key) : authOf(['authorization'], call.get),
    opts: call.opts,
    index: call.index,
    routed: true,
    adapter: {
      json: (status, json) => adapter.fromUpstream(status, json, target, epochSeconds(state)),
      stream: () => adapter.streamTranslator(target, epochSeconds(state)),
    },
    logId: '',
    startMs: 0,
    started: 0,
    cacheKey: null,
  };
}

// Provider-specific endpoints (`/{provider}/{rest}`): the body and the provider's headers pass through as they
// came (a stored key stands in for missing credentials); the JSON body is parsed once, only to learn the model.
import type { IncomingHttpHeaders } from 'node:http';
import { withProviderHeaders } from '../../upstream/custom-providers.js';
import { upstreamHeaders } from '../../upstream/pools.js';
import { badRequest } from '../errors.js';
import type { EffectiveOptions, HeaderSource } from '../options.js';
import type { RequestState, UpstreamStep } from '../state.js';
import { storedKeyFor, storedKeyIdentity, withStoredKey } from '../stored-keys.js';
import { modelFromRequest } from '../usage.js';
import { dynamicRouteName } from './route-name.js';

export interface ProviderCall {
  provider: string;
  rest: string;
  /** Query string including its '?', or ''. */
  search: string;
  method: string;
  /** Client headers as a flat [name, value, ...] list (node:http rawHeaders, or a universal step's merge). */
  rawHeaders: readonly string[];
  get: HeaderSource;
  requestHead: IncomingHttpHeaders | Record<string, string>;
  body: Buffer;
  /** The parsed body when the caller already has it. */
  json?: unknown;
  opts: EffectiveOptions;
  index: number | null;
}

function looksLikeJson(contentType: string | undefined, body: Buffer): boolean {
  if (body.length === 0) return false;
  if (contentType?.includes('json')) return true;
  const first = body[0];
  return contentType === undefined && (first === 0x7b || first === 0x5b); // '{' or '['
}

/** Credentials the provider reads, joined: part of the cache key. */
export function authOf(names: readonly string[], get: HeaderSource): string | null {
  let out: string | null = null;
  for (const name of names) {
    const v = get(name);
    if (v !== undefined) out = out === null ? `${name}=${v}` : `${out}\n${name}=${v}`;
  }
  return out;
}

export function providerStep(state: RequestState, call: ProviderCall): UpstreamStep {
  const { providers } = state.services;
  const target = providers.resolve(call.provider, call.rest, call.search, state.route!.accountId);
  const authNames = providers.authHeaders(call.provider);
  const key = storedKeyFor(state, call.provider, call.get);
  const raw = key
    ? withStoredKey(call.rawHeaders, authNames, providers.keyHeader(call.provider, key.secret))
    : call.rawHeaders;
  const contentType = call.get('content-type');
  let json = call.json;
  // The model names the request in its log, its analytics row and its cache key.
  if (json === undefined && looksLikeJson(contentType, call.body)) {
    try {
      json = JSON.parse(call.body.toString('utf8'));
    } catch {
      // Provider endpoints pass any body through; a body that is not JSON just has no model to read.
      json = undefined;
    }
  }
  refuseRoute(json);
  return {
    provider: call.provider,
    path: call.rest,
    cacheEndpoint: call.rest + call.search,
    target,
    method: call.method,
    headers: withProviderHeaders(upstreamHeaders(raw, target.bearerToApiKey), target),
    body: call.body.length > 0 ? call.body : null,
    clientBody: call.body,
    requestHead: call.requestHead,
    requestContentType: contentType ?? null,
    model: modelFromRequest(call.provider, call.rest, json),
    authHeader: key ? storedKeyIdentity(key) : authOf(authNames, call.get),
    opts: call.opts,
    index: call.index,
    routed: false,
    adapter: null,
    logId: '',
    startMs: 0,
    started: 0,
    cacheKey: null,
  };
}

/**
 * Cloudflare runs dynamic routes for the OpenAI chat completions shape only and answers other formats (Anthropic
 * Messages...) with a 400. A provider endpoint names its provider where a route picks its own: a body there whose
 * model is `dynamic/{name}` is refused rather than sent to a provider that knows no such model.
 */
function refuseRoute(json: unknown): void {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return;
  const { model } = json as { model?: unknown };
  if (typeof model !== 'string' || dynamicRouteName({ model }) === null) return;
  throw badRequest(
    `Dynamic routes take the OpenAI chat completions shape on compat/chat/completions (or a universal compat step), not a provider endpoint: model "${model.slice(0, 100)}"`,
  );
}

/** For the universal endpoint: a step body as bytes (a string stays as is, anything else is JSON). */
export function stepBody(query: unknown): Buffer {
  if (query === undefined || query === null) return Buffer.alloc(0);
  if (typeof query === 'string') return Buffer.from(query);
  return Buffer.from(JSON.stringify(query));
}

export function requireJsonObject(body: Buffer, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest(`Malformed JSON in the ${what} request body`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest(`The ${what} request body must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

// The management API (/client/v4/...): authentication, a table of path patterns, dispatch, envelopes.
// A resource module exports its routes; adding a resource is one line in `routeTable`. Every AI Gateway
// route must be an operation of the contract, whose request body schema validates what the route reads.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http.js';
import type { Runtime } from '../runtime.js';
import { accountRoutes } from './accounts.js';
import { analyticsRoutes } from './analytics.js';
import { authenticate, type Credentials } from './auth.js';
import { requestBodySchema } from './contract.js';
import { customProviderRoutes } from './custom-providers.js';
import { datasetRoutes } from './datasets.js';
import { ApiError, methodNotAllowed, noRoute, type Reply } from './envelope.js';
import { evaluationRoutes } from './evaluations.js';
import { gatewayRoutes } from './gateways.js';
import { logRoutes } from './logs.js';
import { providerConfigRoutes } from './provider-configs.js';
import { createContext, type RequestContext } from './request.js';
import { dynamicRouteRoutes } from './routes.js';
import type { Schema } from './validate.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type RouteHandler = (ctx: RequestContext) => Reply | Promise<Reply>;

/** A path pattern below /client/v4 (`:name` matches one segment) and its handler per method. */
export type Route = { path: string } & { [M in Method]?: RouteHandler };

const methods: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const prefix = '/client/v4';

function routeTable(runtime: Runtime): Route[] {
  return [
    ...accountRoutes(runtime),
    ...gatewayRoutes(runtime),
    ...logRoutes(runtime),
    ...providerConfigRoutes(runtime),
    ...customProviderRoutes(runtime),
    ...datasetRoutes(runtime),
    ...evaluationRoutes(runtime),
    ...dynamicRouteRoutes(runtime),
    ...analyticsRoutes(runtime),
  ];
}

type Segment = { literal: string } | { param: string };

interface CompiledRoute {
  route: Route;
  segments: Segment[];
  /** The contract's request body schema per method, for the AI Gateway operations that take one. */
  bodySchemas: Partial<Record<Method, Schema>>;
}

/** The routes a control plane serves, as (method, path) pairs: the contract coverage test reads them. */
export function servedRoutes(runtime: Runtime): { method: Method; path: string }[] {
  return routeTable(runtime).flatMap((route) =>
    methods.filter((m) => route[m]).map((method) => ({ method, path: route.path })),
  );
}

export function createControlPlane(runtime: Runtime) {
  const compiled = routeTable(runtime).map(compile);

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    let reply: Reply;
    try {
      const credentials = authenticate(req, runtime);
      reply = await dispatch(compiled, { runtime, req, url, credentials });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      reply = err.reply();
    }
    if (reply.body instanceof Uint8Array) {
      // Raw bytes (a logged request or response body) go out as they are, with the handler's content type.
      res.writeHead(reply.status, { 'content-length': reply.body.byteLength, ...reply.headers });
      res.end(reply.body);
    } else {
      sendJson(res, reply.status, reply.body, reply.headers);
    }
  };
}

interface Incoming {
  runtime: Runtime;
  req: IncomingMessage;
  url: URL;
  credentials: Credentials;
}

async function dispatch(compiled: CompiledRoute[], { runtime, req, url, credentials }: Incoming) {
  const path = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : url.pathname;
  const parts = path.split('/').slice(1);
  if (parts.at(-1) === '') parts.pop();
  const found = match(compiled, parts);
  if (!found) throw noRoute();
  const method = (req.method ?? 'GET').toUpperCase();
  const handler = methods.includes(method as Method) ? found.route[method as Method] : undefined;
  if (!handler)
    throw methodNotAllowed(
      method,
      methods.filter((m) => found.route[m]),
    );
  const bodySchema = found.compiled.bodySchemas[method as Method] ?? null;
  return handler(createContext(runtime, req, url, found.params, credentials, bodySchema));
}

function compile(route: Route): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((part): Segment => (part.startsWith(':') ? { param: part.slice(1) } : { literal: part }));
  const bodySchemas: CompiledRoute['bodySchemas'] = {};
  // Routes outside /accounts/{account_id}/ai-gateway (the account list, GraphQL) are not in the contract.
  if (route.path.startsWith('/accounts/:account_id/ai-gateway/')) {
    for (const method of methods) {
      if (!route[method]) continue;
      const schema = requestBodySchema(method, route.path);
      if (schema) bodySchemas[method] = schema;
    }
  }
  return { route, segments, bodySchemas };
}

/** The matching route; where several match, the one with a literal segment earliest wins. */
function match(compiled: CompiledRoute[], parts: string[]) {
  let best: { compiled: CompiledRoute; route: Route; params: Record<string, string>; rank: string } | null =
    null;
  for (const candidate of compiled) {
    const { route, segments } = candidate;
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let rank = '';
    let matched = true;
    for (const [i, segment] of segments.entries()) {
      const part = decode(parts[i]!);
      if (part === null || part === '') matched = false;
      else if ('literal' in segment) {
        matched = segment.literal === part;
        rank += '0';
      } else {
        params[segment.param] = part;
        rank += '1';
      }
      if (!matched) break;
    }
    if (matched && (!best || rank < best.rank)) best = { compiled: candidate, route, params, rank };
  }
  return best;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

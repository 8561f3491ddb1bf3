// What the pipeline's stages share: the data plane's services, one request's state (filled in stage by stage),
// and the upstream steps a request expands into (each also holds what its own run found out).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { CassetteStore } from '../cassettes/store.js';
import type { StreamTranslator } from '../compat/index.js';
import type { Runtime } from '../runtime.js';
import type { ResponseCache } from '../store/cache.js';
import type { Gateway } from '../store/gateways.js';
import type { LogWriter, ServedBy } from '../store/logs/writer.js';
import type { Cancel } from '../upstream/cancel.js';
import type { UpstreamPools } from '../upstream/pools.js';
import type { ProviderTable, UpstreamTarget } from '../upstream/providers.js';
import type { GatewayError } from './errors.js';
import type { EffectiveOptions, HeaderSource } from './options.js';
import type { RateLimiter } from './rate-limit.js';
import type { RouteLimits } from './route-limits.js';
import type { Route } from './routes.js';

export interface Services {
  runtime: Runtime;
  pools: UpstreamPools;
  providers: ProviderTable;
  cache: ResponseCache;
  logs: LogWriter;
  limiter: RateLimiter;
  /** Recordings to answer from or save to (`aigw proxy --record / --replay`); null for live upstreams. */
  cassettes: CassetteStore | null;
  /** The gateway's API token, when it checks `cf-aig-authorization`. */
  apiToken: Buffer | null;
  /** The runtime's clock, in epoch milliseconds. */
  now: () => number;
  /** Dynamic routes: their rate and budget counters, and the draws of their percentage splits. */
  routeLimits: RouteLimits;
  random: () => number;
}

export interface RequestState {
  readonly services: Services;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Reads one request header by lower-case name (repeated headers joined). */
  readonly get: HeaderSource;
  /** Arrival, on the runtime's clock (log times, rate-limit windows) and on the monotonic one (durations). */
  readonly startMs: number;
  readonly started: number;
  /** resolve: the URL form and the gateway it names. */
  route: Route | null;
  gateway: Gateway | null;
  /** authenticate: whether `cf-aig-authorization` carries an accepted token (checked at most once). */
  tokenAccepted: boolean | null;
  /** The gateway requires authentication (and the request passed it). */
  authenticated: boolean;
  /** From here on, a refusal is answered with a log id and logged. */
  admitted: boolean;
  /** Cancelled when the client goes away before its answer is complete. */
  readonly cancel: Cancel;
  /** `universal` for the universal endpoint, as logged. */
  requestType: string | null;
  /** options: the cf-aig-* options merged with the gateway's settings. */
  opts: EffectiveOptions | null;
  /** body: the request body as the client sent it. */
  body: Buffer | null;
  /** The step whose failure is the answer (it is logged already). */
  failedStep: UpstreamStep | null;
  /** `cf-aig-request-id`: the log id of the request's first step, or of its refusal. */
  requestId: string | null;
}

/** Rewrites provider answers into another API's shape (the compat endpoint). */
interface ResponseAdapter {
  json(status: number, json: unknown): unknown;
  stream(): StreamTranslator;
}

/** One upstream exchange the request expanded into: what to send, how to log and cache it, and its run. */
export interface UpstreamStep {
  /** Provider slug: log, usage and cost. */
  provider: string;
  /** The provider rest path, as logged. */
  path: string;
  /** Endpoint (path and query) for the cache key. */
  cacheEndpoint: string;
  target: UpstreamTarget;
  method: string;
  /** Upstream headers, as a flat [name, value, ...] list. */
  headers: string[];
  /** Upstream body. */
  body: Buffer | null;
  /** The body as the client sent it (cache key, log). */
  clientBody: Buffer;
  requestHead: IncomingHttpHeaders | Record<string, string>;
  requestContentType: string | null;
  model: string | null;
  /** Provider credentials, for the cache key (two keys never share an entry). */
  authHeader: string | null;
  opts: EffectiveOptions;
  /** The position in a universal request (`cf-aig-step`), null for the other forms. */
  index: number | null;
  /** The gateway chose provider and model from the body (compat): the answer names them (`cf-aig-provider`,
   *  `cf-aig-model`), as Cloudflare's does for a dynamic route. */
  routed: boolean;
  adapter: ResponseAdapter | null;
  /** The run: its log id, start (both clocks) and cache key (null when it is not cached). */
  logId: string;
  startMs: number;
  started: number;
  cacheKey: string | null;
  /** A dynamic route's model element: its answer and its log name the route, version and element. */
  served?: ServedBy;
  /** Told the step's cost once it is recorded (a dynamic route's budgets count it). */
  onCost?: (cost: number | null) => void;
}

/** The steps a request expands into, one at a time: a dynamic route decides its next step after a failure. */
export interface StepSource {
  /** The next step to try and whether its failure is the answer; null when there is none. */
  next(): { step: UpstreamStep; isLast: boolean } | null;
  /** The answer when the steps ran out before one was the last. */
  failure(): GatewayError;
}

/** `answered`: the client has its answer (or is gone). `fallback`: this step failed; try the next one. */
export type StepResult = 'answered' | 'fallback';

export function newRequestState(
  services: Services,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cancel: Cancel,
): RequestState {
  const headers = req.headers;
  return {
    services,
    req,
    res,
    url,
    get: (name) => {
      const v = headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    },
    startMs: services.now(),
    started: performance.now(),
    route: null,
    gateway: null,
    tokenAccepted: null,
    authenticated: false,
    admitted: false,
    cancel,
    requestType: null,
    opts: null,
    body: null,
    failedStep: null,
    requestId: null,
  };
}

// The AI gateway data plane: /v1/{account_id}/{gateway_id}/... as gateway.ai.cloudflare.com serves it.
// Per request: route → gateway (2001; `default` created on first use) → gateway auth (2009) → rate limit
// (2003) → cf-aig-* options (400) → body (413) → the URL form's exchange(s) (exchange.ts).
//
// Every answer after the gateway is resolved carries `cf-aig-log-id` (a ULID), also when the log is not stored
// (collect_logs off, `cf-aig-collect-log: false`): the id then names no log. 2001 and 2009 answers are not
// logged (there is no gateway, or the caller is not allowed to write into it); other refusals are.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultGatewaySettings } from '../../gateway-defaults.js';
import { type MockUpstream, mockBaseUrl, startMockUpstream } from '../mock/server.js';
import type { Runtime } from '../runtime.js';
import type { Gateway } from '../store/gateways.js';
import { LogWriter, newLogId } from '../store/logs/writer.js';
import { Cancel, ClientGone } from '../upstream/cancel.js';
import { customProviderLookup } from '../upstream/custom-providers.js';
import { UpstreamPools } from '../upstream/pools.js';
import { ProviderTable } from '../upstream/providers.js';
import { readBody } from './body.js';
import { ResponseCache } from './cache.js';
import {
  GatewayCode,
  GatewayError,
  sendGatewayError,
  sendGatewayNotFound,
  sendRateLimited,
  sendUnauthorized,
} from './errors.js';
import { type RequestContext, runExchange, type Services } from './exchange.js';
import { COMPAT_PATHS, compatExchange } from './expand/compat.js';
import { providerExchange, requireJsonObject } from './expand/provider.js';
import { handleUniversal } from './expand/universal.js';
import { logRejection } from './log-record.js';
import { type EffectiveOptions, type HeaderSource, requestOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { parseRoute, type Route } from './routes.js';

export interface DataPlane {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
  /** Writes every pending log record now. */
  flushLogs(): void;
  /** Flushes pending log writes, closes upstream connections and the mock upstream. */
  close(): Promise<void>;
}

const BEARER = /^Bearer\s+(\S.*)$/i;

const byRuntime = new WeakMap<Runtime, DataPlane>();

/** The data plane serving a runtime (tests flush its logs through it). */
export function dataPlaneOf(runtime: Runtime): DataPlane | undefined {
  return byRuntime.get(runtime);
}

export function createDataPlane(runtime: Runtime): DataPlane {
  const providers = new ProviderTable(
    runtime.options.upstreams,
    customProviderLookup(runtime.customProviders),
  );
  const services: Services = {
    runtime,
    pools: new UpstreamPools(),
    providers,
    cache: new ResponseCache(runtime),
    logs: new LogWriter(runtime),
    limiter: new RateLimiter(),
  };
  runtime.gateways.onChange((accountId, before) => {
    if (before) services.limiter.forget(`${accountId}\u0000${before.id}`);
  });

  // The mock upstream starts on the first request that needs it.
  const mockFor = mockedProviders(runtime.options.mock);
  let mock: Promise<MockUpstream> | null = null;
  const ensureMock = (serves: (slug: string) => boolean): Promise<MockUpstream> => {
    mock ??= startMockUpstream({ host: '127.0.0.1', port: 0 }).then((m) => {
      providers.useMock((slug) => (serves(slug) ? mockBaseUrl(m, slug) : null));
      return m;
    });
    mock.catch(() => {
      mock = null;
    });
    return mock;
  };
  const apiToken = runtime.options.apiToken ? Buffer.from(runtime.options.apiToken) : null;

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers['cf-aig-authorization'];
    if (typeof header !== 'string') return false;
    const token = BEARER.exec(header)?.[1]?.trim();
    if (!token) return false;
    if (!apiToken) return true;
    const given = Buffer.from(token);
    return given.length === apiToken.length && timingSafeEqual(given, apiToken);
  };

  const resolveGateway = (
    accountId: string,
    gatewayId: string,
    isAuthorized: () => boolean,
  ): Gateway | null => {
    const found = runtime.gateways.get(accountId, gatewayId);
    if (found || gatewayId !== 'default') return found;
    const settings = defaultGatewaySettings(Boolean(runtime.options.apiToken));
    // Cloudflare creates `default` on the first authenticated request.
    if (settings.authentication && !isAuthorized()) return null;
    return (
      runtime.gateways.create(accountId, 'default', settings, runtime.options.now()) ??
      runtime.gateways.get(accountId, 'default')
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = parseRoute(url.pathname);
    if (!route) {
      sendGatewayError(
        res,
        new GatewayError(
          404,
          GatewayCode.BadRequest,
          'Expected /v1/{account_id}/{gateway_id}/{provider}/...',
        ),
      );
      return;
    }
    let authChecked: boolean | null = null;
    const isAuthorized = () => (authChecked ??= authorized(req));
    const gateway = resolveGateway(route.accountId, route.gatewayId, isAuthorized);
    if (!gateway) {
      if (route.gatewayId === 'default') sendUnauthorized(res);
      else sendGatewayNotFound(res);
      return;
    }
    if (gateway.authentication === true && !isAuthorized()) {
      sendUnauthorized(res);
      return;
    }

    const cancel = new Cancel();
    res.once('close', () => {
      if (!res.writableFinished) cancel.cancel(new ClientGone());
    });
    const ctx: RequestContext = {
      services,
      req,
      res,
      accountId: route.accountId,
      gateway,
      cancel,
      requestType: route.kind === 'universal' ? 'universal' : null,
      authenticated: gateway.authentication === true,
    };
    const startMs = Date.now();
    const started = performance.now();
    const logProvider = route.kind === 'provider' ? route.provider : route.kind;
    const logPath = route.kind === 'universal' ? '' : route.rest;

    try {
      const limit = gateway.rate_limiting_limit;
      const interval = gateway.rate_limiting_interval;
      if (limit && limit > 0 && interval && interval > 0) {
        const wait = services.limiter.take(
          `${route.accountId}\u0000${gateway.id}`,
          limit,
          interval,
          gateway.rate_limiting_technique === 'sliding' ? 'sliding' : 'fixed',
          startMs,
        );
        if (wait > 0) {
          const logId = newLogId(startMs);
          sendRateLimited(res, wait, { 'cf-aig-log-id': logId });
          logRejection(
            ctx,
            logProvider,
            logPath,
            new GatewayError(429, GatewayCode.RateLimited, 'Rate limited'),
            logId,
            startMs,
            started,
          );
          return;
        }
      }
      if (mockFor !== null && needsMock(route, mockFor)) await ensureMock(mockFor);
      await dispatch(ctx, route, url);
    } catch (err) {
      const gatewayError =
        err instanceof GatewayError
          ? err
          : new GatewayError(500, GatewayCode.Internal, `Internal gateway error: ${(err as Error).message}`);
      const logId = newLogId(startMs);
      const headers: Record<string, string> = { 'cf-aig-log-id': logId };
      if (gatewayError.httpCode === 413) headers.connection = 'close';
      sendGatewayError(res, gatewayError, headers);
      logRejection(ctx, logProvider, logPath, gatewayError, logId, startMs, started);
    }
  };

  const dispatch = async (ctx: RequestContext, route: Route, url: URL): Promise<void> => {
    const { req } = ctx;
    const get: HeaderSource = (name) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    if (route.kind === 'universal' && req.method !== 'POST') {
      throw new GatewayError(405, GatewayCode.BadRequest, 'The universal endpoint takes POST only');
    }
    if (route.kind === 'compat' && !COMPAT_PATHS.has(route.rest)) {
      throw new GatewayError(404, GatewayCode.BadRequest, `No compat endpoint '${route.rest}'`);
    }
    if (route.kind === 'provider' && !providers.isKnown(route.provider)) {
      throw new GatewayError(400, GatewayCode.UnknownProvider, `Unknown provider '${route.provider}'`);
    }
    const opts = requestOptions(req.rawHeaders, get, ctx.gateway);
    if (opts instanceof GatewayError) throw opts;

    let body = readBody(req, runtime.options.maxBodyBytes);
    if (body instanceof Promise) body = await body;
    if (body === null) return; // the client went away while sending
    if (body instanceof GatewayError) throw body;

    if (route.kind === 'universal') {
      await handleUniversal(ctx, body, get);
      return;
    }
    const exchange =
      route.kind === 'compat'
        ? compatFromRequest(ctx, body, get, opts)
        : providerExchange(ctx, {
            provider: route.provider,
            rest: route.rest,
            search: url.search,
            method: req.method ?? 'GET',
            rawHeaders: req.rawHeaders,
            get,
            requestHead: req.headers,
            body,
            opts,
            step: null,
          });
    if (exchange instanceof GatewayError) throw exchange;
    await runExchange(ctx, exchange, true);
  };

  const compatFromRequest = (
    ctx: RequestContext,
    body: Buffer,
    get: HeaderSource,
    opts: EffectiveOptions,
  ) => {
    if (ctx.req.method !== 'POST') {
      return new GatewayError(405, GatewayCode.BadRequest, 'compat/chat/completions takes POST only');
    }
    const json = requireJsonObject(body, 'chat completions');
    if (json instanceof GatewayError) return json;
    return compatExchange(ctx, {
      body: json,
      clientBody: body,
      rawHeaders: ctx.req.rawHeaders,
      get,
      requestHead: ctx.req.headers,
      opts,
      step: null,
    });
  };

  const dataPlane: DataPlane = {
    handle,
    flushLogs: () => services.logs.flush(),
    close: async () => {
      await services.logs.close();
      await services.pools.close();
      if (mock) await (await mock.catch(() => null))?.close();
    },
  };
  byRuntime.set(runtime, dataPlane);
  return dataPlane;
}

function mockedProviders(mock: boolean | string[]): ((slug: string) => boolean) | null {
  if (mock === true) return () => true;
  if (Array.isArray(mock) && mock.length > 0) {
    const set = new Set(mock);
    return (slug) => set.has(slug);
  }
  return null;
}

/** Whether a request may reach a mocked provider (universal and compat bodies name theirs later). */
function needsMock(route: Route, mockFor: (slug: string) => boolean): boolean {
  return route.kind !== 'provider' || mockFor(route.provider);
}

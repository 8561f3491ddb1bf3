// The AI gateway data plane: /v1/{account_id}/{gateway_id}/... as gateway.ai.cloudflare.com serves it, as a
// pipeline of stages over one request state (state.ts). A request's whole life is `handle` below:
//
//   origin       a browser request from an origin not allowed (403)                           origin.ts
//   resolve      the URL form and the gateway (2001; `default` is created on first use)      resolve.ts
//   authenticate cf-aig-authorization on an authenticated gateway (2009)                      authenticate.ts
//   admit        the gateway's rate limit (2003)                                              admit.ts
//   options      what the URL rules out (405, 404, 400), then the cf-aig-* options (400)      expand/, options.ts
//   body         the request body (413)                                                       body.ts
//   expand       the URL form becomes upstream steps: provider, compat, universal or a route   expand/
//   each step    cache -> upstream with retries and timeouts -> relay -> record               step.ts
//
// Stages throw GatewayError; `refuse` is the one place that turns it into Cloudflare's envelope. Every answer
// after admission carries `cf-aig-log-id` (a ULID), also when the log is not stored (collect_logs off,
// `cf-aig-collect-log: false`): the id then names no log. 2001 and 2009 answers are not logged (there is no
// gateway, or the caller is not allowed to write into it); other refusals are.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CassetteStore } from '../cassettes/store.js';
import type { Runtime } from '../runtime.js';
import { ResponseCache } from '../store/cache.js';
import { newLogId } from '../store/logs/writer.js';
import { Cancel, ClientGone, CutAtShutdown } from '../upstream/cancel.js';
import { customProviderLookup } from '../upstream/custom-providers.js';
import { UpstreamPools } from '../upstream/pools.js';
import { type MockBase, ProviderTable } from '../upstream/providers.js';
import { admit, limitKey } from './admit.js';
import { authenticate } from './authenticate.js';
import { BodyMemory, readBody } from './body.js';
import { asGatewayError, sendGatewayError } from './errors.js';
import { checkForm, expand } from './expand/index.js';
import { stepHeaders } from './headers.js';
import { readOptions } from './options.js';
import { checkOrigin } from './origin.js';
import { RateLimiter } from './rate-limit.js';
import { accessOfRefusal, recordRefusal } from './record.js';
import { resolveGateway } from './resolve.js';
import { RouteLimits } from './route-limits.js';
import { newRequestState, type RequestState, type Services } from './state.js';
import { runStep } from './step.js';

export interface DataPlane {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** From now on a request whose connection closes before its answer is over was cut by the proxy. */
  stopping(): void;
  /** Closes upstream connections. */
  close(): Promise<void>;
}

/** `mockBase`: the built-in mock upstream's base URL for the providers it answers (`--mock`). */
export function createDataPlane(runtime: Runtime, mockBase: MockBase | null): DataPlane {
  const { options } = runtime;
  const bodies = new BodyMemory(options.maxBodyMemoryBytes, options.collectGarbage);
  const services: Services = {
    runtime,
    pools: new UpstreamPools(),
    providers: new ProviderTable(options.upstreams, customProviderLookup(runtime.customProviders), mockBase),
    cache: new ResponseCache(runtime),
    logs: runtime.logs,
    limiter: new RateLimiter(),
    cassettes: options.cassettes ? new CassetteStore(options.cassettes, options.now) : null,
    apiToken: options.apiToken ? Buffer.from(options.apiToken) : null,
    now: () => options.now().getTime(),
    routeLimits: new RouteLimits(),
    random: options.random ?? Math.random,
  };
  runtime.gateways.onChange((accountId, before) => {
    if (before) services.limiter.forget(limitKey(accountId, before.id));
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const cancel = new Cancel();
    res.once('close', () => {
      if (!res.writableFinished) cancel.cancel(stopping ? new CutAtShutdown() : new ClientGone());
    });
    const state = newRequestState(services, req, res, url, cancel);
    try {
      checkOrigin(state);
      resolveGateway(state);
      authenticate(state);
      admit(state);
      checkForm(state);
      readOptions(state);
      let body = readBody(req, res, options.maxBodyBytes, bodies);
      if (body instanceof Promise) body = await body;
      if (body === null) return; // the client went away while sending
      state.body = body;
      const steps = expand(state);
      for (let next = steps.next(); next !== null; next = steps.next()) {
        if ((await runStep(state, next.step, next.isLast)) === 'answered') return;
      }
      throw steps.failure();
    } catch (err) {
      refuse(state, err);
    }
  };

  let stopping = false;
  return {
    handle,
    stopping: () => {
      stopping = true;
    },
    close: () => services.pools.close(),
  };
}

/** The one place a failure becomes Cloudflare's envelope (and, once the request was admitted, a log). */
function refuse(state: RequestState, thrown: unknown): void {
  const err = asGatewayError(thrown);
  if (!state.admitted) {
    sendGatewayError(state.res, err);
    accessOfRefusal(state, err);
    return;
  }
  if (state.failedStep) {
    // The last upstream step failed: its log is written, its headers name it.
    sendGatewayError(state.res, err, stepHeaders(state, state.failedStep, null));
    return;
  }
  const logId = newLogId(state.startMs);
  sendGatewayError(state.res, err, { 'cf-aig-log-id': logId, 'cf-aig-request-id': state.requestId ?? logId });
  recordRefusal(state, err, logId);
}

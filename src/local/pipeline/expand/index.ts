// Stage: expand. The URL form becomes the upstream steps to run, in fallback order: one for a provider
// endpoint or the compat endpoint, one per step of a universal body, and for a compat request (or a universal
// `compat` step) whose model is `dynamic/{name}` the steps its route's flow decides, one after another
// (dynamic.ts).
import { GatewayCode, GatewayError, unknownProvider } from '../errors.js';
import type { RequestState, StepSource } from '../state.js';
import { COMPAT_PATHS, type CompatCall, compatStep } from './compat.js';
import { dynamicSteps } from './dynamic.js';
import { providerStep, requireJsonObject } from './provider.js';
import { dynamicRouteName } from './route-name.js';
import { chain, inOrder } from './sources.js';
import { universalSources } from './universal.js';

/** What the URL alone rules out (405, 404, 400), before the options and the body are read. */
export function checkForm(state: RequestState): void {
  const route = state.route!;
  if (route.kind === 'universal' && state.req.method !== 'POST') {
    throw new GatewayError(405, GatewayCode.BadRequest, 'The universal endpoint takes POST only');
  }
  if (route.kind === 'compat' && !COMPAT_PATHS.has(route.rest)) {
    throw new GatewayError(404, GatewayCode.BadRequest, `No compat endpoint '${route.rest}'`);
  }
  if (route.kind === 'provider' && !state.services.providers.isKnown(route.provider)) {
    throw unknownProvider(route.provider);
  }
}

export function expand(state: RequestState): StepSource {
  const route = state.route!;
  const { req } = state;
  if (route.kind === 'universal') return chain(universalSources(state));
  if (route.kind === 'compat') {
    if (req.method !== 'POST') {
      throw new GatewayError(405, GatewayCode.BadRequest, 'compat/chat/completions takes POST only');
    }
    const call: CompatCall = {
      body: requireJsonObject(state.body!, 'chat completions'),
      clientBody: state.body!,
      rawHeaders: req.rawHeaders,
      // The REST API form's Authorization is the API token: never a provider key (a stored key stands in).
      get: route.api ? (name) => (name === 'authorization' ? undefined : state.get(name)) : state.get,
      requestHead: req.headers,
      opts: state.opts!,
      index: null,
    };
    const name = dynamicRouteName(call.body);
    if (name !== null) return dynamicSteps(state, name, call);
    return inOrder([compatStep(state, call)]);
  }
  const step = providerStep(state, {
    provider: route.provider,
    rest: route.rest,
    search: state.url.search,
    method: req.method ?? 'GET',
    rawHeaders: req.rawHeaders,
    get: state.get,
    requestHead: req.headers,
    body: state.body!,
    opts: state.opts!,
    index: null,
  });
  return inOrder([step]);
}

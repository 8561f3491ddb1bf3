// The universal endpoint: POST /v1/{account}/{gateway} with a JSON array of steps (or one step object),
// each `{provider, endpoint, headers?, query, config?}`. Steps run in order as a fallback chain: a step that
// fails (network error, timeout, or any non-2xx answer, after its own retries) hands over to the next one; the
// answer carries `cf-aig-step: N`. Every step that ran is logged with its `step` and request_type 'universal'.
//
// Header precedence per step: the step's `config` > the step's `headers` > the request's headers > gateway
// settings. Request headers other than the body's own (content-type, content-length) are forwarded to every
// step, under the step's headers. `cf-aig-authorization` only counts as a real request header.
//
// A `compat` step whose model is `dynamic/{name}` (how Cloudflare's docs call a route from a Worker) runs the
// route in its place: the route's models are tried as its flow says, all as this step (`cf-aig-step` is the
// step's index; the logs name the model element), and the chain goes on only when the route gives no answer.
import { type IncomingMessage, validateHeaderName, validateHeaderValue } from 'node:http';
import { badRequest, GatewayError } from '../errors.js';
import { effectiveOptions, type HeaderSource, layeredSource, parseOptions } from '../options.js';
import type { RequestState, StepSource } from '../state.js';
import { COMPAT_PATHS, compatStep } from './compat.js';
import { dynamicSteps } from './dynamic.js';
import { providerStep, stepBody } from './provider.js';
import { dynamicRouteName } from './route-name.js';
import { inOrder } from './sources.js';

const MAX_STEPS = 16;
const LEADING_SLASHES = /^\/+/;
/** Request headers that describe the universal body itself, not a step's. */
const OWN_HEADERS = new Set(['content-type', 'content-length']);

interface Step {
  provider: string;
  endpoint: string;
  headers: Map<string, string>;
  query: unknown;
  config: Record<string, unknown> | undefined;
}

function parseSteps(parsed: unknown): Step[] {
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) throw badRequest('The universal request body must hold at least one step');
  if (list.length > MAX_STEPS)
    throw badRequest(`The universal request body holds more than ${MAX_STEPS} steps`);
  const steps: Step[] = [];
  for (const [i, raw] of list.entries()) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw badRequest(`Universal step ${i} must be an object {provider, endpoint, headers, query}`);
    }
    const s = raw as Record<string, unknown>;
    if (typeof s.provider !== 'string' || s.provider === '') {
      throw badRequest(`Universal step ${i}: provider must be a non-empty string`);
    }
    if (typeof s.endpoint !== 'string') throw badRequest(`Universal step ${i}: endpoint must be a string`);
    const headers = new Map<string, string>();
    if (s.headers !== undefined && s.headers !== null) {
      if (typeof s.headers !== 'object' || Array.isArray(s.headers)) {
        throw badRequest(`Universal step ${i}: headers must be an object`);
      }
      for (const [name, value] of Object.entries(s.headers)) {
        if (value === undefined || value === null) continue;
        const text = typeof value === 'string' ? value : String(value);
        // A header that could not be sent (CR, LF, a bad name) is the caller's mistake, not the provider's.
        try {
          validateHeaderName(name);
          validateHeaderValue(name, text);
        } catch {
          throw badRequest(
            `Universal step ${i}: header ${JSON.stringify(name)} has an invalid name or value`,
          );
        }
        headers.set(name.toLowerCase(), text);
      }
    }
    let config: Record<string, unknown> | undefined;
    if (s.config !== undefined && s.config !== null) {
      if (typeof s.config !== 'object' || Array.isArray(s.config)) {
        throw badRequest(`Universal step ${i}: config must be an object`);
      }
      config = s.config as Record<string, unknown>;
    }
    steps.push({
      provider: s.provider,
      endpoint: s.endpoint.replace(LEADING_SLASHES, ''),
      headers,
      query: s.query,
      config,
    });
  }
  return steps;
}

/** Request headers (minus the body's own) with the step's headers layered on top, as a flat list. */
function mergedHeaders(req: IncomingMessage, step: Step): { raw: string[]; head: Record<string, string> } {
  const byName = new Map<string, [string, string]>();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (OWN_HEADERS.has(lower)) continue;
    const prev = byName.get(lower);
    byName.set(lower, prev ? [prev[0], `${prev[1]}, ${raw[i + 1]}`] : [raw[i]!, raw[i + 1]!]);
  }
  for (const [name, value] of step.headers) byName.set(name, [name, value]);
  if (!byName.has('content-type') && step.query !== undefined && typeof step.query !== 'string') {
    byName.set('content-type', ['content-type', 'application/json']);
  }
  const flat: string[] = [];
  const head: Record<string, string> = {};
  for (const [lower, [name, value]] of byName) {
    flat.push(name, value);
    head[lower] = value;
  }
  return { raw: flat, head };
}

/**
 * The universal body's steps, each checked before the first provider call: a bad step is a 400, not a fallback.
 * A `compat` step whose model is `dynamic/{name}` runs that route (the Workers binding's documented form).
 */
export function universalSources(state: RequestState): StepSource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(state.body!.toString('utf8'));
  } catch {
    throw badRequest('Malformed JSON in the universal request body');
  }
  return parseSteps(parsed).map((step, i) => {
    try {
      return upstreamStep(state, step, i);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      throw new GatewayError(err.httpCode, err.code, `Universal step ${i}: ${err.message}`, err.headers);
    }
  });
}

function upstreamStep(state: RequestState, step: Step, index: number): StepSource {
  const { get, nameOf } = layeredSource(step.headers, step.config, state.get);
  const opts = effectiveOptions(parseOptions(get, nameOf), state.gateway!);
  const { raw, head } = mergedHeaders(state.req, step);
  const headerGet: HeaderSource = (name) => head[name];
  const stepBytes = stepBody(step.query);
  const q = step.endpoint.indexOf('?');
  const rest = q === -1 ? step.endpoint : step.endpoint.slice(0, q);
  if (step.provider === 'compat') {
    if (!COMPAT_PATHS.has(rest)) throw badRequest('the compat provider serves chat/completions only');
    if (step.query === null || typeof step.query !== 'object' || Array.isArray(step.query)) {
      throw badRequest('query must be a chat.completions request object');
    }
    const call = {
      body: step.query as Record<string, unknown>,
      clientBody: stepBytes,
      rawHeaders: raw,
      get: headerGet,
      requestHead: head,
      opts,
      index,
    };
    const name = dynamicRouteName(call.body);
    return name === null ? inOrder([compatStep(state, call)]) : dynamicSteps(state, name, call);
  }
  const plain = providerStep(state, {
    provider: step.provider,
    rest,
    search: q === -1 ? '' : step.endpoint.slice(q),
    method: 'POST',
    rawHeaders: raw,
    get: headerGet,
    requestHead: head,
    body: stepBytes,
    json: typeof step.query === 'string' ? undefined : step.query,
    opts,
    index,
  });
  return inOrder([plain]);
}

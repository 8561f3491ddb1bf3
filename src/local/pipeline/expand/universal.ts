// The universal endpoint: POST /v1/{account}/{gateway} with a JSON array of steps (or one step object),
// each `{provider, endpoint, headers?, query, config?}`. Steps run in order as a fallback chain: a step that
// fails (network error, timeout, or any non-2xx answer, after its own retries) hands over to the next one; the
// answer carries `cf-aig-step: N`. Every step that ran is logged with its `step` and request_type 'universal'.
//
// Header precedence per step: the step's `config` > the step's `headers` > the request's headers > gateway
// settings. Request headers other than the body's own (content-type, content-length) are forwarded to every
// step, under the step's headers. `cf-aig-authorization` only counts as a real request header.
import type { IncomingMessage } from 'node:http';
import { badRequest, GatewayError } from '../errors.js';
import { type Exchange, type RequestContext, runExchange } from '../exchange.js';
import { effectiveOptions, type HeaderSource, layeredSource, parseOptions } from '../options.js';
import { COMPAT_PATHS, compatExchange } from './compat.js';
import { providerExchange, stepBody } from './provider.js';

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

function parseSteps(parsed: unknown): Step[] | GatewayError {
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) return badRequest('The universal request body must hold at least one step');
  if (list.length > MAX_STEPS)
    return badRequest(`The universal request body holds more than ${MAX_STEPS} steps`);
  const steps: Step[] = [];
  for (const [i, raw] of list.entries()) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return badRequest(`Universal step ${i} must be an object {provider, endpoint, headers, query}`);
    }
    const s = raw as Record<string, unknown>;
    if (typeof s.provider !== 'string' || s.provider === '') {
      return badRequest(`Universal step ${i}: provider must be a non-empty string`);
    }
    if (typeof s.endpoint !== 'string') return badRequest(`Universal step ${i}: endpoint must be a string`);
    const headers = new Map<string, string>();
    if (s.headers !== undefined && s.headers !== null) {
      if (typeof s.headers !== 'object' || Array.isArray(s.headers)) {
        return badRequest(`Universal step ${i}: headers must be an object`);
      }
      for (const [name, value] of Object.entries(s.headers)) {
        if (value === undefined || value === null) continue;
        headers.set(name.toLowerCase(), typeof value === 'string' ? value : String(value));
      }
    }
    let config: Record<string, unknown> | undefined;
    if (s.config !== undefined && s.config !== null) {
      if (typeof s.config !== 'object' || Array.isArray(s.config)) {
        return badRequest(`Universal step ${i}: config must be an object`);
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

export async function handleUniversal(
  ctx: RequestContext,
  body: Buffer,
  requestGet: HeaderSource,
): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('Malformed JSON in the universal request body');
  }
  const steps = parseSteps(parsed);
  if (steps instanceof GatewayError) throw steps;

  // Everything is validated before the first provider call: a bad step is a 400, not a fallback.
  const exchanges: Exchange[] = [];
  for (const [i, step] of steps.entries()) {
    const get = layeredSource(step.headers, step.config, requestGet);
    const opts = parseOptions(get);
    if (opts instanceof GatewayError) throw badRequest(`Universal step ${i}: ${opts.message}`);
    const effective = effectiveOptions(opts, ctx.gateway);
    if (effective instanceof GatewayError) throw badRequest(`Universal step ${i}: ${effective.message}`);
    const { raw, head } = mergedHeaders(ctx.req, step);
    const headerGet: HeaderSource = (name) => head[name];
    const stepBytes = stepBody(step.query);
    const q = step.endpoint.indexOf('?');
    const rest = q === -1 ? step.endpoint : step.endpoint.slice(0, q);
    let ex: Exchange | GatewayError;
    if (step.provider === 'compat') {
      if (!COMPAT_PATHS.has(rest)) {
        throw badRequest(`Universal step ${i}: the compat provider serves chat/completions only`);
      }
      if (step.query === null || typeof step.query !== 'object' || Array.isArray(step.query)) {
        throw badRequest(`Universal step ${i}: query must be a chat.completions request object`);
      }
      ex = compatExchange(ctx, {
        body: step.query as Record<string, unknown>,
        clientBody: stepBytes,
        rawHeaders: raw,
        get: headerGet,
        requestHead: head,
        opts: effective,
        step: i,
      });
    } else {
      ex = providerExchange(ctx, {
        provider: step.provider,
        rest,
        search: q === -1 ? '' : step.endpoint.slice(q),
        method: 'POST',
        rawHeaders: raw,
        get: headerGet,
        requestHead: head,
        body: stepBytes,
        json: typeof step.query === 'string' ? undefined : step.query,
        opts: effective,
        step: i,
      });
    }
    if (ex instanceof GatewayError) {
      throw new GatewayError(ex.httpCode, ex.code, `Universal step ${i}: ${ex.message}`);
    }
    exchanges.push(ex);
  }

  for (const [i, ex] of exchanges.entries()) {
    const result = await runExchange(ctx, ex, i === exchanges.length - 1);
    if (result === 'answered') return;
  }
}

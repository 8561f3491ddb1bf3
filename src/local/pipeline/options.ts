// Per-request gateway options from cf-aig-* headers (and, on the universal endpoint, a step's headers and
// `config`), validated, then merged with the gateway's settings. Every cf-aig-* header is consumed here and
// never forwarded upstream (see upstreamHeaders in ../upstream/pools.ts).
import type { Gateway } from '../store/gateways.js';
import { resolveCacheTtl } from './cache.js';
import { type CustomCost, parseCustomCost } from './cost.js';
import { badRequest } from './errors.js';
import { type LogMetadata, parseMetadataHeader } from './metadata.js';
import type { RequestState } from './state.js';

export type Backoff = 'constant' | 'linear' | 'exponential';

/** Reads one request header by lower-case name. */
export type HeaderSource = (name: string) => string | undefined;

/** How an error names where an option's value came from, given the header it stands for. */
type NameOf = (header: string) => string;
const asHeader: NameOf = (header) => `${header} header`;

export interface RequestOptions {
  cacheTtl: string | undefined;
  skipCache: boolean;
  cacheKey: string | undefined;
  collectLog: boolean | undefined;
  collectLogPayload: boolean;
  metadata: LogMetadata | null;
  customCost: CustomCost | null;
  eventId: string | null;
  requestTimeoutMs: number | null;
  maxAttempts: number | null;
  retryDelayMs: number | null;
  backoff: Backoff | null;
}

/** Options merged with the gateway's settings: what one exchange with a provider runs under. */
export interface EffectiveOptions extends RequestOptions {
  /** Seconds; 0 when caching does not apply. */
  cacheTtlSeconds: number;
  shouldLog: boolean;
  attempts: number;
  delayMs: number;
  backoffKind: Backoff;
}

const MAX_EVENT_ID = 256;
const DIGITS = /^\d{1,10}$/;

function bool(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw badRequest(`Invalid ${name} header: expected true or false`);
}

function int(label: string, value: string | undefined, min: number, max: number): number | null {
  if (value === undefined) return null;
  // Decimal digits only: Number() would also take 0x10, 1e3 and 0b1.
  const n = DIGITS.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badRequest(`Invalid ${label}: expected a whole number from ${min} to ${max}`);
  }
  return n;
}

/** The request's cf-aig-* options; a GatewayError (400) names the first invalid one, where it came from. */
export function parseOptions(get: HeaderSource, nameOf: NameOf = asHeader): RequestOptions {
  const number = (header: string, min: number, max: number) => int(nameOf(header), get(header), min, max);
  const skip = bool('cf-aig-skip-cache', get('cf-aig-skip-cache') ?? get('cf-skip-cache'));
  const collectLog = bool('cf-aig-collect-log', get('cf-aig-collect-log'));
  const payload = bool('cf-aig-collect-log-payload', get('cf-aig-collect-log-payload'));
  const timeout = number('cf-aig-request-timeout', 1, 3_600_000);
  const attempts = number('cf-aig-max-attempts', 1, 5);
  const delay = number('cf-aig-retry-delay', 0, 5000);

  const backoffHeader = get('cf-aig-backoff')?.trim().toLowerCase();
  if (
    backoffHeader !== undefined &&
    backoffHeader !== 'constant' &&
    backoffHeader !== 'linear' &&
    backoffHeader !== 'exponential'
  ) {
    throw badRequest(`Invalid ${nameOf('cf-aig-backoff')}: expected constant, linear or exponential`);
  }

  let customCost: CustomCost | null = null;
  const costHeader = get('cf-aig-custom-cost');
  if (costHeader !== undefined) {
    const parsed = parseCustomCost(costHeader);
    if ('error' in parsed) throw badRequest(parsed.error);
    customCost = parsed;
  }

  const eventId = get('cf-aig-event-id') ?? null;
  if (eventId !== null && eventId.length > MAX_EVENT_ID) {
    throw badRequest(`Invalid cf-aig-event-id header: longer than ${MAX_EVENT_ID} characters`);
  }
  const cacheKey = get('cf-aig-cache-key');
  if (cacheKey !== undefined && cacheKey.trim() === '') {
    throw badRequest('Invalid cf-aig-cache-key header: empty');
  }

  return {
    cacheTtl: get('cf-aig-cache-ttl') ?? get('cf-cache-ttl'),
    skipCache: skip === true,
    cacheKey,
    collectLog,
    collectLogPayload: payload !== false,
    metadata: parseMetadataHeader(get('cf-aig-metadata')),
    customCost,
    eventId,
    requestTimeoutMs: timeout,
    maxAttempts: attempts,
    retryDelayMs: delay,
    backoff: (backoffHeader as Backoff | undefined) ?? null,
  };
}

/** Header > gateway setting > built-in default (1 attempt, no delay, constant backoff, no cache). */
export function effectiveOptions(opts: RequestOptions, gateway: Gateway): EffectiveOptions {
  const ttl = resolveCacheTtl({
    headerTtl: opts.cacheTtl,
    gatewayTtl: gateway.cache_ttl ?? null,
    hasCustomKey: opts.cacheKey !== undefined,
  });
  if ('error' in ttl) throw badRequest(ttl.error);
  return {
    ...opts,
    cacheTtlSeconds: Math.max(ttl.ttl, 0),
    shouldLog: opts.collectLog ?? gateway.collect_logs !== false,
    attempts: opts.maxAttempts ?? clamp(gateway.retry_max_attempts, 1, 5, 1),
    delayMs: opts.retryDelayMs ?? clamp(gateway.retry_delay, 0, 5000, 0),
    backoffKind: opts.backoff ?? gateway.retry_backoff ?? 'constant',
  };
}

function clamp(v: number | null | undefined, min: number, max: number, fallback: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(v)));
}

/** Universal step `config` keys and the headers they stand for. */
const CONFIG_HEADERS: Record<string, string> = {
  requestTimeout: 'cf-aig-request-timeout',
  maxAttempts: 'cf-aig-max-attempts',
  retryDelay: 'cf-aig-retry-delay',
  backoff: 'cf-aig-backoff',
};

/**
 * A step's headers and config layered over the request's headers (step wins, config wins over both), and how
 * an error names a value: `config.requestTimeout` when the config gave it, else the header.
 */
export function layeredSource(
  stepHeaders: ReadonlyMap<string, string>,
  config: Record<string, unknown> | undefined,
  request: HeaderSource,
): { get: HeaderSource; nameOf: NameOf } {
  let fromConfig: Map<string, { key: string; value: string }> | null = null;
  if (config) {
    for (const [key, header] of Object.entries(CONFIG_HEADERS)) {
      const value = config[key];
      if (value === undefined || value === null) continue;
      fromConfig ??= new Map();
      fromConfig.set(header, { key, value: String(value) });
    }
  }
  return {
    get: (name) => fromConfig?.get(name)?.value ?? stepHeaders.get(name) ?? request(name),
    nameOf: (header) => {
      const key = fromConfig?.get(header)?.key;
      return key === undefined ? asHeader(header) : `config.${key}`;
    },
  };
}

const NO_OPTIONS: RequestOptions = Object.freeze({
  cacheTtl: undefined,
  skipCache: false,
  cacheKey: undefined,
  collectLog: undefined,
  collectLogPayload: true,
  metadata: null,
  customCost: null,
  eventId: null,
  requestTimeoutMs: null,
  maxAttempts: null,
  retryDelayMs: null,
  backoff: null,
});

/** Gateway objects are replaced on every update, so a weak map keyed by them never serves stale settings. */
const defaultsByGateway = new WeakMap<Gateway, EffectiveOptions>();

/** True when a raw header list holds any `cf-…` header (most requests hold none). */
function hasGatewayHeaders(raw: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i]!;
    if (
      n.length > 3 &&
      n.charCodeAt(2) === 0x2d &&
      (n.charCodeAt(0) | 0x20) === 0x63 &&
      (n.charCodeAt(1) | 0x20) === 0x66
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Stage: options. The options the request runs under. Requests without cf-* headers share one (read-only)
 * object per gateway instead of parsing a dozen absent headers each time.
 */
export function readOptions(state: RequestState): void {
  const gateway = state.gateway!;
  if (!hasGatewayHeaders(state.req.rawHeaders)) {
    let memo = defaultsByGateway.get(gateway);
    if (!memo) {
      memo = Object.freeze(effectiveOptions(NO_OPTIONS, gateway));
      defaultsByGateway.set(gateway, memo);
    }
    state.opts = memo;
    return;
  }
  state.opts = effectiveOptions(parseOptions(state.get), gateway);
}

// Gateway settings as the API takes them: the rule for every settable field (checked locally, before any
// request), the defaults aigw uses for the fields the API requires on create, gateway id rules, and the
// conversion of a declarative spec (apply files, --from-file) with its friendly forms into API fields.
import type { GatewayFields } from '../../client/gateways.js';
import { constantCase, parseCount, parseDuration, parseRateLimit } from '../../io/values.js';
import { nestedProblem } from './nested.js';

export type Settings = Partial<Omit<GatewayFields, 'id'>>;

type Rule =
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max?: number; nullable?: boolean; unit?: string }
  | { kind: 'enum'; values: readonly string[]; nullable?: boolean }
  | { kind: 'string'; minLength?: number; maxLength?: number; nullable?: boolean }
  | { kind: 'object' | 'array'; nullable?: boolean; maxItems?: number };

/** Every field a gateway create or update accepts, besides the id (Cloudflare's contract). */
export const fieldRules: Record<string, Rule> = {
  cache_ttl: { kind: 'integer', min: 0, nullable: true, unit: 's' },
  cache_invalidate_on_update: { kind: 'boolean' },
  collect_logs: { kind: 'boolean' },
  rate_limiting_limit: { kind: 'integer', min: 0, nullable: true },
  rate_limiting_interval: { kind: 'integer', min: 0, nullable: true },
  rate_limiting_technique: { kind: 'enum', values: ['fixed', 'sliding'], nullable: true },
  authentication: { kind: 'boolean' },
  log_management: { kind: 'integer', min: 10_000, max: 10_000_000, nullable: true },
  log_management_strategy: { kind: 'enum', values: ['STOP_INSERTING', 'DELETE_OLDEST'], nullable: true },
  log_classification: { kind: 'boolean' },
  logpush: { kind: 'boolean' },
  logpush_public_key: { kind: 'string', minLength: 16, maxLength: 1024, nullable: true },
  retry_max_attempts: { kind: 'integer', min: 1, max: 5, nullable: true },
  retry_delay: { kind: 'integer', min: 0, max: 60_000, nullable: true, unit: 'ms' },
  retry_backoff: { kind: 'enum', values: ['constant', 'linear', 'exponential'], nullable: true },
  workers_ai_billing_mode: { kind: 'enum', values: ['postpaid', 'unified'] },
  zdr: { kind: 'boolean' },
  byok_only: { kind: 'boolean' },
  store_id: { kind: 'string', nullable: true },
  dlp: { kind: 'object' },
  guardrails: { kind: 'object', nullable: true },
  otel: { kind: 'array', nullable: true, maxItems: 5 },
  spend_limits: { kind: 'object', nullable: true },
  stripe: { kind: 'object', nullable: true },
};

export const settableFields = Object.keys(fieldRules);

/** Why a value does not fit a field ("must be ..."), or null when it does. Nested settings are checked
 *  against the API's schemas, unknown keys included. */
export function fieldProblem(field: string, value: unknown): string | null {
  const rule = fieldRules[field];
  if (!rule) return 'is not a gateway field';
  if (value === null) return rule.kind !== 'boolean' && rule.nullable === true ? null : 'cannot be null';
  switch (rule.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false, not ${show(value)}`;
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return `must be a whole number, not ${show(value)}`;
      if (value < rule.min || (rule.max !== undefined && value > rule.max)) {
        const range = rule.max === undefined ? `at least ${rule.min}` : `between ${rule.min} and ${rule.max}`;
        const unit = rule.unit ? ` ${rule.unit}` : '';
        return `must be ${range}${unit}, not ${value}${unit}`;
      }
      return null;
    }
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value)
        ? null
        : `must be one of ${rule.values.join(', ')}, not ${show(value)}`;
    case 'string': {
      if (typeof value !== 'string') return `must be a string, not ${show(value)}`;
      if (rule.minLength !== undefined && value.length < rule.minLength)
        return `must be at least ${rule.minLength} characters long, not ${value.length}`;
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        return `must be at most ${rule.maxLength} characters long, not ${value.length}`;
      return null;
    }
    case 'array':
      if (!Array.isArray(value)) return `must be a list, not ${show(value)}`;
      if (rule.maxItems !== undefined && value.length > rule.maxItems)
        return `must have at most ${rule.maxItems} entries, not ${value.length}`;
      return nestedCheck(field, value);
    case 'object':
      return typeof value === 'object' && !Array.isArray(value)
        ? nestedCheck(field, value)
        : `must be an object, not ${show(value)}`;
  }
}

function nestedCheck(field: string, value: unknown): string | null {
  const problem = nestedProblem(field, value);
  return problem === null ? null : `is not valid: ${problem}`;
}

export function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

/** Friendly names a spec may use, and the API field each stands for. */
const aliases: Record<string, string> = {
  log_limit: 'log_management',
  log_strategy: 'log_management_strategy',
  retries: 'retry_max_attempts',
  rate_limit_technique: 'rate_limiting_technique',
};

/**
 * A spec's settings (anything but `id`) as API fields, with every problem found. Besides the raw API
 * fields it takes: cache_ttl "1h"; rate_limit "100/60s" | "off" | {limit, interval[, technique]};
 * retry_delay "2s"; log_limit / log_management "100k"; log_strategy "delete-oldest"; retries 3.
 */
export function settingsFromSpec(spec: Record<string, unknown>): { settings: Settings; errors: string[] } {
  const errors: string[] = [];
  const out: Record<string, unknown> = {};
  const source: Record<string, string> = {};
  const put = (field: string, value: unknown, from: string) => {
    if (field in source) {
      errors.push(`${from} and ${source[field]} both set ${field}; keep one`);
      return;
    }
    source[field] = from;
    const problem = fieldProblem(field, value);
    if (problem) errors.push(`${field} ${problem}`);
    else out[field] = value;
  };
  const convert = <T>(from: string, value: unknown, parse: (text: string) => T): T | undefined => {
    if (typeof value !== 'string') return value as T;
    try {
      return parse(value);
    } catch (err) {
      errors.push(`${from}: ${(err as Error).message}`);
      return undefined;
    }
  };

  for (const [key, raw] of Object.entries(spec)) {
    if (key === 'id') continue;
    const field = aliases[key] ?? key;
    if (key === 'rate_limit') {
      const rate = rateLimitFromSpec(raw, errors);
      if (!rate) continue;
      for (const [f, v] of Object.entries(rate)) put(f, v, 'rate_limit');
      continue;
    }
    if (!(field in fieldRules)) {
      errors.push(`unknown key "${key}"${suggest(key)}`);
      continue;
    }
    let value: unknown = raw;
    if (field === 'cache_ttl') value = convert(key, raw, (t) => parseDuration(t, 's'));
    else if (field === 'retry_delay') value = convert(key, raw, (t) => parseDuration(t, 'ms'));
    else if (field === 'log_management')
      value = convert(key, raw, (t) => (/^(off|none)$/i.test(t) ? null : parseCount(t)));
    else if (field === 'log_management_strategy' && typeof raw === 'string') value = constantCase(raw);
    if (value === undefined) continue;
    put(field, value, key);
  }
  return { settings: out as Settings, errors };
}

function rateLimitFromSpec(raw: unknown, errors: string[]): Record<string, unknown> | null {
  if (typeof raw === 'string' || typeof raw === 'number') {
    try {
      const { limit, interval } = parseRateLimit(String(raw));
      return { rate_limiting_limit: limit, rate_limiting_interval: interval };
    } catch (err) {
      errors.push(`rate_limit: ${(err as Error).message}`);
      return null;
    }
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const { limit, interval, technique, ...rest } = raw as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) errors.push(`rate_limit: unknown key ${unknown.map(show).join(', ')}`);
    let seconds: unknown = interval;
    if (typeof interval === 'string') {
      try {
        seconds = parseDuration(interval, 's');
      } catch (err) {
        errors.push(`rate_limit.interval: ${(err as Error).message}`);
        return null;
      }
    }
    return {
      rate_limiting_limit: limit,
      rate_limiting_interval: seconds,
      ...(technique === undefined ? {} : { rate_limiting_technique: technique }),
    };
  }
  errors.push(`rate_limit must be like "100/60s", "off", or {limit, interval}, not ${show(raw)}`);
  return null;
}

function suggest(key: string): string {
  const known = [...settableFields, ...Object.keys(aliases), 'rate_limit'];
  const close = known.find((k) => k.replace(/_/g, '') === key.toLowerCase().replace(/[-_]/g, ''));
  return close ? ` (did you mean "${close}"?)` : '';
}

/** Structural equality for JSON values (object key order does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

// The gateway setting flags shared by `create` and `update`: the mapping of their values to API fields, with
// every value checked before any request. Their declarations are in setting-options.ts.
import { UsageError } from '../../errors.js';
import { constantCase, parseCount, parseDuration, parseInteger, parseRateLimit } from '../../io/values.js';
import { nestedFields, nestedProblem, nestedSettingsProblems } from './nested.js';
import type { SettingFlags } from './setting-options.js';
import { fieldProblem, type Settings, settableFields, settingsFromSpec, show } from './spec.js';

/** Contents of the files some flags name, read by the command before mapping. */
export interface FlagFiles {
  logpushPublicKey?: string;
  fromFile?: unknown;
}

/** One `--set path=value`: a top-level API field, or a dotted path into one of the nested fields. */
export interface SetOperation {
  path: string[];
  value: unknown;
}

export interface ParsedSettings {
  settings: Settings;
  sets: SetOperation[];
}

/** Flags that change a setting (everything but --set and --from-file, which count too). */
const settingFlagNames: (keyof SettingFlags)[] = [
  'cacheTtl',
  'cacheInvalidateOnUpdate',
  'collectLogs',
  'rateLimit',
  'rateLimitTechnique',
  'authentication',
  'logLimit',
  'logStrategy',
  'retries',
  'retryDelay',
  'retryBackoff',
  'logpush',
  'logpushPublicKey',
  'zdr',
  'byokOnly',
  'logClassification',
  'workersAiBillingMode',
  'storeId',
  'set',
  'fromFile',
];

export function hasSettingFlags(flags: SettingFlags): boolean {
  return settingFlagNames.some((name) => flags[name] !== undefined);
}

/**
 * The API fields the flags set, and the --set operations to apply on top, or a UsageError listing every
 * bad value. Precedence: --from-file, then the flags, then --set.
 */
export function parseSettingFlags(flags: SettingFlags, files: FlagFiles = {}): ParsedSettings {
  const errors: string[] = [];
  const out: Record<string, unknown> = {};

  if (flags.fromFile !== undefined) {
    const content = files.fromFile;
    if (!content || typeof content !== 'object' || Array.isArray(content)) {
      errors.push(`--from-file: ${flags.fromFile} must hold one object of gateway settings`);
    } else {
      const fromFile = settingsFromSpec(content as Record<string, unknown>);
      errors.push(...fromFile.errors.map((e) => `--from-file ${flags.fromFile}: ${e}`));
      Object.assign(out, fromFile.settings);
    }
  }

  const field = <T>(
    flag: string,
    name: string,
    raw: string | boolean | undefined,
    parse?: (t: string) => T,
  ) => {
    if (raw === undefined) return;
    let value: unknown = raw;
    if (parse && typeof raw === 'string') {
      try {
        value = parse(raw);
      } catch (err) {
        errors.push(`${flag}: ${(err as Error).message}`);
        return;
      }
    }
    const problem = fieldProblem(name, value);
    if (problem) errors.push(`${flag}: ${problem}`);
    else out[name] = value;
  };

  field('--cache-ttl', 'cache_ttl', flags.cacheTtl, (t) => parseDuration(t, 's'));
  field('--cache-invalidate-on-update', 'cache_invalidate_on_update', flags.cacheInvalidateOnUpdate);
  field('--collect-logs', 'collect_logs', flags.collectLogs);
  if (flags.rateLimit !== undefined) {
    try {
      const { limit, interval } = parseRateLimit(flags.rateLimit);
      out.rate_limiting_limit = limit;
      out.rate_limiting_interval = interval;
    } catch (err) {
      errors.push(`--rate-limit: ${(err as Error).message}`);
    }
  }
  field('--rate-limit-technique', 'rate_limiting_technique', flags.rateLimitTechnique);
  field('--authentication', 'authentication', flags.authentication);
  field('--log-limit', 'log_management', flags.logLimit, (t) =>
    /^(off|none)$/i.test(t) ? null : parseCount(t),
  );
  field('--log-strategy', 'log_management_strategy', flags.logStrategy, constantCase);
  field('--retries', 'retry_max_attempts', flags.retries, parseInteger);
  field('--retry-delay', 'retry_delay', flags.retryDelay, (t) => parseDuration(t, 'ms'));
  field('--retry-backoff', 'retry_backoff', flags.retryBackoff);
  field('--logpush', 'logpush', flags.logpush);
  if (flags.logpushPublicKey !== undefined) {
    field('--logpush-public-key', 'logpush_public_key', files.logpushPublicKey?.trim() ?? '');
  }
  field('--zdr', 'zdr', flags.zdr);
  field('--byok-only', 'byok_only', flags.byokOnly);
  field('--log-classification', 'log_classification', flags.logClassification);
  field('--workers-ai-billing-mode', 'workers_ai_billing_mode', flags.workersAiBillingMode);
  field('--store-id', 'store_id', flags.storeId);

  const sets: SetOperation[] = [];
  for (const assignment of flags.set ?? []) {
    const parsed = parseSet(assignment);
    if (typeof parsed === 'string') errors.push(`--set ${assignment}: ${parsed}`);
    else sets.push(parsed);
  }

  if (errors.length > 0) throw flagErrors(errors);
  return { settings: out as Settings, sets };
}

function parseSet(assignment: string): SetOperation | string {
  const eq = assignment.indexOf('=');
  if (eq <= 0) return 'use field=value, e.g. --set zdr=true or --set guardrails.prompt.S1=BLOCK';
  const path = assignment.slice(0, eq).trim().split('.');
  const text = assignment.slice(eq + 1);
  if (path.some((p) => p === '')) return 'the field path has an empty part';
  if (!settableFields.includes(path[0]!))
    return `unknown field "${path[0]}" (fields: ${settableFields.join(', ')})`;
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the text itself.
  }
  if (path.length === 1) {
    const problem = fieldProblem(path[0]!, value);
    if (problem) return `${path[0]} ${problem}`;
  } else if (!nestedFields.includes(path[0]!)) {
    return `${path[0]} has no fields inside it (${show(path.join('.'))})`;
  } else {
    const problem = nestedProblem(path[0]!, value, path.slice(1));
    if (problem) return problem;
  }
  return { path, value };
}

/**
 * Applies --set operations to `base` (the current settings, or the defaults on create); returns the fields
 * they touch, or a UsageError when a nested setting they change lacks what the API requires.
 */
export function applySets(base: Record<string, unknown>, sets: SetOperation[]): Record<string, unknown> {
  let merged: Record<string, unknown> = { ...base };
  for (const { path, value } of sets) merged = setPathIn(merged, path, value);
  const touched = new Set(sets.map((s) => s.path[0]!));
  const fields = Object.fromEntries([...touched].map((f) => [f, merged[f]]));
  const problems = nestedSettingsProblems(fields);
  if (problems.length > 0) throw flagErrors(problems.map((p) => `--set: ${p}`));
  return fields;
}

function setPathIn(base: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return base;
  if (rest.length === 0) return { ...base, [head]: value };
  const child = base[head];
  const next =
    child && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
  return { ...base, [head]: setPathIn(next, rest, value) };
}

/** One usage error for all the problems found (`where`: "the flags", "gateways.json"). */
export function flagErrors(errors: string[], where = 'the flags'): UsageError {
  if (errors.length === 1) return new UsageError(errors[0]!);
  return new UsageError(`${errors.length} problems in ${where}:\n${errors.map((e) => `  ${e}`).join('\n')}`);
}

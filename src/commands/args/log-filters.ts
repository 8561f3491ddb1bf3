// Human filter flags -> the API's log filters. What the API cannot filter on (an exact HTTP status, a
// metadata key paired with its value) is also checked on each log the API returns (`keep`).
import type { Log, LogQuery } from '../../client/logs.js';
import { UsageError } from '../../errors.js';
import { flagValue, parseDuration, parseInteger, parseTime } from '../../io/values.js';
import {
  type FilterKey,
  type FilterOperator,
  type FilterValue,
  filterKeys,
  filterOperators,
  type ListOrder,
  type LogFilter,
  listOrders,
} from '../../log-filters.js';
import type { FilterFlags } from './log-filter-options.js';

export interface CompiledFilters extends LogQuery {
  /** Checks the API cannot make, run on every returned log; absent when the API does all the work. */
  keep?: (log: Log) => boolean;
  /** The flags behind `keep`, for verbs that can only use what the API filters (delete). */
  localOnly: string[];
}

const numericKeys: FilterKey[] = ['cost', 'tokens', 'tokens_in', 'tokens_out', 'duration', 'feedback'];
const booleanKeys: FilterKey[] = ['success', 'cached', 'authentication', 'wholesale', 'compatibilityMode'];

export function compileFilters(flags: FilterFlags, now: Date): CompiledFilters {
  const filters: LogFilter[] = [];
  const checks: ((log: Log) => boolean)[] = [];
  const localOnly: string[] = [];
  const add = (key: FilterKey, operator: FilterOperator, value: FilterValue[]) =>
    filters.push({ key, operator, value });

  if (flags.status !== undefined) {
    const status = parseStatus(flags.status);
    add('success', 'eq', [status.success]);
    if (status.check) {
      checks.push(status.check);
      localOnly.push(`--status ${flags.status}`);
    }
  }
  if (flags.provider !== undefined) add('provider', 'eq', list('--provider', flags.provider));
  if (flags.model !== undefined) add('model', 'eq', list('--model', flags.model));
  if (flags.cached !== undefined) add('cached', 'eq', [flags.cached]);
  if (flags.since !== undefined) add('created_at', 'gt', [time('--since', flags.since, now)]);
  if (flags.until !== undefined) add('created_at', 'lt', [time('--until', flags.until, now)]);
  if (flags.minCost !== undefined) add('cost', 'gt', [dollars('--min-cost', flags.minCost)]);
  if (flags.maxCost !== undefined) add('cost', 'lt', [dollars('--max-cost', flags.maxCost)]);
  if (flags.minDuration !== undefined)
    add('duration', 'gt', [flagValue('--min-duration', () => parseDuration(flags.minDuration!, 'ms'))]);
  if (flags.minTokens !== undefined)
    add('tokens', 'gt', [flagValue('--min-tokens', () => parseInteger(flags.minTokens!))]);
  if (flags.eventId !== undefined) add('event_id', 'eq', [nonEmpty('--event-id', flags.eventId)]);
  if (flags.feedback !== undefined) add('feedback', 'eq', [feedbackValue(flags.feedback)]);
  if (flags.meta && flags.meta.length > 0) {
    const pairs = flags.meta.map(metaPair);
    for (const [key, value] of pairs) {
      add('metadata.key', 'eq', [key]);
      add('metadata.value', 'eq', [value]);
    }
    // The API matches keys and values separately; the pairs themselves are checked here.
    checks.push((log) => {
      const entries = metadataOf(log);
      return pairs.every(([key, value]) => key in entries && String(entries[key]) === value);
    });
  }
  for (const text of flags.filter ?? []) filters.push(parseFilter(text, now));

  const search = flags.search?.trim();
  return {
    filters,
    ...(search ? { search } : {}),
    ...(checks.length > 0 ? { keep: (log: Log) => checks.every((check) => check(log)) } : {}),
    localOnly,
  };
}

/** `--sort field[:asc|desc]` (newest first when not given). */
export function parseSort(text: string | undefined): { orderBy?: ListOrder; direction?: 'asc' | 'desc' } {
  if (text === undefined) return {};
  const [field, direction = 'desc', extra] = text.trim().split(':');
  if (!listOrders.includes(field as ListOrder) || extra !== undefined) {
    throw new UsageError(`--sort: "${text}" is not a sort order.`, {
      hint: `Use <field>[:asc|desc] with field one of ${listOrders.join(', ')}, e.g. --sort created_at:asc.`,
    });
  }
  if (direction !== 'asc' && direction !== 'desc') {
    throw new UsageError(`--sort: the direction must be asc or desc, not "${direction}".`);
  }
  return { orderBy: field as ListOrder, direction };
}

interface StatusFilter {
  success: boolean;
  check?: (log: Log) => boolean;
}

function parseStatus(text: string): StatusFilter {
  const value = text.trim().toLowerCase();
  if (value === 'error' || value === 'errors' || value === 'failed') return { success: false };
  if (value === 'success' || value === 'ok') return { success: true };
  const code = /^[1-5]\d\d$/.exec(value);
  if (code) {
    const n = Number(value);
    return { success: n < 400, check: (log) => log.status_code === n };
  }
  const range = /^([1-5])xx$/.exec(value);
  if (range) {
    const hundreds = Number(range[1]) * 100;
    return {
      success: hundreds < 400,
      check: (log) => log.status_code !== undefined && Math.floor(log.status_code / 100) * 100 === hundreds,
    };
  }
  throw new UsageError(`--status: "${text}" is not a status.`, {
    hint: 'Use error, success, an HTTP status such as 429, or a class such as 4xx or 5xx.',
  });
}

/** `key:operator:value[,value...]`; the value may itself contain colons (times, model names). */
export function parseFilter(text: string, now: Date): LogFilter {
  const match = /^([^:]+):([^:]+):(.*)$/.exec(text.trim());
  const usage = 'Use --filter key:operator:value, e.g. user_agent:contains:curl or tokens_out:gt:1000.';
  if (!match) throw new UsageError(`--filter: "${text}" is not key:operator:value.`, { hint: usage });
  const [, key, operator, raw] = match as unknown as [string, string, string, string];
  if (!filterKeys.includes(key as FilterKey)) {
    throw new UsageError(`--filter: "${key}" is not a log filter key.`, {
      hint: `Keys: ${filterKeys.join(', ')}.`,
    });
  }
  if (!filterOperators.includes(operator as FilterOperator)) {
    throw new UsageError(`--filter: "${operator}" is not a filter operator.`, {
      hint: `Operators: ${filterOperators.join(', ')}.`,
    });
  }
  const values = raw === '' ? [] : raw.split(',').map((v) => v.trim());
  if (values.length === 0) throw new UsageError(`--filter ${text}: no value given.`, { hint: usage });
  const typed = values.map((v) => filterValue(key as FilterKey, v, now, text));
  return { key: key as FilterKey, operator: operator as FilterOperator, value: typed };
}

function filterValue(key: FilterKey, value: string, now: Date, text: string): FilterValue {
  if (value === 'null') return null;
  if (numericKeys.includes(key)) {
    const n = Number(value);
    if (value === '' || !Number.isFinite(n)) throw new UsageError(`--filter ${text}: ${key} takes numbers.`);
    return n;
  }
  if (booleanKeys.includes(key)) {
    if (value !== 'true' && value !== 'false')
      throw new UsageError(`--filter ${text}: ${key} takes true or false.`);
    return value === 'true';
  }
  if (key === 'created_at') return time(`--filter ${text}`, value, now);
  return value;
}

function list(flag: string, text: string): string[] {
  const values = text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length === 0) throw new UsageError(`${flag}: give at least one name.`);
  return values;
}

function nonEmpty(flag: string, text: string): string {
  if (text.trim() === '') throw new UsageError(`${flag}: the value is empty.`);
  return text.trim();
}

function time(flag: string, text: string, now: Date): string {
  return flagValue(flag, () => parseTime(text, now)).toISOString();
}

function dollars(flag: string, text: string): number {
  const n = Number(text.trim().replace(/^\$/, ''));
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`${flag}: "${text}" is not an amount of dollars (e.g. 0.01).`);
  }
  return n;
}

function feedbackValue(text: string): number {
  const value = text.trim().toLowerCase();
  if (value === 'up' || value === '1' || value === '+1') return 1;
  if (value === 'down' || value === '-1') return -1;
  throw new UsageError(`--feedback: "${text}" is not up or down.`);
}

/** `key=value` (the value may contain `=`). */
export function metaPair(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0)
    throw new UsageError(`--meta: "${text}" is not key=value.`, { hint: 'e.g. --meta user=alice' });
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

/** A log's metadata: the API returns it as a JSON object in a string. */
function metadataOf(log: Pick<Log, 'metadata'>): Record<string, unknown> {
  const raw: unknown = log.metadata;
  if (typeof raw === 'object' && raw !== null) return raw as Record<string, unknown>;
  if (typeof raw !== 'string' || raw === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

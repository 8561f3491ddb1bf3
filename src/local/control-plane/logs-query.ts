// The logs API's query parameters, read the way Cloudflare reads them:
// - `filters` is ONE query parameter holding a JSON array of {key, operator, value} (aig_LogFilter). The
//   contract declares it as an array without a serialization style; the `cloudflare` SDK flattens it into
//   `filters.key=...` brackets, which Cloudflare ignores (cloudflare-typescript #2723) and so does this server.
// - the deprecated flat parameters (start_date, min_cost, success, model...) become the same conditions:
//   start_date / end_date and min_* / max_* are inclusive bounds.
import type { FilterKey, LogFilter } from '../../log-filters.js';
import { type Condition, type ConditionOperator, parseFilters } from '../store/logs/filters.js';
import type { LogSelection } from '../store/logs/queries.js';
import { componentSchema } from './contract.js';
import { validationError } from './envelope.js';
import { booleanQuery, stringQuery } from './request.js';
import { type Schema, validate } from './validate.js';

/** `filters` as the contract declares it: an array of aig_LogFilter. */
const filtersSchema: Schema = {
  type: 'object',
  properties: { filters: { type: 'array', items: componentSchema('aig_LogFilter') } },
};

function queryError(name: string, message: string) {
  return validationError([{ path: ['query', name], message: `"${name}" ${message}` }]);
}

/** The conditions of every `filters` parameter (a JSON array each); 400 (7001) with the offending path. */
function filtersQuery(url: URL): Condition[] {
  const filters: LogFilter[] = [];
  for (const raw of url.searchParams.getAll('filters')) {
    if (raw.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw queryError('filters', 'must be a JSON array of {key, operator, value} objects');
    }
    // Validated inside an object so that messages and paths name the parameter: "filters.0.key" ...
    const checked = validate<{ filters: LogFilter[] }>(filtersSchema, { filters: parsed });
    if (!checked.ok) {
      throw validationError(checked.issues.map((issue) => ({ ...issue, path: ['query', ...issue.path] })));
    }
    filters.push(...checked.value.filters);
  }
  const parsed = parseFilters(filters);
  if (!parsed.ok) {
    throw validationError(
      parsed.issues.map((issue) => ({ path: ['query', 'filters', ...issue.path], message: issue.message })),
    );
  }
  return parsed.conditions;
}

/** The deprecated flat parameters of the list, as conditions. */
const flatParameters: [
  name: string,
  key: FilterKey,
  operator: ConditionOperator,
  kind: 'time' | 'number' | 'bool' | 'text',
][] = [
  ['start_date', 'created_at', 'ge', 'time'],
  ['end_date', 'created_at', 'le', 'time'],
  ['min_cost', 'cost', 'ge', 'number'],
  ['max_cost', 'cost', 'le', 'number'],
  ['min_tokens_in', 'tokens_in', 'ge', 'number'],
  ['max_tokens_in', 'tokens_in', 'le', 'number'],
  ['min_tokens_out', 'tokens_out', 'ge', 'number'],
  ['max_tokens_out', 'tokens_out', 'le', 'number'],
  ['min_total_tokens', 'tokens', 'ge', 'number'],
  ['max_total_tokens', 'tokens', 'le', 'number'],
  ['min_duration', 'duration', 'ge', 'number'],
  ['max_duration', 'duration', 'le', 'number'],
  ['feedback', 'feedback', 'eq', 'number'],
  ['success', 'success', 'eq', 'bool'],
  ['cached', 'cached', 'eq', 'bool'],
  ['model', 'model', 'eq', 'text'],
  ['model_type', 'model_type', 'eq', 'text'],
  ['provider', 'provider', 'eq', 'text'],
  ['request_content_type', 'request_content_type', 'eq', 'text'],
  ['response_content_type', 'response_content_type', 'eq', 'text'],
];

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function flatQuery(url: URL): Condition[] {
  const conditions: Condition[] = [];
  for (const [name, key, operator, kind] of flatParameters) {
    const raw = stringQuery(url, name);
    if (raw === undefined) continue;
    let value: string | number;
    if (kind === 'bool') value = booleanQuery(url, name) ? 1 : 0;
    else if (kind === 'time') {
      if (!rfc3339.test(raw) || Number.isNaN(Date.parse(raw)))
        throw queryError(name, 'must be an RFC 3339 date-time');
      value = Date.parse(raw);
    } else if (kind === 'number') {
      value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw queryError(name, 'must be a number');
      if (name === 'feedback' && ![-1, 0, 1].includes(value)) throw queryError(name, 'must be -1, 0 or 1');
    } else value = raw;
    conditions.push({ key, operator, values: [value] });
  }
  return conditions;
}

/** `name` when it is one of `allowed` (or absent: the fallback); 400 (7001) otherwise. */
export function enumQuery<T extends string>(url: URL, name: string, allowed: readonly T[], fallback: T): T {
  const raw = stringQuery(url, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw queryError(name, `must be one of ${allowed.join(', ')}`);
  return raw as T;
}

/** Everything but paging that chooses logs: path ids, filters, deprecated parameters and search. */
export function selectionQuery(url: URL, accountId: string, gatewayId: string, flat: boolean): LogSelection {
  const conditions = filtersQuery(url);
  if (flat) conditions.push(...flatQuery(url));
  return { accountId, gatewayId, conditions, search: flat ? stringQuery(url, 'search') : undefined };
}

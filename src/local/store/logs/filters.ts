// Log filters as Cloudflare's logs API takes them (`{key, operator, value[]}`), checked and compiled into a
// SQL condition over the logs table. The list, the count, the delete and the benches all build their WHERE
// clause here, so what a filter means is decided once.
//
// Meanings (Cloudflare documents the keys and operators, not their semantics; these are the local choices):
// - several values in one filter are alternatives (OR); several filters must all hold (AND);
// - eq / neq compare exactly; a null value means "not set"; neq keeps logs where the field is not set;
// - contains is a substring match, case-insensitive for ASCII (text keys only);
// - lt / gt take exactly one value: numbers for numeric keys, an RFC 3339 time for created_at;
// - metadata.key / metadata.value match one entry of the log's metadata: the n-th metadata.key filter and the
//   n-th metadata.value filter (eq, contains, lt, gt) must hold for the SAME entry, so key=user with value=u1
//   never matches {user: "u2", team: "u1"}; a neq on either says no entry has that key (or value);
// - feedback: no feedback counts as 0; tokens is tokens_in + tokens_out; compatibilityMode is a request made
//   through /compat; dlp_action and wholesale are never set locally (no DLP, no Unified Billing).
import type { SQLInputValue } from 'node:sqlite';
import type { FilterKey, FilterOperator, FilterValue, LogFilter } from '../../../log-filters.js';
import { escapeLike } from '../sql.js';

/** The API's operators, plus the inclusive bounds that the deprecated min_* / max_* parameters mean. */
export type ConditionOperator = FilterOperator | 'ge' | 'le';

/** A filter after checking: values converted to what the column holds (numbers, 0/1, epoch ms, text). */
export interface Condition {
  key: FilterKey;
  operator: ConditionOperator;
  values: (string | number | null)[];
}

export interface FilterIssue {
  /** Inside the filters array, e.g. ['2', 'value', '0']. */
  path: string[];
  message: string;
}

type Kind = 'text' | 'id' | 'bool' | 'number' | 'time' | 'metaKey' | 'metaValue';

interface KeySpec {
  kind: Kind;
  /** The SQL expression the key reads. */
  sql: string;
  /** A value an unset field counts as. */
  nullAs?: number;
}

/** tokens_in + tokens_out, unset only when both are. */
export const totalTokensSql =
  '(CASE WHEN tokens_in IS NULL AND tokens_out IS NULL THEN NULL ELSE coalesce(tokens_in, 0) + coalesce(tokens_out, 0) END)';

const text = (sql: string): KeySpec => ({ kind: 'text', sql });
const bool = (sql: string): KeySpec => ({ kind: 'bool', sql });
const number = (sql: string): KeySpec => ({ kind: 'number', sql });

const keySpecs: Record<FilterKey, KeySpec> = {
  id: { kind: 'id', sql: 'id' },
  created_at: { kind: 'time', sql: 'created_ms' },
  request_content_type: text('request_content_type'),
  response_content_type: text('response_content_type'),
  request_type: text('request_type'),
  success: bool('success'),
  cached: bool('cached'),
  provider: text('provider'),
  model: text('model'),
  model_type: text('model_type'),
  cost: number('cost'),
  tokens: number(totalTokensSql),
  tokens_in: number('tokens_in'),
  tokens_out: number('tokens_out'),
  duration: number('duration'),
  feedback: { kind: 'number', sql: 'feedback', nullAs: 0 },
  event_id: text('event_id'),
  'metadata.key': { kind: 'metaKey', sql: 'm.key' },
  'metadata.value': {
    kind: 'metaValue',
    sql: "(CASE m.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(m.value AS TEXT) END)",
  },
  authentication: bool('authentication'),
  wholesale: bool('0'),
  compatibilityMode: bool("(substr(path, 1, 7) = 'compat/')"),
  dlp_action: text('NULL'),
  user_agent: text('user_agent'),
};

const operatorsByKind: Record<Kind, readonly FilterOperator[]> = {
  text: ['eq', 'neq', 'contains'],
  // Log ids are ULIDs: their order is the order of creation.
  id: ['eq', 'neq', 'contains', 'lt', 'gt'],
  bool: ['eq', 'neq'],
  number: ['eq', 'neq', 'lt', 'gt'],
  time: ['eq', 'neq', 'lt', 'gt'],
  metaKey: ['eq', 'neq', 'contains'],
  metaValue: ['eq', 'neq', 'contains', 'lt', 'gt'],
};

const dateLike = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Checks filters (already shaped as aig_LogFilter) and converts their values; issues name what is wrong. */
export function parseFilters(
  filters: readonly LogFilter[],
): { ok: true; conditions: Condition[] } | { ok: false; issues: FilterIssue[] } {
  const issues: FilterIssue[] = [];
  const conditions: Condition[] = [];
  filters.forEach((filter, i) => {
    const at = String(i);
    const spec = keySpecs[filter.key];
    if (!operatorsByKind[spec.kind].includes(filter.operator)) {
      const allowed = operatorsByKind[spec.kind].join(', ');
      issues.push({
        path: [at, 'operator'],
        message: `"${filter.operator}" does not apply to ${filter.key} (use ${allowed})`,
      });
      return;
    }
    if (filter.value.length === 0) {
      issues.push({ path: [at, 'value'], message: 'at least one value is required' });
      return;
    }
    if ((filter.operator === 'lt' || filter.operator === 'gt') && filter.value.length !== 1) {
      issues.push({ path: [at, 'value'], message: `${filter.operator} takes exactly one value` });
      return;
    }
    const values: (string | number | null)[] = [];
    filter.value.forEach((raw, j) => {
      const converted = convert(spec.kind, filter.operator, raw);
      if (typeof converted === 'object' && converted !== null) {
        issues.push({ path: [at, 'value', String(j)], message: `${filter.key}: ${converted.problem}` });
      } else {
        values.push(converted);
      }
    });
    conditions.push({ key: filter.key, operator: filter.operator, values });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, conditions };
}

function convert(
  kind: Kind,
  operator: FilterOperator,
  raw: FilterValue,
): string | number | null | { problem: string } {
  if (raw === null) {
    if (operator === 'eq' || operator === 'neq') return null;
    return { problem: `null only goes with eq and neq` };
  }
  switch (kind) {
    case 'bool':
      if (raw === true || raw === 'true' || raw === 1 || raw === '1') return 1;
      if (raw === false || raw === 'false' || raw === 0 || raw === '0') return 0;
      return { problem: `${JSON.stringify(raw)} is not true or false` };
    case 'number': {
      const n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isFinite(n) ? n : { problem: `${JSON.stringify(raw)} is not a number` };
    }
    case 'time': {
      const ms = typeof raw === 'string' && dateLike.test(raw.trim()) ? Date.parse(raw.trim()) : NaN;
      return Number.isFinite(ms) ? ms : { problem: `${JSON.stringify(raw)} is not an RFC 3339 time` };
    }
    case 'metaValue':
      if (operator === 'lt' || operator === 'gt') {
        const n = typeof raw === 'number' ? raw : Number(raw);
        return Number.isFinite(n) && raw !== '' ? n : { problem: `${JSON.stringify(raw)} is not a number` };
      }
      return String(raw);
    default:
      if (typeof raw === 'boolean') return { problem: `${raw} is not text` };
      return String(raw);
  }
}

/** A SQL condition and its parameters. */
export interface Sql {
  sql: string;
  params: SQLInputValue[];
}

/** The AND of every condition ('1' when there is none). */
export function conditionsSql(conditions: readonly Condition[]): Sql {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  const metaKeys: Condition[] = [];
  const metaValues: Condition[] = [];
  for (const c of conditions) {
    if (c.key === 'metadata.key' || c.key === 'metadata.value') {
      if (c.operator === 'neq') {
        const inner = compare(keySpecs[c.key], { ...c, operator: 'eq' }, params);
        parts.push(`NOT EXISTS (SELECT 1 FROM json_each(logs.metadata) AS m WHERE ${inner})`);
      } else {
        (c.key === 'metadata.key' ? metaKeys : metaValues).push(c);
      }
      continue;
    }
    parts.push(compare(keySpecs[c.key], c, params));
  }
  // The n-th key condition and the n-th value condition hold for one and the same metadata entry.
  for (let n = 0; n < Math.max(metaKeys.length, metaValues.length); n++) {
    const entry = [metaKeys[n], metaValues[n]].flatMap((c) =>
      c ? [compare(keySpecs[c.key], c, params)] : [],
    );
    parts.push(`EXISTS (SELECT 1 FROM json_each(logs.metadata) AS m WHERE ${entry.join(' AND ')})`);
  }
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
}

function compare(spec: KeySpec, c: Condition, params: SQLInputValue[]): string {
  const column = spec.sql;
  const numeric = spec.kind === 'metaValue' && (c.operator === 'lt' || c.operator === 'gt');
  // A metadata value compares as a number only when it is one.
  const guard = numeric ? "m.type IN ('integer', 'real') AND " : '';
  const operand = numeric
    ? 'm.value'
    : spec.nullAs === undefined
      ? column
      : `coalesce(${column}, ${spec.nullAs})`;
  switch (c.operator) {
    case 'eq':
      return equals(spec, column, c.values, params);
    case 'neq':
      // NOT of "equals" that counts an unknown (NULL) comparison as no match: unset fields are kept.
      return `NOT coalesce(${equals(spec, column, c.values, params)}, 0)`;
    case 'contains': {
      const likes = c.values.map((v) => {
        params.push(`%${escapeLike(String(v))}%`);
        return `${column} LIKE ? ESCAPE '\\'`;
      });
      return `(${likes.join(' OR ')})`;
    }
    default: {
      const sign = { lt: '<', gt: '>', le: '<=', ge: '>=' }[c.operator];
      params.push(c.values[0]!);
      return `(${guard}${operand} ${sign} ?)`;
    }
  }
}

/** `column IN (...)`, with NULL matching unset fields (and the value unset fields count as). */
function equals(spec: KeySpec, column: string, values: (string | number | null)[], params: SQLInputValue[]) {
  const present = values.filter((v): v is string | number => v !== null);
  const alternatives: string[] = [];
  if (present.length > 0) {
    alternatives.push(`${column} IN (${present.map(() => '?').join(', ')})`);
    params.push(...present);
  }
  if (values.includes(null) || (spec.nullAs !== undefined && present.includes(spec.nullAs))) {
    alternatives.push(`${column} IS NULL`);
  }
  return alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`;
}

// Grouped sums over the analytics tables: what the GraphQL dataset aiGatewayRequestsAdaptiveGroups answers and
// the benchmark measures. Every request has a row in analytics_requests; an hourly rollup of it makes a grouped
// sum over a long period read a few thousand rows instead of every request.
//
// A query is split along the time axis: the whole hours it covers are read from the rollup, the rest at the
// edges from the requests themselves. The split is cut at every time a filter condition names, so each
// condition holds for a whole hour or for none of it, and the rollup answers exactly what the requests would.
// Grouping by something finer than an hour (minutes, metadata) reads the requests.
import type { SQLInputValue } from 'node:sqlite';
import type { Store } from '../db.js';

export const timeDimensions = {
  datetime: 1_000,
  datetimeMinute: 60_000,
  datetimeFiveMinutes: 300_000,
  datetimeFifteenMinutes: 900_000,
  datetimeHour: 3_600_000,
  date: 86_400_000,
} as const;
type TimeDimension = keyof typeof timeDimensions;

/** Text dimensions and their column; metadataRaw exists only per request. */
const textColumns = {
  gateway: 'gateway_id',
  provider: 'provider',
  model: 'model',
  metadataRaw: "coalesce(metadata, '')",
} as const;
type TextDimension = keyof typeof textColumns;
export type Dimension = TimeDimension | TextDimension;
export const dimensions = [...Object.keys(timeDimensions), ...Object.keys(textColumns)] as Dimension[];

export const measures = [
  'count',
  'cost',
  'cachedRequests',
  'erroredRequests',
  'cachedTokensIn',
  'cachedTokensOut',
  'uncachedTokensIn',
  'uncachedTokensOut',
] as const;
export type Measure = (typeof measures)[number];

export type Operator = 'eq' | 'neq' | 'gt' | 'lt' | 'geq' | 'leq' | 'in' | 'notin' | 'like' | 'notlike';

/** One condition. Time values are epoch milliseconds; `like` patterns use % and _ as SQL does. */
export interface Condition {
  dimension: Dimension;
  op: Operator;
  value: string | number | (string | number)[];
}
export type Filter = Condition | { all: Filter[] } | { any: Filter[] };

export interface AggregateQuery {
  accountId: string;
  filter: Filter;
  /** The dimensions to group by (none: one group of everything). */
  dimensions: Dimension[];
  orderBy: { key: Dimension | Measure; desc: boolean }[];
  limit: number;
}

/** One group: its dimension values (time buckets as epoch ms) and sums; cost in picodollars (exact). */
export interface Group {
  dimensions: Partial<Record<Dimension, string | number>>;
  count: number;
  costPico: number;
  cachedRequests: number;
  erroredRequests: number;
  cachedTokensIn: number;
  cachedTokensOut: number;
  uncachedTokensIn: number;
  uncachedTokensOut: number;
}

/** A query that cannot be answered as asked (the GraphQL layer reports it as an error). */
export class UnanswerableQuery extends Error {}

const HOUR = 3_600_000;
/** Past this many cut points (long `_in` lists of times, say) the requests table answers alone. */
const MAX_CUTS = 64;

type Level = 'hours' | 'requests';
/** A half-open time range [from, to); null is unbounded. */
type Range = [number | null, number | null];

const sumColumns: Record<Level, string> = {
  hours: `sum(requests) AS count, sum(cost_pico) AS cost_pico, sum(cached_requests) AS cached_requests,
    sum(errored_requests) AS errored_requests, sum(cached_tokens_in) AS cached_tokens_in,
    sum(cached_tokens_out) AS cached_tokens_out, sum(uncached_tokens_in) AS uncached_tokens_in,
    sum(uncached_tokens_out) AS uncached_tokens_out`,
  requests: `count(*) AS count, sum(cost_pico) AS cost_pico, sum(cached) AS cached_requests,
    sum(errored) AS errored_requests, sum(cached * tokens_in) AS cached_tokens_in,
    sum(cached * tokens_out) AS cached_tokens_out, sum((1 - cached) * tokens_in) AS uncached_tokens_in,
    sum((1 - cached) * tokens_out) AS uncached_tokens_out`,
};

const tables: Record<Level, { table: string; time: string }> = {
  hours: { table: 'analytics_hours', time: 'bucket_ms' },
  requests: { table: 'analytics_requests', time: 'created_ms' },
};

const measureColumns: Record<Measure, string> = {
  count: 'count',
  cost: 'cost_pico',
  cachedRequests: 'cached_requests',
  erroredRequests: 'errored_requests',
  cachedTokensIn: 'cached_tokens_in',
  cachedTokensOut: 'cached_tokens_out',
  uncachedTokensIn: 'uncached_tokens_in',
  uncachedTokensOut: 'uncached_tokens_out',
};

export function aggregate(store: Store, query: AggregateQuery): Group[] {
  const { sql, params } = aggregateSql(query);
  const rows = store.statement(sql).all(...params) as Record<string, number | string>[];
  return rows.map((row) => ({
    dimensions: Object.fromEntries(query.dimensions.map((d, i) => [d, row[`d${i}`]!])),
    count: Number(row.count),
    costPico: Number(row.cost_pico),
    cachedRequests: Number(row.cached_requests),
    erroredRequests: Number(row.errored_requests),
    cachedTokensIn: Number(row.cached_tokens_in),
    cachedTokensOut: Number(row.cached_tokens_out),
    uncachedTokensIn: Number(row.uncached_tokens_in),
    uncachedTokensOut: Number(row.uncached_tokens_out),
  }));
}

/** The one SQL statement answering `query` (exported for tests of the split). */
function aggregateSql(query: AggregateQuery): { sql: string; params: SQLInputValue[] } {
  const dims = query.dimensions;
  for (const order of query.orderBy) {
    if (!(measures as readonly string[]).includes(order.key) && !dims.includes(order.key as Dimension))
      throw new UnanswerableQuery(`cannot order by ${order.key}: it is not among the requested dimensions`);
  }
  const params: SQLInputValue[] = [];
  const parts: string[] = [];
  for (const [level, ranges] of split(query)) {
    const { table, time } = tables[level];
    const where = [`account_id = ?`];
    params.push(query.accountId);
    const bounded = ranges.filter(([from, to]) => from !== null || to !== null);
    if (bounded.length === ranges.length && ranges.length > 0) {
      where.push(`(${ranges.map((r) => rangeSql(time, r, params)).join(' OR ')})`);
    }
    where.push(filterSql(query.filter, time, params));
    const select = dims.map((d, i) => `${dimensionSql(d, time)} AS d${i}`);
    const groupBy = dims.length > 0 ? ` GROUP BY ${dims.map((_, i) => `d${i}`).join(', ')}` : '';
    parts.push(
      `SELECT ${[...select, sumColumns[level]].join(', ')} FROM ${table} WHERE ${where.join(' AND ')}${groupBy}`,
    );
  }
  // Contradictory time conditions leave no range to read: one empty part keeps the statement valid.
  if (parts.length === 0)
    parts.push(
      `SELECT ${[...dims.map((_, i) => `NULL AS d${i}`), sumColumns.requests].join(', ')} FROM analytics_requests WHERE 0`,
    );
  const keys = dims.map((_, i) => `d${i}`);
  const outer = [...keys, ...Object.values(measureColumns).map((c) => `sum(${c}) AS ${c}`)].join(', ');
  const order = query.orderBy.map(
    (o) =>
      `${(measures as readonly string[]).includes(o.key) ? measureColumns[o.key as Measure] : `d${dims.indexOf(o.key as Dimension)}`} ${o.desc ? 'DESC' : 'ASC'}`,
  );
  // Ties (and queries without orderBy) come out in dimension order, so answers are stable.
  for (const key of keys) if (!order.some((o) => o.startsWith(`${key} `))) order.push(`${key} ASC`);
  const sql =
    `SELECT ${outer} FROM (${parts.join(' UNION ALL ')})` +
    (keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : '') +
    // A query matching nothing has no groups (not one group of zeros).
    ' HAVING sum(count) > 0' +
    (order.length > 0 ? ` ORDER BY ${order.join(', ')}` : '') +
    ' LIMIT ?';
  params.push(query.limit);
  return { sql, params };
}

/** Which table answers which time ranges. */
function split(query: AggregateQuery): Map<Level, Range[]> {
  const plan = new Map<Level, Range[]>();
  /** Adds [from, to) to a table's ranges; null is unbounded, so [null, null) is all time. */
  const add = (level: Level, from: number | null, to: number | null) => {
    if (from !== null && to !== null && from >= to) return;
    const list = plan.get(level) ?? [];
    const last = list.at(-1);
    // Neighbouring ranges of one table join up, keeping the WHERE short.
    if (last && last[1] !== null && last[1] === from) last[1] = to;
    else list.push([from, to]);
    plan.set(level, list);
  };
  const cuts = new Set<number>();
  collectCuts(query.filter, cuts);
  const perRequest =
    query.dimensions.some(
      (d) => d === 'metadataRaw' || (d in timeDimensions && timeDimensions[d as TimeDimension] < HOUR),
    ) || conditionDimensions(query.filter).includes('metadataRaw');
  if (perRequest || cuts.size > MAX_CUTS) return new Map([['requests', [[null, null]]]]);
  const [lo, hi] = envelope(query.filter);
  const points = [...cuts].filter((c) => (lo === null || c > lo) && (hi === null || c < hi));
  points.sort((a, b) => a - b);
  const bounds: (number | null)[] = [lo, ...points, hi];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = bounds[i]!;
    const b = bounds[i + 1]!;
    const aHour = ceil(a, HOUR);
    const bHour = floor(b, HOUR);
    if (aHour !== null && bHour !== null && aHour >= bHour) {
      add('requests', a, b);
      continue;
    }
    // The edges (before the first whole hour, after the last) exist only where there is a bound.
    if (a !== null) add('requests', a, aHour);
    add('hours', aHour, bHour);
    if (b !== null) add('requests', bHour, b);
  }
  return plan;
}

const ceil = (t: number | null, unit: number) => (t === null ? null : Math.ceil(t / unit) * unit);
const floor = (t: number | null, unit: number) => (t === null ? null : Math.floor(t / unit) * unit);

function isCondition(filter: Filter): filter is Condition {
  return 'dimension' in filter;
}

function conditionDimensions(filter: Filter): Dimension[] {
  if (isCondition(filter)) return [filter.dimension];
  return ('all' in filter ? filter.all : filter.any).flatMap(conditionDimensions);
}

/** Times where a condition may change from true to false: the edges of the buckets it names. */
function collectCuts(filter: Filter, cuts: Set<number>): void {
  if (!isCondition(filter)) {
    for (const f of 'all' in filter ? filter.all : filter.any) collectCuts(f, cuts);
    return;
  }
  if (!(filter.dimension in timeDimensions)) return;
  const unit = timeDimensions[filter.dimension as TimeDimension];
  for (const v of Array.isArray(filter.value) ? filter.value : [filter.value]) {
    const start = Math.floor(Number(v) / unit) * unit;
    cuts.add(start);
    cuts.add(start + unit);
  }
}

/** The time range every matching request lies in, from the range conditions joined by AND at the top. */
function envelope(filter: Filter): Range {
  let lo: number | null = null;
  let hi: number | null = null;
  const conditions = isCondition(filter) ? [filter] : 'all' in filter ? filter.all : [];
  for (const c of conditions) {
    if (!isCondition(c)) {
      if ('all' in c) {
        const [a, b] = envelope(c);
        if (a !== null) lo = lo === null ? a : Math.max(lo, a);
        if (b !== null) hi = hi === null ? b : Math.min(hi, b);
      }
      continue;
    }
    if (!(c.dimension in timeDimensions) || Array.isArray(c.value)) continue;
    const unit = timeDimensions[c.dimension as TimeDimension];
    const v = Number(c.value);
    const start = Math.floor(v / unit) * unit;
    let from: number | null = null;
    let to: number | null = null;
    // bucket(t) >= v  <=>  t >= ceil(v);  bucket(t) > v  <=>  t >= floor(v) + unit; and so on.
    if (c.op === 'geq') from = Math.ceil(v / unit) * unit;
    else if (c.op === 'gt') from = start + unit;
    else if (c.op === 'leq') to = start + unit;
    else if (c.op === 'lt') to = Math.ceil(v / unit) * unit;
    else if (c.op === 'eq') [from, to] = [start, start + unit];
    if (from !== null) lo = lo === null ? from : Math.max(lo, from);
    if (to !== null) hi = hi === null ? to : Math.min(hi, to);
  }
  return [lo, hi];
}

function rangeSql(time: string, [from, to]: Range, params: SQLInputValue[]): string {
  const parts: string[] = [];
  if (from !== null) {
    parts.push(`${time} >= ?`);
    params.push(from);
  }
  if (to !== null) {
    parts.push(`${time} < ?`);
    params.push(to);
  }
  return `(${parts.join(' AND ')})`;
}

function dimensionSql(dimension: Dimension, time: string): string {
  if (dimension in timeDimensions) {
    const unit = timeDimensions[dimension as TimeDimension];
    return `(${time} - ${time} % ${unit})`;
  }
  return textColumns[dimension as TextDimension];
}

const comparisons: Partial<Record<Operator, string>> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  lt: '<',
  geq: '>=',
  leq: '<=',
};

function filterSql(filter: Filter, time: string, params: SQLInputValue[]): string {
  if (!isCondition(filter)) {
    const list = 'all' in filter ? filter.all : filter.any;
    if (list.length === 0) return '1';
    return `(${list.map((f) => filterSql(f, time, params)).join('all' in filter ? ' AND ' : ' OR ')})`;
  }
  const column = dimensionSql(filter.dimension, time);
  const values = Array.isArray(filter.value) ? filter.value : [filter.value];
  const op = filter.op;
  if (op === 'in' || op === 'notin') {
    if (values.length === 0) return op === 'in' ? '0' : '1';
    params.push(...values);
    return `${column} ${op === 'in' ? 'IN' : 'NOT IN'} (${values.map(() => '?').join(', ')})`;
  }
  if (op === 'like' || op === 'notlike') {
    params.push(globPattern(String(values[0])));
    return `${op === 'like' ? '' : 'NOT '}${column} GLOB ?`;
  }
  params.push(values[0]!);
  return `${column} ${comparisons[op]} ?`;
}

/** A LIKE pattern (% any run, _ one character) as a case-sensitive GLOB pattern. */
function globPattern(like: string): string {
  let out = '';
  for (const ch of like) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

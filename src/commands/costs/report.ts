// The costs report from the analytics groups: rows per --by key (days and hours in the report's time zone),
// a total, and for a report by day or hour the cost of every bucket of the period. Costs are added as whole
// picodollars, so a total is exactly the sum of its rows.
import type { CostGroup, CostsDimension } from '../../client/analytics.js';
import { label, nextStart, startOf, wholeHourOffsets } from '../../io/times.js';

export const byChoices = ['model', 'provider', 'gateway', 'day', 'hour'] as const;
export type By = (typeof byChoices)[number];
type TimeBy = Extract<By, 'day' | 'hour'>;

export interface Totals {
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cachedRequests: number;
  /** Share of the requests answered from the gateway's cache (0..1). */
  cachedShare: number;
  errors: number;
  /** USD. */
  cost: number;
}
export type CostRow = Partial<Record<By, string>> & Totals;

export interface CostsReport {
  since: string;
  until: string;
  timezone: string;
  /** The gateways asked for; null for all of the account's. */
  gateways: string[] | null;
  by: By[];
  rows: CostRow[];
  total: Totals;
  /** The cost of every day or hour of the period, oldest first (reports by day or hour). */
  series?: { unit: TimeBy; buckets: { start: string; cost: number; requests: number }[] };
  /** More groups than the analytics API returns in one answer, even for one hour: rows are missing. */
  truncated?: boolean;
}

const isTime = (b: By): b is TimeBy => b === 'day' || b === 'hour';

/**
 * The dimensions to ask the analytics API for. Cloudflare's `date` is a UTC day: other zones ask for hours
 * (or quarter hours, for zones whose offset is not whole hours) and add them up into their own days.
 */
export function queryDimensions(by: By[], zone: string, from: Date, to: Date): CostsDimension[] {
  const whole = wholeHourOffsets(zone, from.getTime(), to.getTime());
  const dims = new Set<CostsDimension>();
  for (const b of by) {
    if (b === 'day') dims.add(zone === 'UTC' ? 'date' : whole ? 'datetimeHour' : 'datetimeFifteenMinutes');
    else if (b === 'hour') dims.add(whole ? 'datetimeHour' : 'datetimeFifteenMinutes');
    else dims.add(b);
  }
  return [...dims];
}

interface Sums {
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cachedRequests: number;
  errors: number;
  picos: number;
}

const emptySums = (): Sums => ({
  requests: 0,
  tokensIn: 0,
  tokensOut: 0,
  cachedRequests: 0,
  errors: 0,
  picos: 0,
});

function add(into: Sums, g: CostGroup): void {
  into.requests += g.count;
  into.tokensIn += g.sum.cachedTokensIn + g.sum.uncachedTokensIn;
  into.tokensOut += g.sum.cachedTokensOut + g.sum.uncachedTokensOut;
  into.cachedRequests += g.sum.cachedRequests;
  into.errors += g.sum.erroredRequests;
  into.picos += Math.round(g.sum.cost * 1e12);
}

function totals(s: Sums): Totals {
  return {
    requests: s.requests,
    tokensIn: s.tokensIn,
    tokensOut: s.tokensOut,
    cachedRequests: s.cachedRequests,
    cachedShare: s.requests > 0 ? s.cachedRequests / s.requests : 0,
    errors: s.errors,
    cost: s.picos / 1e12,
  };
}

/** When a group's time dimension says it happened (ms), or null without one. */
function groupTime(g: CostGroup): number | null {
  const d = g.dimensions;
  const t = d.datetimeFifteenMinutes ?? d.datetimeHour;
  if (t) return Date.parse(t);
  return d.date ? Date.parse(`${d.date}T00:00:00Z`) : null;
}

export function buildReport(
  groups: CostGroup[],
  options: { by: By[]; zone: string; from: Date; to: Date; gateways: string[]; truncated: boolean },
): CostsReport {
  const { by, zone } = options;
  const rows = new Map<string, { keys: string[]; starts: number[]; sums: Sums }>();
  const total = emptySums();
  const timeBy = by.find(isTime);
  const perBucket = new Map<number, Sums>();
  for (const g of groups) {
    const at = groupTime(g);
    const keys: string[] = [];
    const starts: number[] = [];
    for (const b of by) {
      if (isTime(b)) {
        const start = startOf(b, zone, at!);
        starts.push(start);
        keys.push(label(b, zone, start));
      } else keys.push(g.dimensions[b] ?? '');
    }
    const key = JSON.stringify(keys);
    const row = rows.get(key) ?? { keys, starts, sums: emptySums() };
    add(row.sums, g);
    rows.set(key, row);
    add(total, g);
    if (timeBy && at !== null) {
      const start = startOf(timeBy, zone, at);
      const bucket = perBucket.get(start) ?? emptySums();
      add(bucket, g);
      perBucket.set(start, bucket);
    }
  }
  // Each level sorts within the one before: times oldest first, anything else by its cost, largest first.
  const prefixCost = new Map<string, number>();
  for (const { keys, sums } of rows.values()) {
    for (let i = 1; i <= keys.length; i++) {
      const prefix = JSON.stringify(keys.slice(0, i));
      prefixCost.set(prefix, (prefixCost.get(prefix) ?? 0) + sums.picos);
    }
  }
  const sorted = [...rows.values()].sort((a, b) => {
    let timeIndex = 0;
    for (let i = 0; i < by.length; i++) {
      if (isTime(by[i]!)) {
        const diff = a.starts[timeIndex]! - b.starts[timeIndex]!;
        timeIndex++;
        if (diff !== 0) return diff;
        continue;
      }
      if (a.keys[i] === b.keys[i]) continue;
      const costA = prefixCost.get(JSON.stringify(a.keys.slice(0, i + 1)))!;
      const costB = prefixCost.get(JSON.stringify(b.keys.slice(0, i + 1)))!;
      return costB - costA || a.keys[i]!.localeCompare(b.keys[i]!);
    }
    return 0;
  });
  const report: CostsReport = {
    since: options.from.toISOString(),
    until: options.to.toISOString(),
    timezone: zone,
    gateways: options.gateways.length > 0 ? options.gateways : null,
    by,
    rows: sorted.map(({ keys, sums }) => ({
      ...Object.fromEntries(by.map((b, i) => [b, keys[i]!])),
      ...totals(sums),
    })),
    total: totals(total),
  };
  if (timeBy) {
    const buckets: { start: string; cost: number; requests: number }[] = [];
    for (
      let start = startOf(timeBy, zone, options.from.getTime());
      start < options.to.getTime();
      start = nextStart(timeBy, zone, start)
    ) {
      const sums = perBucket.get(start) ?? emptySums();
      buckets.push({ start: label(timeBy, zone, start), cost: sums.picos / 1e12, requests: sums.requests });
    }
    report.series = { unit: timeBy, buckets };
  }
  if (options.truncated) report.truncated = true;
  return report;
}

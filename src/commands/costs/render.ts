// How a costs report looks: in a terminal, a table with a bar per row (its share of the cost), a total row
// and, by day or hour, a sparkline of the period; piped, tab-separated rows; CSV with a header; JSON.

import { bar, sparkline } from '../../io/charts.js';
import type { IO } from '../../io/io.js';
import { formatCost } from '../../io/numbers.js';
import { type Column, renderJson, renderList } from '../../io/render.js';
import { wallClock } from '../../io/times.js';
import type { By, CostRow, CostsReport, Totals } from './report.js';

export type CostsFormat = 'table' | 'tsv' | 'csv' | 'json';

const titles: Record<By, string> = {
  model: 'MODEL',
  provider: 'PROVIDER',
  gateway: 'GATEWAY',
  day: 'DAY',
  hour: 'HOUR',
};

/** Plain values, as TSV and CSV carry them: counts, share as a fraction, cost in USD unrounded. */
const dataColumns: { name: string; value: (t: Totals) => number }[] = [
  { name: 'requests', value: (t) => t.requests },
  { name: 'tokens_in', value: (t) => t.tokensIn },
  { name: 'tokens_out', value: (t) => t.tokensOut },
  { name: 'cached_requests', value: (t) => t.cachedRequests },
  { name: 'cached_share', value: (t) => t.cachedShare },
  { name: 'errors', value: (t) => t.errors },
  { name: 'cost', value: (t) => t.cost },
];

export function renderCosts(io: IO, report: CostsReport, format: CostsFormat): void {
  if (format === 'json') renderJson(io, report);
  else if (format === 'csv') renderCsv(io, report);
  else if (format === 'tsv') {
    for (const row of report.rows) {
      io.out(
        [...report.by.map((b) => row[b] ?? ''), ...dataColumns.map((c) => String(c.value(row)))].join('\t'),
      );
    }
  } else renderTable(io, report);
}

function renderCsv(io: IO, report: CostsReport): void {
  io.out([...report.by, ...dataColumns.map((c) => c.name)].join(','));
  for (const row of report.rows) {
    io.out(
      [...report.by.map((b) => csvField(row[b] ?? '')), ...dataColumns.map((c) => String(c.value(row)))].join(
        ',',
      ),
    );
  }
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Dollars as people read them: cents above a dollar, two significant digits below a cent. */
function usd(cost: number): string {
  if (cost >= 1)
    return `$${cost.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return formatCost(cost);
}

type TableRow = { row: Totals & Partial<Record<By, string>>; total: boolean };

function renderTable(io: IO, report: CostsReport): void {
  const c = io.color;
  const zone = report.timezone;
  const period = `${wallClock(zone, Date.parse(report.since))} to ${wallClock(zone, Date.parse(report.until))} (${zone})`;
  const which = report.gateways ? `gateway ${report.gateways.join(', ')}` : 'all gateways';
  io.out(c.bold(`Costs, ${which}, ${period}`));
  if (report.rows.length === 0) return;
  const totalCost = report.total.cost;
  const columns: Column<TableRow>[] = [
    ...report.by.map((b, i) => ({
      header: titles[b],
      // A space, not '': the table shows '' as '-', which would read as a value here.
      value: ({ row, total }: TableRow) => (total ? (i === 0 ? c.bold('Total') : ' ') : (row[b] ?? '')),
    })),
    { header: 'REQUESTS', value: ({ row }) => count(row.requests) },
    { header: 'TOKENS IN', value: ({ row }) => count(row.tokensIn) },
    { header: 'TOKENS OUT', value: ({ row }) => count(row.tokensOut) },
    { header: 'CACHED', value: ({ row }) => `${Math.round(row.cachedShare * 100)}%` },
    { header: 'ERRORS', value: ({ row }) => count(row.errors) },
    { header: 'COST', value: ({ row, total }) => (total ? c.bold(usd(row.cost)) : usd(row.cost)) },
    {
      header: 'SHARE',
      value: ({ row, total }) => {
        if (total) return ' ';
        const share = totalCost > 0 ? row.cost / totalCost : 0;
        return `${c.cyan(bar(share, 12).padEnd(12))} ${Math.round(share * 100)}%`;
      },
    },
  ];
  const rows: TableRow[] = [
    ...report.rows.map((row: CostRow) => ({ row, total: false })),
    { row: report.total, total: true },
  ];
  renderList(io, rows, columns, { json: false });
  if (report.series && report.series.buckets.length > 1) {
    const { unit, buckets } = report.series;
    const values = squeeze(
      buckets.map((b) => b.cost),
      60,
    );
    const first = buckets[0]!.start;
    const last = buckets.at(-1)!.start;
    io.out(`\ncost by ${unit}  ${c.cyan(sparkline(values))}  ${first} … ${last}`);
  }
}

/** At most `width` values: neighbours are added together when there are more. */
function squeeze(values: number[], width: number): number[] {
  if (values.length <= width) return values;
  const per = Math.ceil(values.length / width);
  const out: number[] = [];
  for (let i = 0; i < values.length; i += per) out.push(values.slice(i, i + per).reduce((a, b) => a + b, 0));
  return out;
}

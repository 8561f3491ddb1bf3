// `aigw costs [gateway...]`: where the money and tokens went over a period, grouped by model, provider,
// gateway, day or hour, from the analytics API (Cloudflare's, or the local gateway's: the same query).
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { checkZone, parseWhen } from '../../io/times.js';
import { flagValue } from '../../io/values.js';
import { checkGatewayId } from '../args/gateway.js';
import { type CostsFormat, renderCosts } from './render.js';
import { type By, buildReport, byChoices, type CostsReport, queryDimensions } from './report.js';

export interface CostsFlags {
  since?: string;
  until?: string;
  by?: string[];
  timezone?: string;
  format?: string;
}

const formats: CostsFormat[] = ['table', 'tsv', 'csv', 'json'];

/** The zone of days and hours: --timezone, else the local one in a terminal, else UTC. */
function zoneFor(flags: CostsFlags, ctx: Context, format: CostsFormat): string {
  if (flags.timezone) return flagValue('--timezone', () => checkZone(flags.timezone!));
  if (format !== 'table') return 'UTC';
  const local = ctx.env.TZ ? ctx.env.TZ.replace(/^:/, '') : Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    return checkZone(local);
  } catch {
    return 'UTC';
  }
}

function outputFormat(flags: CostsFlags, ctx: Context): CostsFormat {
  if (flags.format !== undefined) {
    if (!formats.includes(flags.format as CostsFormat))
      throw new UsageError(`--format must be one of ${formats.join(', ')}, not "${flags.format}".`);
    return flags.format as CostsFormat;
  }
  if (ctx.json) return 'json';
  return ctx.io.stdoutIsTTY ? 'table' : 'tsv';
}

async function runCosts(
  gateways: string[],
  flags: CostsFlags,
  ctx: Context,
  format: CostsFormat,
): Promise<CostsReport> {
  for (const gateway of gateways) checkGatewayId(gateway);
  const by = (flags.by ?? ['model']) as By[];
  for (const b of by) {
    if (!byChoices.includes(b))
      throw new UsageError(`--by must be one of ${byChoices.join(', ')}, not "${b}".`);
  }
  if (new Set(by).size !== by.length) throw new UsageError('--by names the same grouping twice.');
  const zone = zoneFor(flags, ctx, format);
  const now = ctx.now();
  const from = flagValue('--since', () => parseWhen(flags.since ?? '7d', now, zone));
  const to = flags.until ? flagValue('--until', () => parseWhen(flags.until!, now, zone)) : now;
  if (from.getTime() >= to.getTime())
    throw new UsageError(`--since (${from.toISOString()}) must come before --until (${to.toISOString()}).`);
  const accountId = await ctx.accountId();
  const client = await ctx.client();
  const dimensions = queryDimensions(by, zone, from, to);
  const { groups, truncated } = await client.analytics.costGroups(accountId, dimensions, {
    from,
    to,
    gateways,
  });
  return buildReport(groups, { by, zone, from, to, gateways, truncated });
}

export async function costsCommand(gateways: string[], flags: CostsFlags, ctx: Context): Promise<void> {
  const format = outputFormat(flags, ctx);
  const report = await runCosts(gateways, flags, ctx, format);
  renderCosts(ctx.io, report, format);
  if (report.rows.length === 0 && format === 'table') {
    ctx.io.err(`No requests in this period. A longer one: ${ctx.hint('costs --since 30d')}`);
  }
  if (report.truncated) {
    ctx.io.warn(
      'Some groups are missing: one hour holds more of them than the analytics API returns at once. Group by fewer things.',
    );
  }
}

// `aigw logs filter [gateway]` (also bare `aigw logs`, and `logs list`): the logs that match, newest first.
import type { Log } from '../../client/logs.js';
import type { Context } from '../../context.js';
import { renderList } from '../../io/render.js';
import { flagValue, parseInteger } from '../../io/values.js';
import { gatewayTarget } from '../args/gateway.js';
import type { FilterFlags } from '../args/log-filter-options.js';
import { compileFilters, parseSort } from '../args/log-filters.js';
import { logColumns } from './columns.js';
import { forLogs } from './common.js';

interface FilterCommandFlags extends FilterFlags {
  limit?: string;
  sort?: string;
}

const DEFAULT_LIMIT = 50;

/** `--limit N`: a whole number, 0 meaning no limit. */
export function parseLimit(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : flagValue('--limit', () => parseInteger(text));
}

async function runFilter(gateway: string | undefined, flags: FilterCommandFlags, ctx: Context) {
  const compiled = compileFilters(flags, ctx.now());
  const sort = parseSort(flags.sort);
  const limit = parseLimit(flags.limit, DEFAULT_LIMIT);
  const target = await gatewayTarget(ctx, gateway);
  const { accountId, gatewayId, client } = target;
  const logs: Log[] = [];
  let total: number | undefined;
  await forLogs(ctx, target, undefined, async () => {
    const onTotal = (n: number | undefined) => {
      total = n;
    };
    for await (const log of client.logs.list(
      accountId,
      gatewayId,
      { ...compiled, ...sort },
      { limit, onTotal },
    ))
      logs.push(log);
  });
  return { gatewayId, logs, total, exact: compiled.keep === undefined };
}

export async function filterCommand(gateway: string | undefined, flags: FilterCommandFlags, ctx: Context) {
  const { gatewayId, logs, total, exact } = await runFilter(gateway, flags, ctx);
  const io = ctx.io;
  renderList(io, logs, logColumns(io.stdoutIsTTY, io.color), { json: ctx.json, now: ctx.now() });
  if (ctx.json || !io.stderrIsTTY) return;
  if (logs.length === 0) {
    io.err(`No logs in gateway ${gatewayId} match.`);
  } else if (exact && total !== undefined && total > logs.length) {
    io.err(io.errColor.dim(`${logs.length} of ${total} matching logs; --limit 0 shows all of them.`));
  }
}

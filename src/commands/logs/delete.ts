// `aigw logs delete [gateway] [filters] [--limit N] [--dry-run] [--yes]`: counts the matching logs, says how
// many will go, asks (or needs --yes when not interactive), then deletes them oldest first, 10,000 per call.
import { DELETE_LIMIT } from '../../client/logs.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderJson } from '../../io/render.js';
import { gatewayTarget } from '../args/gateway.js';
import type { FilterFlags } from '../args/log-filter-options.js';
import { compileFilters } from '../args/log-filters.js';
import { forLogs } from './common.js';
import { parseLimit } from './filter.js';

interface DeleteFlags extends FilterFlags {
  limit?: string;
  dryRun?: boolean;
  yes?: boolean;
}

interface DeleteResult {
  gateway: string;
  matched: number;
  deleted: number;
  dry_run: boolean;
}

async function runDelete(gateway: string | undefined, flags: DeleteFlags, ctx: Context) {
  const compiled = compileFilters(flags, ctx.now());
  // Only what the API filters on can select logs for deletion: a check made here could not stop the API.
  const unsupported = [...compiled.localOnly];
  if ((flags.meta?.length ?? 0) > 1) unsupported.push('more than one --meta');
  if (compiled.search) unsupported.push('--search');
  if (unsupported.length > 0) {
    throw new UsageError(
      `${unsupported.join(', ')} cannot select logs to delete: the API deletes by filters only.`,
      {
        hint: `Use --status error|success, or --filter key:op:value; see what matches first with: ${ctx.hint('logs <gateway> ...')}`,
      },
    );
  }
  const limit = parseLimit(flags.limit, 0);
  if (!flags.yes && !flags.dryRun && !ctx.io.canPrompt) {
    throw new UsageError('--yes required when not running interactively.', {
      hint: 'Check what would go with --dry-run, then add --yes.',
    });
  }
  const target = await gatewayTarget(ctx, gateway);
  const { accountId, gatewayId, client } = target;
  return forLogs(ctx, target, undefined, async (): Promise<DeleteResult | null> => {
    const matched = await client.logs.count(accountId, gatewayId, compiled);
    const planned = limit > 0 ? Math.min(limit, matched) : matched;
    const result = { gateway: gatewayId, matched, deleted: 0, dry_run: flags.dryRun === true };
    if (flags.dryRun || planned === 0) return result;
    if (!flags.yes) {
      const which = compiled.filters.length === 0 ? 'logs' : 'matching logs';
      const scope =
        planned === matched ? `all ${matched} ${which}` : `the oldest ${planned} of ${matched} ${which}`;
      const sure = await ctx.prompter.confirm({
        message: `Delete ${scope} of gateway ${gatewayId}? This cannot be undone.`,
        default: false,
      });
      if (!sure) return null;
    }
    for (let left = planned; left > 0; left -= DELETE_LIMIT) {
      await client.logs.delete(accountId, gatewayId, compiled.filters, Math.min(left, DELETE_LIMIT));
    }
    return { ...result, deleted: planned };
  });
}

export async function deleteCommand(gateway: string | undefined, flags: DeleteFlags, ctx: Context) {
  const result = await runDelete(gateway, flags, ctx);
  const io = ctx.io;
  if (!result) {
    io.err('Nothing was deleted.');
    return;
  }
  if (ctx.json) renderJson(io, result);
  else if (!io.stdoutIsTTY) io.out(String(result.dry_run ? result.matched : result.deleted));
  const logs = (n: number) => `${n} log${n === 1 ? '' : 's'}`;
  if (result.dry_run) {
    io.err(`${logs(result.matched)} of gateway ${result.gateway} match; nothing was deleted (--dry-run).`);
  } else if (result.matched === 0) {
    io.err(`No logs of gateway ${result.gateway} match; nothing was deleted.`);
  } else {
    io.success(`Deleted ${logs(result.deleted)} of gateway ${result.gateway}.`);
  }
}

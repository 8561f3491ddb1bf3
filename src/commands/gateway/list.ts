// `aigw gateway list`: every gateway of the account (all pages), optionally those whose id matches.
import type { Gateway } from '../../client/gateways.js';
import type { Context } from '../../context.js';
import { renderList } from '../../io/render.js';
import { gatewayColumns } from './columns.js';

export interface ListOptions {
  search?: string;
}

async function runList(options: ListOptions, ctx: Context): Promise<Gateway[]> {
  const accountId = await ctx.accountId();
  const client = await ctx.client();
  return client.gateways.list(accountId, options.search ? { search: options.search } : {});
}

export async function listCommand(flags: ListOptions, ctx: Context): Promise<void> {
  const gateways = await runList(flags, ctx);
  renderList(ctx.io, gateways, gatewayColumns, { json: ctx.json, now: ctx.now() });
  if (gateways.length === 0 && !ctx.json && ctx.io.stdoutIsTTY) {
    ctx.io.err(
      flags.search
        ? `No gateways match "${flags.search}".`
        : `No gateways yet. Create one with: ${ctx.hint('gateway create <id>')}`,
    );
  }
}

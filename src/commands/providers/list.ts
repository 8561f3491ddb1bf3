// `aigw providers list`: the account's custom providers (every page); header names, never their values.
import type { Context } from '../../context.js';
import { renderList } from '../../io/render.js';
import { accountTarget, masked, providerColumns } from './common.js';

export async function listCommand(flags: { search?: string }, ctx: Context): Promise<void> {
  const { accountId, client } = await accountTarget(ctx);
  const providers = (await client.customProviders.list(accountId, flags.search)).map(masked);
  renderList(ctx.io, providers, providerColumns, { json: ctx.json, now: ctx.now() });
  if (providers.length === 0 && !ctx.json && ctx.io.stdoutIsTTY) {
    ctx.io.err(
      flags.search
        ? `No custom providers match "${flags.search}".`
        : `No custom providers yet. Add one with: ${ctx.hint('providers add <slug> --base-url <url>')}`,
    );
  }
}

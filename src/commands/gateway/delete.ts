// `aigw gateway delete <id>`: deletes a gateway and, with it, its stored logs and provider keys. Asks first in a
// terminal; anywhere else it needs --yes.
import type { Gateway } from '../../client/gateways.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderObject } from '../../io/render.js';
import { forGateway, resolveGateway } from '../args/gateway.js';
import { gatewayFields } from './columns.js';

interface DeleteOptions {
  /** Defaults to the profile's default gateway. */
  id?: string | undefined;
  yes?: boolean;
}

/** The gateway's id, and the deleted gateway or null when the user answered no. */
async function runDelete(
  options: DeleteOptions,
  ctx: Context,
): Promise<{ id: string; deleted: Gateway | null }> {
  const id = await resolveGateway(ctx, options.id);
  if (!options.yes && !ctx.io.canPrompt) {
    throw new UsageError('--yes required when not running interactively.', {
      hint: `Deleting gateway ${id} also deletes its stored logs and provider keys. Run: ${ctx.hint(`gateway delete ${id} --yes`)}`,
    });
  }
  const accountId = await ctx.accountId();
  const client = await ctx.client();
  const deleted = await forGateway(ctx, accountId, id, async () => {
    if (!options.yes) {
      // Fails on an unknown gateway before asking anything.
      await client.gateways.get(accountId, id);
      const sure = await ctx.prompter.confirm({
        message: `Delete gateway ${id} and all of its stored logs and provider keys? This cannot be undone.`,
        default: false,
      });
      if (!sure) return null;
    }
    return client.gateways.delete(accountId, id);
  });
  return { id, deleted };
}

export async function deleteCommand(
  given: string | undefined,
  flags: { yes?: boolean },
  ctx: Context,
): Promise<void> {
  const { id, deleted } = await runDelete({ id: given, ...flags }, ctx);
  if (!deleted) {
    ctx.io.err(`Kept gateway ${id}; nothing was deleted.`);
    return;
  }
  if (ctx.json) renderObject(ctx.io, deleted, gatewayFields, { json: true });
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(deleted.id);
  ctx.io.success(`Deleted gateway ${id}, its stored logs and provider keys.`);
}

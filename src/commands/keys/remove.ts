// `aigw keys remove [gateway] <key>`: deletes a stored key (and its secret). Asks first in a terminal; anywhere
// else it needs --yes.
import type { ProviderKey } from '../../client/provider-keys.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderObject } from '../../io/render.js';
import { gatewayAndId, gatewayTarget } from '../args/gateway.js';
import { findKey, forKey, keyFields, keyLabel } from './common.js';

async function runRemove(first: string, second: string | undefined, yes: boolean, ctx: Context) {
  const { gateway, id: ref } = gatewayAndId(first, second);
  const target = await gatewayTarget(ctx, gateway);
  const { accountId, gatewayId, client } = target;
  if (!yes && !ctx.io.canPrompt) {
    throw new UsageError('--yes required when not running interactively.', {
      hint: `Requests that rely on the key stop getting it. Run: ${ctx.hint(`keys remove ${gatewayId} ${ref} --yes`)}`,
    });
  }
  const key = await findKey(ctx, target, ref);
  if (!yes) {
    const sure = await ctx.prompter.confirm({
      message: `Remove ${keyLabel(key)} from gateway ${gatewayId}? Requests that rely on it stop getting it.`,
      default: false,
    });
    if (!sure) return { gatewayId, removed: null };
  }
  const removed: ProviderKey = await forKey(ctx, target, ref, () =>
    client.providerKeys.delete(accountId, gatewayId, key.id),
  );
  return { gatewayId, removed };
}

export async function removeCommand(
  first: string,
  second: string | undefined,
  flags: { yes?: boolean },
  ctx: Context,
): Promise<void> {
  const { gatewayId, removed } = await runRemove(first, second, flags.yes === true, ctx);
  if (!removed) {
    ctx.io.err('Kept the key; nothing was removed.');
    return;
  }
  if (ctx.json) renderObject(ctx.io, removed, keyFields, { json: true });
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(removed.id);
  ctx.io.success(`Removed ${keyLabel(removed)} from gateway ${gatewayId}.`);
}

// `aigw providers remove <id|slug>`: deletes a custom provider and its pricing rules. Asks first in a terminal;
// anywhere else it needs --yes.
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderObject } from '../../io/render.js';
import { accountTarget, findProvider, masked, providerFields } from './common.js';

export async function removeCommand(ref: string, flags: { yes?: boolean }, ctx: Context): Promise<void> {
  if (!flags.yes && !ctx.io.canPrompt) {
    throw new UsageError('--yes required when not running interactively.', {
      hint: `Requests to the provider stop working. Run: ${ctx.hint(`providers remove ${ref} --yes`)}`,
    });
  }
  const target = await accountTarget(ctx);
  const provider = await findProvider(ctx, target, ref);
  if (!flags.yes) {
    const rules = await target.client.customProviders.rules(target.accountId, provider.id);
    const what =
      rules.length === 0 ? '' : ` and its ${rules.length} pricing rule${rules.length === 1 ? '' : 's'}`;
    const sure = await ctx.prompter.confirm({
      message: `Remove custom provider ${provider.slug} (custom-${provider.slug})${what}? Requests to it stop working.`,
      default: false,
    });
    if (!sure) {
      ctx.io.err(`Kept custom provider ${provider.slug}; nothing was removed.`);
      return;
    }
  }
  const removed = masked(await target.client.customProviders.delete(target.accountId, provider.id));
  if (ctx.json) renderObject(ctx.io, removed, providerFields, { json: true });
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(removed.id);
  ctx.io.success(`Removed custom provider ${removed.slug}.`);
}

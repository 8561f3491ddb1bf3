// `aigw profile remove <name>`: delete a profile's settings and stored credentials.
import { LOCAL_PROFILE } from '../../config/names.js';
import { unknownProfile, validateProfileName, warnEnvOverride } from '../../config/profile-view.js';
import type { Context } from '../../context.js';
import { AigwError, UsageError } from '../../errors.js';

export async function removeCommand(name: string, flags: { yes?: boolean }, ctx: Context): Promise<void> {
  const yes = flags.yes === true;
  validateProfileName(name);
  if (name === LOCAL_PROFILE) {
    throw new UsageError('The local profile is built in and cannot be removed.', {
      hint: `To forget its stored token: ${ctx.command} auth logout --local`,
    });
  }
  const store = await ctx.profiles();
  if (!store.exists(name)) throw unknownProfile(ctx, store, name);
  if (!yes) {
    if (!ctx.io.canPrompt) {
      throw new UsageError('--yes is required when not running interactively.', {
        hint: `Run: ${ctx.command} profile remove ${name} --yes`,
      });
    }
    const sure = await ctx.prompter.confirm({
      message: `Remove profile ${name} and its stored credentials?`,
      default: false,
    });
    if (!sure) throw new AigwError('Cancelled; nothing was removed.');
  }
  const wasCurrent = store.currentProfile === name;
  store.remove(name);
  ctx.io.success(`Removed profile ${name} (its settings and stored credentials).`);
  if (wasCurrent)
    ctx.io.err(`It was the current profile; choose another with: ${ctx.command} profile use <name>`);
  warnEnvOverride(ctx, name);
}

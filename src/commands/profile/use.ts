// `aigw profile use <name>`: make a profile the current one.

import { unknownProfile, validateProfileName, warnEnvOverride } from '../../config/profile-view.js';
import type { Context } from '../../context.js';

export async function useCommand(name: string, ctx: Context): Promise<void> {
  validateProfileName(name);
  const store = await ctx.profiles();
  if (!store.exists(name)) throw unknownProfile(ctx, store, name);
  store.setCurrent(name);
  ctx.io.success(`Switched to profile ${name}.`);
  if (ctx.env.AIGW_PROFILE && ctx.env.AIGW_PROFILE !== name)
    ctx.io.warn(`AIGW_PROFILE is set to ${ctx.env.AIGW_PROFILE}: it still wins in this shell.`);
  warnEnvOverride(ctx, name);
}

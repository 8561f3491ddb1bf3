// `aigw auth logout`: forget the stored credentials of a profile (its other settings stay).

import { credentialsFile, unknownProfile, warnEnvOverride } from '../../config/profile-view.js';
import { profileName } from '../../config/target.js';
import type { Context } from '../../context.js';
import { renderJson } from '../../io/render.js';

interface LogoutResult {
  profile: string;
  removed: boolean;
}

async function runLogout(ctx: Context): Promise<LogoutResult> {
  const store = await ctx.profiles();
  if (ctx.globals.profile && !store.exists(ctx.globals.profile))
    throw unknownProfile(ctx, store, ctx.globals.profile);
  const profile = profileName(ctx.globals, ctx.env, store);
  return { profile, removed: store.removeCredential(profile) };
}

export async function logoutCommand(ctx: Context): Promise<void> {
  const result = await runLogout(ctx);
  if (ctx.json) renderJson(ctx.io, result);
  const file = credentialsFile(await ctx.profiles());
  if (result.removed) ctx.io.success(`Removed the stored token of profile ${result.profile} from ${file}.`);
  else ctx.io.err(`Profile ${result.profile} has no stored credentials; nothing to remove.`);
  warnEnvOverride(ctx, result.profile);
}

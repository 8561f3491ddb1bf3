// The gateway a command works on: the one named on the command line, else the default gateway of the
// profile in use (`aigw profile add <name> --default-gateway <id>`), else a usage error saying both ways.
// Every command that takes a gateway resolves it here.
import { profileName } from '../../config/target.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { gatewayIdProblem, gatewayIdRule } from '../gateway/spec.js';

/** Fails with a usage error (exit 2, nothing sent) unless `id` is a valid gateway id. */
export function checkGatewayId(id: string, source = 'gateway id'): void {
  const problem = gatewayIdProblem(id);
  if (problem) {
    throw new UsageError(`Invalid ${source} ${problem}.`, {
      hint: `A gateway id has ${gatewayIdRule}: e.g. prod-chat, team_a-dev.`,
    });
  }
}

export async function resolveGateway(ctx: Context, given: string | undefined): Promise<string> {
  if (given !== undefined) {
    checkGatewayId(given);
    return given;
  }
  const store = await ctx.profiles();
  // An unknown --profile is reported as such (by the target), not as a missing default.
  if (ctx.globals.profile && !store.exists(ctx.globals.profile)) await ctx.target();
  const profile = profileName(ctx.globals, ctx.env, store);
  const fallback = store.settings(profile).defaultGateway;
  if (fallback === undefined) {
    throw new UsageError(`No gateway given, and profile "${profile}" has no default gateway.`, {
      hint:
        `Name one (${ctx.hint('gateway list')} lists them), or set a default: ` +
        `aigw profile add ${profile} --default-gateway <id>`,
    });
  }
  checkGatewayId(fallback, `default gateway of profile "${profile}":`);
  ctx.debug(`gateway ${fallback}: the default gateway of profile ${profile}`);
  return fallback;
}

// The gateway a command works on: the one named on the command line, else the default gateway of the
// profile in use (`aigw profile add <name> --default-gateway <id>`), else a usage error saying both ways.
// Every command that takes a gateway resolves it here.
import type { AigwClient } from '../../client/index.js';
import { profileName } from '../../config/target.js';
import type { Context } from '../../context.js';
import { NotFoundError, UsageError } from '../../errors.js';

export const gatewayIdRule =
  'lowercase letters, digits and _, words joined by single hyphens, 1-64 characters';

/** Why an id is not a valid gateway id, or null when it is. */
export function gatewayIdProblem(id: string): string | null {
  if (id.length === 0) return '"": it is empty';
  if (id.length > 64) return `"${id.slice(0, 20)}...": ${id.length} characters long (at most 64)`;
  if (!/^[a-z0-9_]+(?:-[a-z0-9_]+)*$/.test(id)) {
    const why = /[A-Z]/.test(id)
      ? 'uppercase letters are not allowed'
      : /^-|-$|--/.test(id)
        ? 'hyphens only go between words, one at a time'
        : 'only lowercase letters, digits, _ and - are allowed';
    return `"${id}": ${why}`;
  }
  return null;
}

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
        `${ctx.command} profile add ${profile} --default-gateway <id>`,
    });
  }
  checkGatewayId(fallback, `default gateway of profile "${profile}":`);
  ctx.debug(`gateway ${fallback}: the default gateway of profile ${profile}`);
  return fallback;
}

/** Runs `what`; a 404 becomes a message naming the gateway and the account. */
export async function forGateway<T>(ctx: Context, accountId: string, id: string, what: () => Promise<T>) {
  try {
    return await what();
  } catch (err) {
    if (err instanceof NotFoundError) {
      const target = await ctx.target();
      throw new NotFoundError(
        err.status,
        err.errors,
        `Gateway "${id}" was not found in account ${accountId}${target.local ? ' (local gateway)' : ''}.`,
        `List the gateways with: ${ctx.hint('gateway list')}`,
      );
    }
    throw err;
  }
}

/** What a command on one gateway's resources (logs, keys, routes, datasets...) works with. */
export interface GatewayTarget {
  accountId: string;
  gatewayId: string;
  client: AigwClient;
}

/** The gateway (named, or the profile's default), the account and the client. */
export async function gatewayTarget(ctx: Context, gateway: string | undefined): Promise<GatewayTarget> {
  const gatewayId = await resolveGateway(ctx, gateway);
  const accountId = await ctx.accountId();
  return { accountId, gatewayId, client: await ctx.client() };
}

/** `[gateway] <id>`: one positional is the id (of a log, a key, a route...), two are the gateway and the id. */
export function gatewayAndId(first: string, second: string | undefined): { gateway?: string; id: string } {
  return second === undefined ? { id: first } : { gateway: first, id: second };
}

/** An item of a gateway (a log, a key) for not-found messages: "Log 01J...", and its list: "logs", "logs prod". */
export interface GatewayItem {
  name: string;
  plural: string;
  list: string;
}

/**
 * Runs `what` on a gateway's resources. The same 404 answers an unknown gateway and an unknown item: with `item`,
 * the gateway's own GET tells which; without, it is the gateway that is missing.
 */
export async function forGatewayItem<T>(
  ctx: Context,
  target: GatewayTarget,
  what: () => Promise<T>,
  item?: GatewayItem,
): Promise<T> {
  const { accountId, gatewayId, client } = target;
  try {
    return await what();
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    if (!item) return forGateway(ctx, accountId, gatewayId, () => Promise.reject(err));
    await forGateway(ctx, accountId, gatewayId, () => client.gateways.get(accountId, gatewayId));
    throw await itemNotFound(ctx, target, item, err);
  }
}

/** "<item> was not found in gateway <id>", with the command that lists the gateway's items. */
export async function itemNotFound(
  ctx: Context,
  target: GatewayTarget,
  item: GatewayItem,
  err?: NotFoundError,
  message = `${item.name} was not found in gateway ${target.gatewayId}`,
): Promise<NotFoundError> {
  const local = (await ctx.target()).local ? ' (local gateway)' : '';
  return new NotFoundError(
    err?.status ?? 404,
    err?.errors ?? [],
    `${message}${local}.`,
    `List its ${item.plural} with: ${ctx.hint(item.list)}`,
  );
}

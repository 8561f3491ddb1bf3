// What the datasets and evals verbs share: a dataset or evaluation named by id or by name, deleting one after
// asking, and errors that name what was not found (and say, on Cloudflare, that these features are deprecated
// there).

import type { Dataset } from '../../client/datasets.js';
import type { Context } from '../../context.js';
import { ApiError, NotFoundError, UsageError } from '../../errors.js';
import { renderJson } from '../../io/render.js';
import { forGateway, type GatewayTarget } from './gateway.js';

/** Runs `what`: a 404 names the gateway; another API error on Cloudflare says these features are deprecated. */
export async function forItems<T>(ctx: Context, target: GatewayTarget, what: () => Promise<T>): Promise<T> {
  try {
    return await forGateway(ctx, target.accountId, target.gatewayId, what);
  } catch (err) {
    if (
      err instanceof ApiError &&
      !(err instanceof NotFoundError) &&
      !err.hint &&
      !(await ctx.target()).local
    ) {
      err.hint =
        'Cloudflare has deprecated datasets and evaluations: accounts created since then cannot use them.';
    }
    throw err;
  }
}

/** The dataset `ref` (an id or a name) names in the target's gateway. */
export async function findDataset(ctx: Context, target: GatewayTarget, ref: string): Promise<Dataset> {
  const all = await forItems(ctx, target, () =>
    target.client.datasets.list(target.accountId, target.gatewayId),
  );
  return pick(ctx, all, ref, { kind: 'Dataset', gatewayId: target.gatewayId, list: 'datasets list' });
}

/** The item `ref` names: its id, else its name (which must then be unique); not found otherwise. */
export function pick<T extends { id: string; name: string }>(
  ctx: Context,
  items: T[],
  ref: string,
  what: { kind: 'Dataset' | 'Evaluation'; gatewayId: string; list: string },
): T {
  const byId = items.find((item) => item.id === ref);
  if (byId) return byId;
  const byName = items.filter((item) => item.name === ref);
  if (byName.length === 1) return byName[0]!;
  const list = `List them with: ${ctx.hint(`${what.list} ${what.gatewayId}`)}`;
  if (byName.length > 1) {
    throw new NotFoundError(
      404,
      [],
      `${byName.length} ${what.kind.toLowerCase()}s of gateway ${what.gatewayId} are named "${ref}": name one by its id.`,
      list,
    );
  }
  throw new NotFoundError(404, [], `${what.kind} "${ref}" was not found in gateway ${what.gatewayId}.`, list);
}

/**
 * Deletes the item `ref` names after asking (in a terminal; elsewhere --yes is required): `find` reads it,
 * `remove` deletes it by id. Prints the deleted item (JSON, or its id when piped).
 */
export async function confirmAndDelete<T extends { id: string; name: string }>(
  ctx: Context,
  target: GatewayTarget,
  ref: string,
  flags: { yes?: boolean },
  what: { kind: string; command: string; question: (item: T) => string; done: (item: T) => string },
  find: () => Promise<T>,
  remove: (id: string) => Promise<T>,
): Promise<void> {
  if (!flags.yes && !ctx.io.canPrompt) {
    throw new UsageError('--yes required when not running interactively.', {
      hint: `Run: ${ctx.hint(`${what.command} ${target.gatewayId} ${ref} --yes`)}`,
    });
  }
  const item = await find();
  if (!flags.yes && !(await ctx.prompter.confirm({ message: what.question(item), default: false }))) {
    ctx.io.err(`Kept ${what.kind} ${item.name}; nothing was deleted.`);
    return;
  }
  const deleted = await forItems(ctx, target, () => remove(item.id));
  if (ctx.json) renderJson(ctx.io, deleted);
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(deleted.id);
  ctx.io.success(what.done(deleted));
}

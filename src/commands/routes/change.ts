// `aigw routes create|rename|delete`: a route from a flow file (deployed at once, as the API does), a new name,
// or no route (asks first in a terminal; elsewhere it needs --yes).
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderJson } from '../../io/render.js';
import { gatewayAndId, gatewayTarget } from '../args/gateway.js';
import { checkFlow, findRoute, readFlowFile } from './common.js';

export async function createCommand(
  first: string,
  second: string | undefined,
  flags: { file: string },
  ctx: Context,
): Promise<void> {
  const { gateway, id: name } = gatewayAndId(first, second);
  const flow = await readFlowFile(ctx, flags.file);
  checkFlow(ctx, flow, flags.file);
  const target = await gatewayTarget(ctx, gateway);
  const created = await target.client.routes.create(target.accountId, target.gatewayId, name, flow.elements);
  if (ctx.json) renderJson(ctx.io, created);
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(created.id);
  ctx.io.success(
    `Created route ${name} on gateway ${target.gatewayId} and deployed it. Call it with model "dynamic/${name}".`,
  );
}

export async function renameCommand(args: string[], ctx: Context): Promise<void> {
  const [gateway, name, next] = args.length === 3 ? args : [undefined, ...args];
  const target = await gatewayTarget(ctx, gateway);
  const route = await findRoute(ctx, target, name!);
  const renamed = await target.client.routes.rename(target.accountId, target.gatewayId, route.id, next!);
  if (ctx.json) renderJson(ctx.io, renamed);
  ctx.io.success(`Renamed route ${route.name} to ${next}: clients now call "dynamic/${next}".`);
}

export async function deleteCommand(
  first: string,
  second: string | undefined,
  flags: { yes?: boolean },
  ctx: Context,
): Promise<void> {
  const { gateway, id: name } = gatewayAndId(first, second);
  if (!flags.yes && !ctx.io.canPrompt) {
    throw new UsageError('--yes required when not running interactively.', {
      hint: `Deleting route ${name} deletes all of its versions. Run: ${ctx.hint(`routes delete ${[gateway, name].filter(Boolean).join(' ')} --yes`)}`,
    });
  }
  const target = await gatewayTarget(ctx, gateway);
  const route = await findRoute(ctx, target, name);
  if (!flags.yes) {
    const sure = await ctx.prompter.confirm({
      message: `Delete route ${route.name} of gateway ${target.gatewayId} with all its versions? Requests for "dynamic/${route.name}" will fail.`,
      default: false,
    });
    if (!sure) {
      ctx.io.err(`Kept route ${route.name}; nothing was deleted.`);
      return;
    }
  }
  const deleted = await target.client.routes.delete(target.accountId, target.gatewayId, route.id);
  if (ctx.json) renderJson(ctx.io, deleted);
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(deleted.id);
  ctx.io.success(`Deleted route ${route.name} of gateway ${target.gatewayId}.`);
}

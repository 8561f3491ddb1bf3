// `aigw gateway get <id>`: one gateway's settings.
import type { Gateway } from '../../client/gateways.js';
import type { Context } from '../../context.js';
import { renderObject } from '../../io/render.js';
import { gatewayFields } from './columns.js';
import { checkGatewayId, forGateway } from './common.js';

export async function runGet(options: { id: string }, ctx: Context): Promise<Gateway> {
  checkGatewayId(options.id);
  const accountId = await ctx.accountId();
  const client = await ctx.client();
  return forGateway(ctx, accountId, options.id, () => client.gateways.get(accountId, options.id));
}

export async function getCommand(id: string, ctx: Context): Promise<void> {
  const gateway = await runGet({ id }, ctx);
  renderObject(ctx.io, gateway, gatewayFields, { json: ctx.json, now: ctx.now() });
}

// `aigw gateway get <id>`: one gateway's settings.
import type { Gateway } from '../../client/gateways.js';
import type { Context } from '../../context.js';
import { renderObject } from '../../io/render.js';
import { forGateway, resolveGateway } from '../args/gateway.js';
import { gatewayFields } from './columns.js';

/** `id` defaults to the profile's default gateway. */
async function runGet(options: { id?: string | undefined }, ctx: Context): Promise<Gateway> {
  const id = await resolveGateway(ctx, options.id);
  const accountId = await ctx.accountId();
  const client = await ctx.client();
  return forGateway(ctx, accountId, id, () => client.gateways.get(accountId, id));
}

export async function getCommand(id: string | undefined, ctx: Context): Promise<void> {
  const gateway = await runGet({ id }, ctx);
  renderObject(ctx.io, gateway, gatewayFields, { json: ctx.json, now: ctx.now() });
}

// `aigw keys get [gateway] <key>`: one provider key, by id or provider[/alias]; its preview, never the key.
import type { Context } from '../../context.js';
import { renderObject } from '../../io/render.js';
import { gatewayAndId, gatewayTarget } from '../args/gateway.js';
import { findKey, keyFields } from './common.js';

export async function getCommand(first: string, second: string | undefined, ctx: Context): Promise<void> {
  const { gateway, id: ref } = gatewayAndId(first, second);
  const key = await findKey(ctx, await gatewayTarget(ctx, gateway), ref);
  renderObject(ctx.io, key, keyFields, { json: ctx.json, now: ctx.now() });
}

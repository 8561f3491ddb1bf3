// `aigw providers get <id|slug>`: one custom provider; its header names, never their values.
import type { Context } from '../../context.js';
import { renderObject } from '../../io/render.js';
import { accountTarget, findProvider, masked, providerFields } from './common.js';

export async function getCommand(ref: string, ctx: Context): Promise<void> {
  const provider = masked(await findProvider(ctx, await accountTarget(ctx), ref));
  renderObject(ctx.io, provider, providerFields, { json: ctx.json, now: ctx.now() });
}

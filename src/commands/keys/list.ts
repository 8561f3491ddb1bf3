// `aigw keys list [gateway]`: a gateway's provider keys (every page), each shown by its preview only.
import type { ProviderKey } from '../../client/provider-keys.js';
import type { Context } from '../../context.js';
import { renderList } from '../../io/render.js';
import { gatewayTarget } from '../args/gateway.js';
import { forKey, keyColumns } from './common.js';

async function runList(gateway: string | undefined, ctx: Context) {
  const target = await gatewayTarget(ctx, gateway);
  const { accountId, gatewayId, client } = target;
  const keys: ProviderKey[] = await forKey(ctx, target, undefined, () =>
    client.providerKeys.list(accountId, gatewayId),
  );
  return { gatewayId, keys };
}

export async function listCommand(gateway: string | undefined, ctx: Context): Promise<void> {
  const { gatewayId, keys } = await runList(gateway, ctx);
  renderList(ctx.io, keys, keyColumns, { json: ctx.json, now: ctx.now() });
  if (keys.length === 0 && !ctx.json && ctx.io.stdoutIsTTY) {
    ctx.io.err(
      `No provider keys in gateway ${gatewayId}. Add one with: ${ctx.hint(`keys add ${gatewayId} --provider openai`)}`,
    );
  }
}

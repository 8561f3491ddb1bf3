// `aigw gateway update <id> [flags]`: changes only the fields the flags name. The API replaces the whole
// gateway on PUT, so this reads it, merges the changes, and sends the result.
import { type Gateway, type GatewaySettings, settingsOf } from '../../client/gateways.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderObject } from '../../io/render.js';
import { forGateway, resolveGateway } from '../args/gateway.js';
import { gatewayFields } from './columns.js';
import { readFlagFiles } from './common.js';
import { applySets, hasSettingFlags, parseSettingFlags } from './flags.js';
import type { SettingFlags } from './setting-options.js';
import { sameValue } from './spec.js';

interface UpdateOptions {
  /** Defaults to the profile's default gateway. */
  id?: string | undefined;
  flags: SettingFlags;
}

interface UpdateResult {
  gateway: Gateway;
  /** The fields whose value changed. */
  changed: string[];
}

async function runUpdate(options: UpdateOptions, ctx: Context): Promise<UpdateResult> {
  const id = await resolveGateway(ctx, options.id);
  if (!hasSettingFlags(options.flags)) {
    throw new UsageError('Nothing to update: name at least one setting.', {
      hint: `For example: ${ctx.hint(`gateway update ${id} --cache-ttl 1h`)}. See: aigw gateway update --help`,
    });
  }
  const files = await readFlagFiles(ctx, options.flags);
  const { settings, sets } = parseSettingFlags(options.flags, files);

  const accountId = await ctx.accountId();
  const client = await ctx.client();
  return forGateway(ctx, accountId, id, async () => {
    const current = settingsOf(await client.gateways.get(accountId, id)) as Record<string, unknown>;
    const withFlags: Record<string, unknown> = { ...current, ...settings };
    const next = { ...withFlags, ...applySets(withFlags, sets) };
    const changed = Object.keys(next).filter((k) => !sameValue(current[k], next[k]));
    const gateway = await client.gateways.replace(accountId, id, next as GatewaySettings);
    return { gateway, changed };
  });
}

export async function updateCommand(
  given: string | undefined,
  flags: SettingFlags,
  ctx: Context,
): Promise<void> {
  const { gateway, changed } = await runUpdate({ id: given, flags }, ctx);
  const id = gateway.id;
  renderObject(ctx.io, gateway, gatewayFields, { json: ctx.json, now: ctx.now() });
  ctx.io.success(
    changed.length === 0
      ? `Gateway ${id} already had those settings.`
      : `Updated gateway ${id}: ${changed.join(', ')}.`,
  );
}

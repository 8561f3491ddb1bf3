// `aigw gateway create [id]`: flags (or, in a terminal without flags, a few questions) → a new gateway.
// In a terminal the id is asked for when not given; elsewhere it is required.
import type { Gateway, GatewayFields } from '../../client/gateways.js';
import type { Context } from '../../context.js';
import { ApiError, UsageError } from '../../errors.js';
import { createDefaults } from '../../gateway-defaults.js';
import { renderObject } from '../../io/render.js';
import { checkGatewayId } from '../args/gateway.js';
import { gatewayFields } from './columns.js';
import { readFlagFiles } from './common.js';
import { applySets, hasSettingFlags, parseSettingFlags } from './flags.js';
import type { SettingFlags } from './setting-options.js';
import { askGatewayId, gatewayWizard } from './wizard.js';

interface CreateOptions {
  /** Asked for in a terminal when not given. */
  id?: string | undefined;
  flags: SettingFlags;
}

async function runCreate(options: CreateOptions, ctx: Context): Promise<Gateway> {
  if (options.id !== undefined) checkGatewayId(options.id);
  else if (!ctx.io.canPrompt) {
    throw new UsageError('gateway create needs an id when it cannot ask for one.', {
      hint: `For example: ${ctx.hint('gateway create prod-chat')}`,
    });
  }
  // Every flag is checked before the first question.
  const files = await readFlagFiles(ctx, options.flags);
  const { settings, sets } = parseSettingFlags(options.flags, files);
  const id = options.id ?? (await askGatewayId(ctx.prompter));
  const asked = !hasSettingFlags(options.flags) && ctx.io.canPrompt ? await gatewayWizard(ctx.prompter) : {};
  const merged = { ...createDefaults, ...asked, ...settings };
  const fields = { ...merged, ...applySets(merged, sets), id } as GatewayFields;

  const accountId = await ctx.accountId();
  const client = await ctx.client();
  try {
    return await client.gateways.create(accountId, fields);
  } catch (err) {
    if (err instanceof ApiError && err.status === 400 && /exist/i.test(err.message)) {
      err.hint = `Pick another id, or change that gateway with: ${ctx.hint(`gateway update ${id} [flags]`)}`;
    }
    throw err;
  }
}

export async function createCommand(
  id: string | undefined,
  flags: SettingFlags,
  ctx: Context,
): Promise<void> {
  const gateway = await runCreate({ id, flags }, ctx);
  renderObject(ctx.io, gateway, gatewayFields, { json: ctx.json, now: ctx.now() });
  ctx.io.success(`Created gateway ${gateway.id}. Its URL: ${ctx.hint(`gateway url ${gateway.id}`)}`);
}

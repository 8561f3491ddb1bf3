// `aigw gateway create <id>`: flags (or, in a terminal without flags, a few questions) → a new gateway.
import type { Gateway, GatewayFields } from '../../client/gateways.js';
import type { Context } from '../../context.js';
import { ApiError } from '../../errors.js';
import { createDefaults } from '../../gateway-defaults.js';
import { renderObject } from '../../io/render.js';
import { gatewayFields } from './columns.js';
import { checkGatewayId, readFlagFiles } from './common.js';
import { applySets, hasSettingFlags, parseSettingFlags } from './flags.js';
import type { SettingFlags } from './setting-options.js';
import { gatewayWizard } from './wizard.js';

export interface CreateOptions {
  id: string;
  flags: SettingFlags;
}

export async function runCreate(options: CreateOptions, ctx: Context): Promise<Gateway> {
  checkGatewayId(options.id);
  const files = await readFlagFiles(ctx, options.flags);
  const { settings, sets } = parseSettingFlags(options.flags, files);
  const asked = !hasSettingFlags(options.flags) && ctx.io.canPrompt ? await gatewayWizard(ctx.prompter) : {};
  const merged = { ...createDefaults, ...asked, ...settings };
  const fields = { ...merged, ...applySets(merged, sets), id: options.id } as GatewayFields;

  const accountId = await ctx.accountId();
  const client = await ctx.client();
  try {
    return await client.gateways.create(accountId, fields);
  } catch (err) {
    if (err instanceof ApiError && err.status === 400 && /exist/i.test(err.message)) {
      err.hint = `Pick another id, or change that gateway with: ${ctx.hint(`gateway update ${options.id} [flags]`)}`;
    }
    throw err;
  }
}

export async function createCommand(id: string, flags: SettingFlags, ctx: Context): Promise<void> {
  const gateway = await runCreate({ id, flags }, ctx);
  renderObject(ctx.io, gateway, gatewayFields, { json: ctx.json, now: ctx.now() });
  if (!ctx.json)
    ctx.io.success(`Created gateway ${gateway.id}. Its URL: ${ctx.hint(`gateway url ${gateway.id}`)}`);
}

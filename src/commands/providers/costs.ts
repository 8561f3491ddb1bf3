// `aigw providers costs list|add|update|remove`: the pricing rules of custom providers (a model, matched
// equals / starts-with / contains, with its input and output cost), all through the shared client's raw calls.
import type { PricingRule, PricingRuleFields } from '../../client/custom-providers.js';
import type { Context } from '../../context.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { renderList, renderObject } from '../../io/render.js';
import { type AccountTarget, accountTarget, findProvider, ruleColumns } from './common.js';

export interface RuleFlags {
  model?: string;
  rule?: string;
  costIn?: string;
  costOut?: string;
  enable?: boolean;
  disable?: boolean;
}

const modelRules = ['equals', 'starts-with', 'contains'] as const;

/** The fields the flags set; bad values are usage errors. */
function ruleChanges(flags: RuleFlags): PricingRuleFields {
  if (flags.enable && flags.disable) throw new UsageError('--enable and --disable cannot be used together.');
  if (flags.rule !== undefined && !(modelRules as readonly string[]).includes(flags.rule)) {
    throw new UsageError(`--rule must be one of ${modelRules.join(', ')}, not "${flags.rule}".`);
  }
  return {
    ...(flags.model !== undefined ? { model: flags.model } : {}),
    ...(flags.rule !== undefined ? { model_rule: flags.rule as PricingRuleFields['model_rule'] } : {}),
    ...(flags.costIn !== undefined ? { cost_in: cost('--cost-in', flags.costIn) } : {}),
    ...(flags.costOut !== undefined ? { cost_out: cost('--cost-out', flags.costOut) } : {}),
    ...(flags.enable ? { enable: true } : flags.disable ? { enable: false } : {}),
  };
}

function cost(flag: string, text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${flag} "${text}" is not a cost (a number, 0 or more).`);
  }
  return value;
}

/** The provider slugs by id, for showing rules. */
async function slugsOf(target: AccountTarget): Promise<Map<string, string>> {
  const providers = await target.client.customProviders.list(target.accountId);
  return new Map(providers.map((p) => [p.id, p.slug]));
}

/** Runs `what`; a 404 names the rule. */
async function forRule<T>(ctx: Context, id: string, what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    throw new NotFoundError(
      err.status,
      err.errors,
      `No pricing rule "${id}" in this account.`,
      `List them with: ${ctx.hint('providers costs list')}`,
    );
  }
}

function printRule(ctx: Context, rule: PricingRule, slugs: ReadonlyMap<string, string>): void {
  const fields = ruleColumns(slugs).map((c) => ({
    ...c,
    header: c.header[0] + c.header.slice(1).toLowerCase(),
  }));
  if (ctx.json) renderObject(ctx.io, rule, fields, { json: true });
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(rule.id);
  else renderObject(ctx.io, rule, fields, { json: false, now: ctx.now() });
}

export async function costsListCommand(provider: string | undefined, ctx: Context): Promise<void> {
  const target = await accountTarget(ctx);
  const only = provider === undefined ? undefined : await findProvider(ctx, target, provider);
  const rules = await target.client.customProviders.rules(target.accountId, only?.id);
  renderList(ctx.io, rules, ruleColumns(await slugsOf(target)), { json: ctx.json, now: ctx.now() });
  if (rules.length === 0 && !ctx.json && ctx.io.stdoutIsTTY) {
    ctx.io.err(
      `No pricing rules${only ? ` for ${only.slug}` : ''}. Add one with: ` +
        ctx.hint(
          `providers costs add ${only?.slug ?? '<provider>'} --model <model> --cost-in <n> --cost-out <n>`,
        ),
    );
  }
}

export async function costsAddCommand(provider: string, flags: RuleFlags, ctx: Context): Promise<void> {
  if (flags.model === undefined) throw new UsageError('--model is required.');
  const changes = ruleChanges(flags);
  const target = await accountTarget(ctx);
  const found = await findProvider(ctx, target, provider);
  const rule = await target.client.customProviders.addRule(target.accountId, found.id, changes);
  printRule(ctx, rule, new Map([[found.id, found.slug]]));
  ctx.io.success(
    `Added a pricing rule for ${found.slug}: model ${rule.model_rule ?? 'equals'} "${rule.model}".`,
  );
}

export async function costsUpdateCommand(id: string, flags: RuleFlags, ctx: Context): Promise<void> {
  const changes = ruleChanges(flags);
  if (Object.keys(changes).length === 0) {
    throw new UsageError('Nothing to change: name a field to set.', {
      hint: `See: ${ctx.hint('providers costs update --help')}`,
    });
  }
  const target = await accountTarget(ctx);
  const rule = await forRule(ctx, id, () =>
    target.client.customProviders.updateRule(target.accountId, id, changes),
  );
  printRule(ctx, rule, await slugsOf(target));
  ctx.io.success(`Updated pricing rule ${id}.`);
}

export async function costsRemoveCommand(id: string, flags: { yes?: boolean }, ctx: Context): Promise<void> {
  if (!flags.yes && !ctx.io.canPrompt) {
    throw new UsageError('--yes required when not running interactively.', {
      hint: `Run: ${ctx.hint(`providers costs remove ${id} --yes`)}`,
    });
  }
  const target = await accountTarget(ctx);
  if (!flags.yes) {
    const sure = await ctx.prompter.confirm({ message: `Remove pricing rule ${id}?`, default: false });
    if (!sure) {
      ctx.io.err('Kept the pricing rule; nothing was removed.');
      return;
    }
  }
  const removed = await forRule(ctx, id, () =>
    target.client.customProviders.removeRule(target.accountId, id),
  );
  if (ctx.json) renderObject(ctx.io, removed, ruleColumns(new Map()), { json: true });
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(removed.id);
  ctx.io.success(`Removed pricing rule ${id} (model "${removed.model}").`);
}

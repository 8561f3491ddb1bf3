// `aigw gateway apply -f <file>`: makes the account's gateways (their settings, provider keys and routes) match
// a file, idempotently. The file is checked as a whole, and the secrets it references are read, before any
// request; then a plan (create / update / rotate / unchanged / delete) is computed against what exists, printed,
// and carried out unless --dry-run. An unchanged file sends no write.
import { dirname, resolve } from 'node:path';
import type { CustomProvider } from '../../client/custom-providers.js';
import { settingsOf } from '../../client/gateways.js';
import type { ProviderKey } from '../../client/provider-keys.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { parseData, readInput } from '../../io/files.js';
import { renderJson } from '../../io/render.js';
import {
  type ApplyPlan,
  carryOut,
  type KeyWanted,
  keyRecord,
  type ProviderWanted,
  providerRecord,
} from './apply-steps.js';
import { flagErrors } from './flags.js';
import { type DesiredKey, type KeyPlanItem, planKeys } from './key-plan.js';
import { computePlan, countChanges, parseApplyFile } from './plan.js';
import { type ApplyResult, renderPlan, summarize } from './plan-render.js';
import { type DesiredProvider, headersBody, type ProviderPlanItem, planProviders } from './provider-plan.js';
import { planRoutes, type RoutePlanItem } from './route-plan.js';
import { SecretDigests } from './secret-digests.js';
import { readSecrets } from './secret-ref.js';

export interface ApplyOptions {
  file: string;
  dryRun?: boolean;
  prune?: boolean;
  yes?: boolean;
}

async function readApplyFile(options: ApplyOptions, ctx: Context) {
  const text = await readInput(ctx, '--file', options.file);
  const data = await parseData('--file', options.file, text);
  const { errors, ...file } = parseApplyFile(data);
  if (errors.length > 0) {
    const name = options.file === '-' ? 'stdin' : options.file;
    const err = flagErrors(errors.length === 1 ? [`${name}: ${errors[0]}`] : errors, name);
    err.hint = 'Nothing was changed. See the file format in: aigw gateway apply --help';
    throw err;
  }
  return file;
}

/** `onPlan` sees the plan before anything changes (the command prints it there). */
async function runApply(
  options: ApplyOptions,
  ctx: Context,
  onPlan: (result: ApplyResult) => void,
): Promise<ApplyResult> {
  const { gateways: desired, listsGateways, providers: desiredProviders } = await readApplyFile(options, ctx);
  if (options.prune && !options.dryRun && !options.yes && !ctx.io.canPrompt) {
    throw new UsageError('--yes required when not running interactively.', {
      hint:
        '--prune deletes the gateways the file does not name (with their stored logs), the keys and routes a ' +
        'listing gateway does not name, and the custom providers a file listing them does not name. Add --yes, ' +
        'or check first with --dry-run.',
    });
  }
  // Secrets are read before any request: one that cannot be read stops everything.
  const keyed = desired.flatMap((g) => (g.keys ?? []).map((key) => ({ gateway: g.id, key })));
  const baseDir = options.file === '-' ? ctx.cwd : dirname(resolve(ctx.cwd, options.file));
  const headed = (desiredProviders ?? []).flatMap((p) =>
    Object.entries(p.headers ?? {}).map(([name, ref]) => ({
      ref,
      what: `custom provider ${p.slug} header ${name}`,
    })),
  );
  const secrets = await readSecrets(
    ctx,
    [
      ...keyed.map(({ gateway, key }) => ({
        ref: key.secret,
        what: `${gateway} key ${key.provider}/${key.alias}`,
      })),
      ...headed,
    ],
    baseDir,
  );
  const headerValues = secrets.splice(keyed.length);

  const accountId = await ctx.accountId();
  const client = await ctx.client();
  const digests = new SecretDigests(ctx.configDir);
  const existing = await client.gateways.list(accountId);
  const prune = options.prune === true;
  const { providers, providersWanted } = desiredProviders
    ? planAccountProviders(desiredProviders, await client.customProviders.list(accountId), headerValues, {
        accountId,
        digests,
        prune,
      })
    : { providers: [], providersWanted: new Map() };
  const gateways = computePlan(desired, existing, { prune: prune && listsGateways });
  const known = new Set(existing.map((g) => g.id));
  const routes: RoutePlanItem[] = [];
  const keys: KeyPlanItem[] = [];
  const wanted = new Map<KeyPlanItem, KeyWanted>();
  for (const gateway of desired) {
    const there = known.has(gateway.id);
    if (gateway.keys) {
      const current = there ? await client.providerKeys.list(accountId, gateway.id) : [];
      const secretOf = new Map(
        keyed.flatMap(({ gateway: g, key }, i) => (g === gateway.id ? [[key, secrets[i]!] as const] : [])),
      );
      const items = planGatewayKeys(gateway.id, gateway.keys, current, secretOf, wanted, {
        accountId,
        digests,
        prune,
      });
      keys.push(...items);
    }
    if (gateway.routes) {
      const current = there ? await client.routes.list(accountId, gateway.id) : [];
      routes.push(...planRoutes(gateway.id, gateway.routes, current, { prune }));
    }
  }
  const changed = (items: { action: string }[]) => items.filter((i) => i.action !== 'unchanged').length;
  const changes = countChanges(gateways) + changed(routes) + changed(keys) + changed(providers);
  const result: ApplyResult = { plan: gateways, providers, routes, keys, applied: false, changes };
  onPlan(result);
  // Stored keys are used only by a gateway with authentication on: say so for a gateway that lists keys without it.
  for (const gateway of desired) {
    const on = gateway.settings.authentication ?? existing.find((g) => g.id === gateway.id)?.authentication;
    if (gateway.keys?.length && on !== true) {
      ctx.io.warn(
        `Gateway ${gateway.id} lists provider keys but has authentication off, so its stored keys are not used: ` +
          'add authentication: true to it in the file.',
      );
    }
  }
  if (options.dryRun) return result;

  const plan: ApplyPlan = {
    providers,
    providersWanted,
    gateways,
    existing: new Map(existing.map((g) => [g.id, settingsOf(g)])),
    keys,
    wanted,
    routes,
    changes,
  };
  if (changes > 0 && !options.yes) {
    const question = deletionQuestion(result);
    if (question && !(await ctx.prompter.confirm({ message: question, default: false }))) {
      return { ...result, declined: true };
    }
  }
  try {
    await carryOut({ accountId, client, digests }, plan);
  } finally {
    digests.save();
  }
  return { ...result, applied: changes > 0 };
}

/** The plan for one gateway's keys; each key the file names goes into `wanted` with its secret. */
function planGatewayKeys(
  gatewayId: string,
  desired: DesiredKey[],
  current: ProviderKey[],
  secretOf: Map<DesiredKey, string>,
  wanted: Map<KeyPlanItem, KeyWanted>,
  options: { accountId: string; digests: SecretDigests; prune: boolean },
): KeyPlanItem[] {
  const { accountId, digests, prune } = options;
  const items = planKeys(
    gatewayId,
    desired,
    current,
    (key, now) =>
      digests.changed(keyRecord(accountId, gatewayId, now.id), secretOf.get(key)!, {
        preview: now.secret_preview,
        modified_at: now.modified_at,
      }),
    { prune },
  );
  const byName = new Map(current.map((k) => [`${k.provider_slug}/${k.alias}`, k]));
  for (const item of items) {
    const key = desired.find((k) => k.provider === item.provider && k.alias === item.alias);
    if (!key) continue;
    const now = byName.get(`${key.provider}/${key.alias}`);
    wanted.set(item, { desired: key, secret: secretOf.get(key)!, ...(now ? { current: now } : {}) });
  }
  return items;
}

/** The plan for the custom providers a file lists; `values` are their header values, in the file's order. */
function planAccountProviders(
  desired: DesiredProvider[],
  existing: CustomProvider[],
  values: string[],
  options: { accountId: string; digests: SecretDigests; prune: boolean },
) {
  const wanted = new Map<DesiredProvider, Omit<ProviderWanted, 'current'>>();
  let next = 0;
  for (const provider of desired) {
    if (!provider.headers) {
      wanted.set(provider, { desired: provider, secrets: [] });
      continue;
    }
    const names = Object.keys(provider.headers);
    const secrets = values.slice(next, next + names.length);
    next += names.length;
    wanted.set(provider, { desired: provider, headers: headersBody(names, secrets), secrets });
  }
  const { accountId, digests, prune } = options;
  const providers = planProviders(
    desired,
    existing,
    (provider, now) =>
      digests.changed(providerRecord(accountId, now.id), wanted.get(provider)!.headers!, {
        modified_at: now.modified_at,
      }),
    { prune },
  );
  const bySlug = new Map(existing.map((p) => [p.slug, p]));
  const providersWanted = new Map<ProviderPlanItem, ProviderWanted>();
  for (const item of providers) {
    const provider = desired.find((p) => p.slug === item.slug);
    if (!provider) continue;
    const current = bySlug.get(item.slug);
    providersWanted.set(item, { ...wanted.get(provider)!, ...(current ? { current } : {}) });
  }
  return { providers, providersWanted };
}

/** "Delete 1 gateway (old) and all of its stored logs, 1 route (prod/batch)?", or null when nothing goes. */
function deletionQuestion(result: ApplyResult): string | null {
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const parts: string[] = [];
  const gateways = result.plan.filter((p) => p.action === 'delete').map((p) => p.id);
  if (gateways.length > 0) {
    parts.push(`${count(gateways.length, 'gateway')} (${gateways.join(', ')}) and all of their stored logs`);
  }
  const keys = result.keys.filter((k) => k.action === 'delete');
  if (keys.length > 0) {
    const names = keys.map((k) => `${k.gateway}/${k.provider}/${k.alias}`);
    parts.push(`${count(keys.length, 'provider key')} (${names.join(', ')})`);
  }
  const routes = result.routes.filter((r) => r.action === 'delete');
  if (routes.length > 0) {
    const names = routes.map((r) => `${r.gateway}/${r.route}`);
    parts.push(`${count(routes.length, 'route')} with their versions (${names.join(', ')})`);
  }
  const providers = result.providers.filter((p) => p.action === 'delete').map((p) => p.slug);
  if (providers.length > 0) {
    parts.push(
      `${count(providers.length, 'custom provider')} with their pricing rules (${providers.join(', ')})`,
    );
  }
  return parts.length === 0 ? null : `Delete ${parts.join(', ')}?`;
}

export async function applyCommand(flags: ApplyOptions, ctx: Context): Promise<void> {
  const result = await runApply(flags, ctx, (planned) => {
    if (!ctx.json) renderPlan(ctx, planned);
  });
  if (ctx.json) {
    renderJson(ctx.io, result);
    return;
  }
  const name = flags.file === '-' ? 'stdin' : flags.file;
  if (result.declined) ctx.io.err('Nothing applied.');
  else if (result.plan.length === 0 && result.providers.length === 0)
    ctx.io.err(`${name} names no gateways. No changes.`);
  else if (result.changes === 0) ctx.io.err(`No changes: everything already matches ${name}.`);
  else if (!result.applied) ctx.io.err(`Dry run: ${summarize(result)}. Nothing was changed.`);
  else ctx.io.success(`Applied ${summarize(result)}.`);
}

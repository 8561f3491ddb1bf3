// `aigw gateway apply -f <file>`: makes the account's gateways match a file, idempotently. The file is
// checked as a whole before any request; then a plan (create / update / unchanged / delete) is computed
// against the gateways that exist, printed, and carried out unless --dry-run.
import { type GatewayFields, type GatewaySettings, settingsOf } from '../../client/gateways.js';
import type { AigwClient } from '../../client/index.js';
import type { Context } from '../../context.js';
import { AigwError, UsageError } from '../../errors.js';
import { createDefaults } from '../../gateway-defaults.js';
import { parseData, readInput } from '../../io/files.js';
import { renderJson } from '../../io/render.js';
import { flagErrors } from './flags.js';
import {
  computePlan,
  countChanges,
  describeChanges,
  type PlanAction,
  type PlanItem,
  parseApplyFile,
  summarizePlan,
} from './plan.js';
import { planRoutes, type RoutePlanItem } from './route-plan.js';

export interface ApplyOptions {
  file: string;
  dryRun?: boolean;
  prune?: boolean;
  yes?: boolean;
}

interface ApplyResult {
  plan: PlanItem[];
  /** What happens to the routes of the gateways that list `routes`. */
  routes: RoutePlanItem[];
  applied: boolean;
  changes: number;
  /** Set when the user answered no to the deletions: nothing was applied. */
  declined?: true;
}

/** `onPlan` sees the plan before anything changes (the command prints it there). */
async function runApply(
  options: ApplyOptions,
  ctx: Context,
  onPlan: (plan: PlanItem[], routes: RoutePlanItem[]) => void = () => {},
): Promise<ApplyResult> {
  const text = await readInput(ctx, '--file', options.file);
  const data = await parseData('--file', options.file, text);
  const { gateways: desired, errors } = parseApplyFile(data);
  if (errors.length > 0) {
    const name = options.file === '-' ? 'stdin' : options.file;
    const err = flagErrors(errors.length === 1 ? [`${name}: ${errors[0]}`] : errors, name);
    err.hint = 'Nothing was changed. See the file format in: aigw gateway apply --help';
    throw err;
  }
  if (options.prune && !options.dryRun && !options.yes && !ctx.io.canPrompt) {
    throw new UsageError('--yes required when not running interactively.', {
      hint: '--prune deletes the gateways the file does not name, with their stored logs. Add --yes, or check first with --dry-run.',
    });
  }

  const accountId = await ctx.accountId();
  const client = await ctx.client();
  const existing = await client.gateways.list(accountId);
  const plan = computePlan(desired, existing, { prune: options.prune === true });
  const known = new Set(existing.map((g) => g.id));
  const routes: RoutePlanItem[] = [];
  for (const gateway of desired) {
    if (!gateway.routes) continue;
    const current = known.has(gateway.id) ? await client.routes.list(accountId, gateway.id) : [];
    routes.push(...planRoutes(gateway.id, gateway.routes, current, { prune: options.prune === true }));
  }
  const changes = countChanges(plan) + routes.filter((r) => r.action !== 'unchanged').length;
  const result: ApplyResult = { plan, routes, applied: false, changes };
  onPlan(plan, routes);
  if (options.dryRun || changes === 0) return result;

  const deletions = plan.filter((p) => p.action === 'delete');
  const routeDeletions = routes.filter((r) => r.action === 'delete');
  if (routeDeletions.length > 0 && deletions.length === 0 && !options.yes) {
    const sure = await ctx.prompter.confirm({
      message: `Delete ${routeDeletions.length} route(s) (${routeDeletions.map((r) => `${r.gateway}/${r.route}`).join(', ')})?`,
      default: false,
    });
    if (!sure) return { ...result, declined: true };
  }
  if (deletions.length > 0 && !options.yes) {
    const sure = await ctx.prompter.confirm({
      message: `Delete ${deletions.length} gateway${deletions.length === 1 ? '' : 's'} (${deletions.map((d) => d.id).join(', ')}) and all of their stored logs?`,
      default: false,
    });
    if (!sure) return { ...result, declined: true };
  }

  const byId = new Map(existing.map((g) => [g.id, g]));
  let done = 0;
  for (const item of plan) {
    try {
      if (item.action === 'create') {
        const fields = Object.fromEntries(item.changes.map((c) => [c.field, c.to]));
        await client.gateways.create(accountId, {
          ...createDefaults,
          ...fields,
          id: item.id,
        } as GatewayFields);
      } else if (item.action === 'update') {
        const current = settingsOf(byId.get(item.id)!);
        const fields = Object.fromEntries(item.changes.map((c) => [c.field, c.to]));
        await client.gateways.replace(accountId, item.id, { ...current, ...fields } as GatewaySettings);
      } else if (item.action === 'delete') {
        await client.gateways.delete(accountId, item.id);
      } else continue;
      done++;
    } catch (err) {
      if (err instanceof AigwError) {
        err.message = `Applied ${done} of ${changes} changes, then could not ${item.action} gateway ${item.id}: ${err.message}`;
      }
      throw err;
    }
  }
  for (const item of routes) {
    try {
      await applyRoute(client, accountId, item);
      if (item.action !== 'unchanged') done++;
    } catch (err) {
      if (err instanceof AigwError) {
        err.message = `Applied ${done} of ${changes} changes, then could not ${item.action} route ${item.gateway}/${item.route}: ${err.message}`;
      }
      throw err;
    }
  }
  return { ...result, applied: true };
}

/** One route change: create (deploys), a new version deployed, or a delete. */
async function applyRoute(client: AigwClient, accountId: string, item: RoutePlanItem): Promise<void> {
  const { routes } = client;
  if (item.action === 'create') await routes.create(accountId, item.gateway, item.route, item.elements!);
  else if (item.action === 'delete') await routes.delete(accountId, item.gateway, item.id!);
  else if (item.action === 'update') {
    await routes.addVersion(accountId, item.gateway, item.id!, item.elements!);
    // The API answers the route, not the version: the newest version is the one just saved.
    const [newest] = await routes.versions(accountId, item.gateway, item.id!);
    await routes.deploy(accountId, item.gateway, item.id!, newest!.version_id);
  }
}

const marks: Record<PlanAction, string> = { create: '+', update: '~', unchanged: '=', delete: '-' };

function renderPlan(ctx: Context, plan: PlanItem[], routes: RoutePlanItem[]): void {
  const { io } = ctx;
  const routeNote: Record<RoutePlanItem['action'], string> = {
    create: 'route, deployed',
    update: 'route: its flow becomes a new version, deployed',
    unchanged: 'route',
    delete: 'route, with its versions',
  };
  if (!io.stdoutIsTTY) {
    for (const item of plan) io.out([item.action, item.id, describeChanges(item)].join('\t'));
    for (const r of routes) io.out([r.action, `${r.gateway}/${r.route}`, routeNote[r.action]].join('\t'));
    return;
  }
  const paint: Record<PlanAction, (s: string) => string> = {
    create: io.color.green,
    update: io.color.yellow,
    unchanged: io.color.dim,
    delete: io.color.red,
  };
  const width = Math.max(0, ...plan.map((p) => p.id.length));
  for (const item of plan) {
    const head = `${marks[item.action]} ${item.action.padEnd(9)} ${item.id.padEnd(width)}`;
    io.out(`${paint[item.action](head)}  ${describeChanges(item)}`.trimEnd());
  }
  for (const r of routes) {
    io.out(
      `${paint[r.action](`${marks[r.action]} ${r.action.padEnd(9)} ${r.gateway}/${r.route}`)}  ${routeNote[r.action]}`,
    );
  }
}

export async function applyCommand(flags: ApplyOptions, ctx: Context): Promise<void> {
  const result = await runApply(flags, ctx, (plan, routes) => {
    if (!ctx.json) renderPlan(ctx, plan, routes);
  });
  if (ctx.json) {
    renderJson(ctx.io, result);
    return;
  }
  const name = flags.file === '-' ? 'stdin' : flags.file;
  if (result.declined) ctx.io.err('Nothing applied.');
  else if (result.plan.length === 0) ctx.io.err(`${name} names no gateways. No changes.`);
  else if (result.changes === 0) ctx.io.err(`No changes: every gateway already matches ${name}.`);
  else if (!result.applied) ctx.io.err(`Dry run: ${summarize(result)}. Nothing was changed.`);
  else ctx.io.success(`Applied ${summarize(result)}.`);
}

/** The plan's summary, with the route changes when there are any. */
function summarize(result: ApplyResult): string {
  const changed = result.routes.filter((r) => r.action !== 'unchanged');
  if (changed.length === 0) return summarizePlan(result.plan);
  const parts = (['create', 'update', 'delete'] as const)
    .map((a) => [a, changed.filter((r) => r.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} route${n === 1 ? '' : 's'} to ${a}`);
  return `${summarizePlan(result.plan)}; ${parts.join(', ')}`;
}

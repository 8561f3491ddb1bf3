// How an apply plan reads: one line per custom provider, gateway, provider key and route (in a terminal marked and coloured;
// piped, tab-separated `action  name  details`), and the one-line summary. Secrets never appear: a key shows
// where its secret comes from, and a changed secret reads "rotate (secret changed)".
import type { Context } from '../../context.js';
import type { KeyPlanItem } from './key-plan.js';
import { describeChanges, type PlanItem, summarizePlan } from './plan.js';
import type { ProviderPlanItem } from './provider-plan.js';
import type { RoutePlanItem } from './route-plan.js';

export interface ApplyResult {
  plan: PlanItem[];
  /** What happens to the custom providers, when the file lists `providers` (never a header value). */
  providers: ProviderPlanItem[];
  /** What happens to the routes of the gateways that list `routes`. */
  routes: RoutePlanItem[];
  /** What happens to the provider keys of the gateways that list `keys` (never a secret). */
  keys: KeyPlanItem[];
  applied: boolean;
  changes: number;
  /** Set when the user answered no to the deletions: nothing was applied. */
  declined?: true;
}

type Action = 'create' | 'update' | 'rotate' | 'unchanged' | 'delete';

interface Line {
  action: Action;
  name: string;
  details: string;
}

const marks: Record<Action, string> = { create: '+', update: '~', rotate: '~', unchanged: '=', delete: '-' };

const routeNote: Record<RoutePlanItem['action'], string> = {
  create: 'route, deployed',
  update: 'route: its flow becomes a new version, deployed',
  unchanged: 'route',
  delete: 'route, with its versions',
};

function keyNote(item: KeyPlanItem): string {
  switch (item.action) {
    case 'create':
      return `key, secret from ${item.secret}`;
    case 'update':
      return `key replaced (${item.changes.join(', ')}), secret from ${item.secret}`;
    case 'rotate':
      return `key: rotate (secret changed), from ${item.secret}`;
    case 'unchanged':
      return 'key';
    case 'delete':
      return 'key, with its secret';
  }
}

function providerNote(item: ProviderPlanItem): string {
  const headers = item.headers?.length ? `; headers: ${item.headers.join(', ')}` : '';
  switch (item.action) {
    case 'create':
      return `custom provider, ${item.changes.join(' ')}${headers}`;
    case 'update':
      return `custom provider: ${item.changes.join(', ')}${headers}`;
    case 'rotate':
      return `custom provider: rotate (secret changed)${headers}`;
    case 'unchanged':
      return 'custom provider';
    case 'delete':
      return 'custom provider, with its pricing rules';
  }
}

function lines(result: ApplyResult): Line[] {
  return [
    ...result.providers.map((p) => ({
      action: p.action,
      name: `custom-${p.slug}`,
      details: providerNote(p),
    })),
    ...result.plan.map((p) => ({ action: p.action, name: p.id, details: describeChanges(p) })),
    ...result.keys.map((k) => ({
      action: k.action,
      name: `${k.gateway}/${k.provider}/${k.alias}`,
      details: keyNote(k),
    })),
    ...result.routes.map((r) => ({
      action: r.action,
      name: `${r.gateway}/${r.route}`,
      details: routeNote[r.action],
    })),
  ];
}

export function renderPlan(ctx: Context, result: ApplyResult): void {
  const { io } = ctx;
  const all = lines(result);
  if (!io.stdoutIsTTY) {
    for (const line of all) io.out([line.action, line.name, line.details].join('\t'));
    return;
  }
  const paint: Record<Action, (s: string) => string> = {
    create: io.color.green,
    update: io.color.yellow,
    rotate: io.color.yellow,
    unchanged: io.color.dim,
    delete: io.color.red,
  };
  const width = Math.max(0, ...result.plan.map((p) => p.id.length));
  for (const line of all) {
    const head = `${marks[line.action]} ${line.action.padEnd(9)} ${line.name.padEnd(width)}`;
    io.out(`${paint[line.action](head)}  ${line.details}`.trimEnd());
  }
}

/** The plan's summary: the gateways' changes, then the keys' and routes' when there are any. */
export function summarize(result: ApplyResult): string {
  const parts: string[] = [];
  const add = (items: { action: string }[], noun: string, actions: readonly string[]) => {
    for (const action of actions) {
      const n = items.filter((i) => i.action === action).length;
      if (n > 0) parts.push(`${n} ${noun}${n === 1 ? '' : 's'} to ${action}`);
    }
  };
  add(result.providers, 'custom provider', ['create', 'update', 'rotate', 'delete']);
  add(result.keys, 'key', ['create', 'update', 'rotate', 'delete']);
  add(result.routes, 'route', ['create', 'update', 'delete']);
  const gateways = summarizePlan(result.plan);
  return parts.length === 0 ? gateways : `${gateways}; ${parts.join(', ')}`;
}

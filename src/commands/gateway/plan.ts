// Declarative gateways: the apply file's format, checked as a whole, and the plan that turns the account's
// gateways into the ones the file describes. Pure: no requests, no output.
import type { Gateway } from '../../client/gateways.js';
import { createDefaults } from '../../gateway-defaults.js';
import { gatewayIdProblem } from '../args/gateway.js';
import { type DesiredKey, keysFromSpec } from './key-plan.js';
import { type DesiredProvider, providersFromSpec } from './provider-plan.js';
import { type DesiredRoute, routesFromSpec } from './route-plan.js';
import { type Settings, sameValue, settingsFromSpec, show } from './spec.js';

export interface DesiredGateway {
  id: string;
  /** Only the fields the file names; the others keep their current (or default) values. */
  settings: Settings;
  /** The routes it lists; undefined when the entry has no `routes` key (its routes are left alone). */
  routes?: DesiredRoute[];
  /** The provider keys it lists; undefined when the entry has no `keys` key (its keys are left alone). */
  keys?: DesiredKey[];
}

type PlanAction = 'create' | 'update' | 'unchanged' | 'delete';

interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
}

export interface PlanItem {
  action: PlanAction;
  id: string;
  /** create: every field sent; update: the fields that differ; unchanged and delete: none. */
  changes: FieldChange[];
}

/** What an apply file describes: its gateways, the custom providers it lists (if it has `providers`). */
interface ApplyFile {
  gateways: DesiredGateway[];
  /** False for a file with only `providers`: --prune then leaves the account's gateways alone. */
  listsGateways: boolean;
  providers?: DesiredProvider[];
}

/** The gateways and custom providers an apply file describes, or every problem in it. */
export function parseApplyFile(data: unknown): ApplyFile & { errors: string[] } {
  const errors: string[] = [];
  let entries: unknown[];
  let providers: DesiredProvider[] | undefined;
  if (Array.isArray(data)) entries = data;
  else if (data && typeof data === 'object') {
    const { gateways, providers: rawProviders, ...rest } = data as Record<string, unknown>;
    for (const key of Object.keys(rest))
      errors.push(`unknown top-level key "${key}" (expected "gateways" or "providers")`);
    providers = providersFromSpec(rawProviders, errors);
    if (gateways === undefined && providers === undefined) {
      errors.push('no "gateways" list');
      return { gateways: [], listsGateways: false, errors };
    }
    if (gateways !== undefined && !Array.isArray(gateways)) {
      errors.push(`"gateways" must be a list, not ${show(gateways)}`);
      return { gateways: [], listsGateways: false, errors };
    }
    entries = gateways ?? [];
  } else {
    errors.push('the file must hold {"gateways": [...]} or a list of gateways');
    return { gateways: [], listsGateways: false, errors };
  }

  const seen = new Map<string, number>();
  const gateways: DesiredGateway[] = [];
  entries.forEach((entry, index) => {
    const where = `gateways[${index}]`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      errors.push(`${where}: must be an object with an id, not ${show(entry)}`);
      return;
    }
    const spec = entry as Record<string, unknown>;
    const id = spec.id;
    let label = where;
    if (typeof id !== 'string') {
      errors.push(`${where}: ${id === undefined ? 'id is missing' : `id must be a string, not ${show(id)}`}`);
    } else {
      label = `${where} (${id})`;
      const problem = gatewayIdProblem(id);
      if (problem) errors.push(`${where}: invalid id ${problem}`);
      const first = seen.get(id);
      if (first !== undefined) errors.push(`${where}: id "${id}" is already used by gateways[${first}]`);
      else seen.set(id, index);
    }
    const { routes: rawRoutes, keys: rawKeys, ...fields } = spec;
    const { settings, errors: specErrors } = settingsFromSpec(fields);
    const routes = routesFromSpec(rawRoutes, specErrors);
    const keys = keysFromSpec(rawKeys, specErrors);
    errors.push(...specErrors.map((e) => `${label}: ${e}`));
    if (typeof id === 'string')
      gateways.push({ id, settings, ...(routes === undefined ? {} : { routes }), ...(keys ? { keys } : {}) });
  });
  const listsGateways = Array.isArray(data) || (data as Record<string, unknown>).gateways !== undefined;
  return { gateways, listsGateways, ...(providers ? { providers } : {}), errors };
}

/** Absent and null mean the same thing to the API for optional settings. */
const same = (a: unknown, b: unknown) => sameValue(a ?? null, b ?? null);

export function computePlan(
  desired: DesiredGateway[],
  existing: Gateway[],
  options: { prune?: boolean } = {},
): PlanItem[] {
  const byId = new Map(existing.map((g) => [g.id, g]));
  const plan: PlanItem[] = desired.map(({ id, settings }) => {
    const current = byId.get(id) as Record<string, unknown> | undefined;
    if (!current) {
      const fields = { ...createDefaults, ...settings } as Record<string, unknown>;
      return { action: 'create', id, changes: Object.entries(fields).map(([field, to]) => ({ field, to })) };
    }
    const changes = Object.entries(settings)
      .filter(([field, to]) => !same(current[field], to))
      .map(([field, to]) => ({ field, from: current[field] ?? null, to }));
    return { action: changes.length > 0 ? 'update' : 'unchanged', id, changes };
  });
  if (options.prune) {
    const wanted = new Set(desired.map((d) => d.id));
    const gone = existing.filter((g) => !wanted.has(g.id)).sort((a, b) => a.id.localeCompare(b.id));
    for (const g of gone) plan.push({ action: 'delete', id: g.id, changes: [] });
  }
  return plan;
}

export function countChanges(plan: PlanItem[]): number {
  return plan.filter((p) => p.action !== 'unchanged').length;
}

/** `3 changes: 1 to create, 1 to update, 1 to delete`. */
export function summarizePlan(plan: PlanItem[]): string {
  const n = countChanges(plan);
  const parts = (['create', 'update', 'delete'] as const)
    .map((a) => [a, plan.filter((p) => p.action === a).length] as const)
    .filter(([, count]) => count > 0)
    .map(([a, count]) => `${count} to ${a}`);
  return `${n} change${n === 1 ? '' : 's'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/** One line of details for a plan item: `cache_ttl: 0 → 3600, collect_logs: true → false`. */
export function describeChanges(item: PlanItem): string {
  if (item.action === 'delete') return 'with its stored logs';
  if (item.action === 'create') return item.changes.map((c) => `${c.field}=${brief(c.to)}`).join(' ');
  return item.changes.map((c) => `${c.field}: ${brief(c.from)} → ${brief(c.to)}`).join(', ');
}

function brief(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

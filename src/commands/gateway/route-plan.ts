// Routes in apply files: a gateway may list `routes: [{name, elements}]` (elements as `aigw routes create -f`
// takes them). Each route is compared with the flow its gateway's route of that name has deployed: a missing
// route is created (and so deployed), a different flow becomes a new version that is deployed, an equal one sends
// nothing; with --prune, a gateway that lists routes loses the ones it does not name. Pure: no requests.
import type { DynamicRoute } from '../../client/routes.js';
import { flowProblems } from '../../flow/check.js';
import type { Element } from '../../flow/elements.js';
import { parseFlowFile } from '../../flow/file.js';
import { routeElementSchema } from '../../local/control-plane/route-schema.js';
import { validate } from '../../local/control-plane/validate.js';
import { sameValue, show } from './spec.js';

export interface DesiredRoute {
  name: string;
  /** As the API keeps them (checked and cleaned with its schema), so that equal flows compare equal. */
  elements: Element[];
}

type RouteAction = 'create' | 'update' | 'unchanged' | 'delete';

export interface RoutePlanItem {
  action: RouteAction;
  gateway: string;
  route: string;
  /** The existing route's id (update, unchanged, delete). */
  id?: string;
  elements?: Element[];
}

/** The routes a gateway entry lists (undefined when it has no `routes` key), or every problem with them. */
export function routesFromSpec(raw: unknown, errors: string[]): DesiredRoute[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    errors.push(`routes must be a list of {name, elements}, not ${show(raw)}`);
    return [];
  }
  const routes: DesiredRoute[] = [];
  const names = new Set<string>();
  raw.forEach((entry, i) => {
    const where = `routes[${i}]`;
    const name = (entry as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name === '') {
      errors.push(`${where}: name must be a non-empty string`);
      return;
    }
    if (names.has(name)) errors.push(`${where}: the route "${name}" is listed twice`);
    names.add(name);
    const parsed = parseFlowFile(entry);
    if ('error' in parsed) {
      errors.push(`${where} (${name}): ${parsed.error}`);
      return;
    }
    const shape = validate<Element[]>({ type: 'array', items: routeElementSchema }, parsed.flow.elements);
    if (!shape.ok) {
      for (const issue of shape.issues)
        errors.push(`${where} (${name}): elements.${issue.path.join('.')}: ${issue.message}`);
      return;
    }
    for (const problem of flowProblems(shape.value)) errors.push(`${where} (${name}): ${problem}`);
    routes.push({ name, elements: shape.value });
  });
  return routes;
}

/** What to do with one gateway's routes; `existing` is empty for a gateway the plan creates. */
export function planRoutes(
  gateway: string,
  desired: DesiredRoute[],
  existing: DynamicRoute[],
  options: { prune?: boolean } = {},
): RoutePlanItem[] {
  const byName = new Map(existing.map((r) => [r.name, r]));
  const plan: RoutePlanItem[] = desired.map(({ name, elements }) => {
    const current = byName.get(name);
    if (!current) return { action: 'create', gateway, route: name, elements };
    const same = sameValue(current.elements, elements);
    return { action: same ? 'unchanged' : 'update', gateway, route: name, id: current.id, elements };
  });
  if (options.prune) {
    const wanted = new Set(desired.map((d) => d.name));
    for (const r of existing) {
      if (!wanted.has(r.name)) plan.push({ action: 'delete', gateway, route: r.name, id: r.id });
    }
  }
  return plan;
}

// `aigw routes list [gateway]` and `aigw routes get [gateway] <route>`: the routes, and one route's flow (drawn
// as a tree in a terminal).
import type { DynamicRoute } from '../../client/routes.js';
import type { Context } from '../../context.js';
import { flowOf } from '../../flow/elements.js';
import { type Column, renderJson, renderList } from '../../io/render.js';
import { gatewayTarget } from '../args/gateway.js';
import { listRoutes, routeOf } from './common.js';
import { flowTree } from './tree.js';

const columns: Column<DynamicRoute>[] = [
  { header: 'NAME', value: (r) => r.name },
  { header: 'ID', value: (r) => r.id },
  { header: 'MODELS', value: (r) => modelsOf(r).join(', ') },
  { header: 'VERSION', value: (r) => r.version?.version_id ?? '' },
  { header: 'MODIFIED', value: (r) => r.modified_at, time: true },
];

function modelsOf(route: DynamicRoute): string[] {
  return route.elements.flatMap((e) =>
    e.type === 'model' ? [`${e.properties.provider}/${e.properties.model}`] : [],
  );
}

export async function listCommand(gateway: string | undefined, ctx: Context): Promise<void> {
  const target = await gatewayTarget(ctx, gateway);
  const routes = await listRoutes(ctx, target);
  renderList(ctx.io, routes, columns, { json: ctx.json, now: ctx.now() });
  if (routes.length === 0 && !ctx.json) {
    ctx.io.err(
      `Gateway ${target.gatewayId} has no routes. Create one with: ${ctx.hint(`routes create ${target.gatewayId} <name> -f flow.yaml`)}`,
    );
  }
}

export async function getCommand(first: string, second: string | undefined, ctx: Context): Promise<void> {
  const { route } = await routeOf(first, second, ctx);
  if (ctx.json) {
    renderJson(ctx.io, route);
    return;
  }
  const { io } = ctx;
  io.out(`${io.color.bold(route.name)}  (route ${route.id}, version ${route.version?.version_id ?? '?'})`);
  io.out(`  call it with model "dynamic/${route.name}"`);
  for (const line of flowTree(flowOf(route.elements))) io.out(`  ${line}`);
}

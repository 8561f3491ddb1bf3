// What the routes verbs share: the gateway (named, or the profile's default) and a route named by its name or
// id, not-found errors that say which, and reading flow files.

import type { DynamicRoute } from '../../client/routes.js';
import type { Context } from '../../context.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { flowProblems } from '../../flow/check.js';
import { type FlowFile, parseFlowFile } from '../../flow/file.js';
import { parseData, readInput } from '../../io/files.js';
import { routeElementSchema } from '../../local/control-plane/route-schema.js';
import { validate } from '../../local/control-plane/validate.js';
import { forGateway, type GatewayTarget, gatewayAndId, gatewayTarget } from '../args/gateway.js';

/** `[gateway] <route>` resolved: the target and the route, as deployed. */
export async function routeOf(first: string, second: string | undefined, ctx: Context) {
  const { gateway, id: name } = gatewayAndId(first, second);
  const target = await gatewayTarget(ctx, gateway);
  return { target, route: await findRoute(ctx, target, name) };
}

/** The gateway's routes; a 404 names the gateway. */
export function listRoutes(ctx: Context, t: GatewayTarget): Promise<DynamicRoute[]> {
  return forGateway(ctx, t.accountId, t.gatewayId, () => t.client.routes.list(t.accountId, t.gatewayId));
}

/** The route with this name (or id), as deployed. */
export async function findRoute(ctx: Context, t: GatewayTarget, nameOrId: string): Promise<DynamicRoute> {
  const routes = await listRoutes(ctx, t);
  const found = routes.find((r) => r.name === nameOrId) ?? routes.find((r) => r.id === nameOrId);
  if (!found) {
    const local = (await ctx.target()).local ? ' (local gateway)' : '';
    throw new NotFoundError(
      404,
      [],
      `Gateway ${t.gatewayId} has no route named "${nameOrId}"${local}.`,
      `List its routes with: ${ctx.hint(`routes list ${t.gatewayId}`)}`,
    );
  }
  return found;
}

/** A flow file (`-` is stdin): its elements, and its name when it has one. */
export async function readFlowFile(ctx: Context, path: string): Promise<FlowFile> {
  const data = await parseData('--file', path, await readInput(ctx, '--file', path));
  const parsed = parseFlowFile(data);
  if ('error' in parsed) {
    throw new UsageError(`--file: ${path === '-' ? 'stdin' : path}: ${parsed.error}.`, {
      hint: `See the flow format in: ${ctx.command} routes create --help`,
    });
  }
  return parsed.flow;
}

/** A flow's problems found here, before anything is sent: its shape (the contract's) and whether it can run. */
export function checkFlow(ctx: Context, flow: FlowFile, source: string): void {
  const shape = validate<unknown>({ type: 'array', items: routeElementSchema }, flow.elements);
  const problems = shape.ok
    ? flowProblems(flow.elements)
    : shape.issues.map((i) => `elements.${i.path.join('.')}: ${i.message.replace(/^"[^"]*" /, '')}`);
  if (problems.length === 0) return;
  throw new UsageError(`${source}: the flow cannot run:\n  ${problems.join('\n  ')}`, {
    hint: `Nothing was sent. See the flow format in: ${ctx.command} routes create --help`,
  });
}

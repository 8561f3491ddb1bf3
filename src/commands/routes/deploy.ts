// `aigw routes versions` and `aigw routes deploy|rollback`: a route's versions (numbered 1.. oldest first, the
// deployed one marked), deploying one by number or id, or a new one from a flow file, and going back to the
// version that ran before the latest deployment (the route's deployments list, newest first).
import type { RouteVersionInfo } from '../../client/routes.js';
import type { Context } from '../../context.js';
import { AigwError, UsageError } from '../../errors.js';
import { type Column, renderJson, renderList } from '../../io/render.js';
import { type GatewayTarget, gatewayAndId, gatewayTarget } from '../args/gateway.js';
import { checkFlow, findRoute, readFlowFile, routeOf } from './common.js';

interface NumberedVersion extends RouteVersionInfo {
  number: number;
}

const columns: Column<NumberedVersion>[] = [
  { header: 'VERSION', value: (v) => v.number },
  { header: 'ID', value: (v) => v.version_id },
  { header: 'DEPLOYED', value: (v) => v.active === 'true' },
  { header: 'VALID', value: (v) => v.is_valid !== false },
  { header: 'CREATED', value: (v) => v.created_at, time: true },
];

async function numbered(t: GatewayTarget, routeId: string): Promise<NumberedVersion[]> {
  const versions = await t.client.routes.versions(t.accountId, t.gatewayId, routeId);
  // Newest first from the API: the oldest is version 1.
  return versions.map((v, i) => ({ ...v, number: versions.length - i }));
}

export async function versionsCommand(
  first: string,
  second: string | undefined,
  ctx: Context,
): Promise<void> {
  const { target, route } = await routeOf(first, second, ctx);
  renderList(ctx.io, await numbered(target, route.id), columns, { json: ctx.json, now: ctx.now() });
}

export async function deployCommand(
  first: string,
  second: string | undefined,
  flags: { to?: string; file?: string },
  ctx: Context,
): Promise<void> {
  if ((flags.to === undefined) === (flags.file === undefined)) {
    throw new UsageError('Give --to <n|id> to deploy a saved version, or --file to deploy a new flow.');
  }
  const { gateway, id: name } = gatewayAndId(first, second);
  const flow = flags.file === undefined ? null : await readFlowFile(ctx, flags.file);
  if (flow) checkFlow(ctx, flow, flags.file!);
  const target = await gatewayTarget(ctx, gateway);
  const route = await findRoute(ctx, target, name);
  const { client, accountId, gatewayId } = target;
  let versionId: string;
  if (flow) {
    await client.routes.addVersion(accountId, gatewayId, route.id, flow.elements);
    // The API answers the route, not the version: the newest version is the one just saved.
    versionId = (await client.routes.versions(accountId, gatewayId, route.id))[0]!.version_id;
  } else {
    versionId = pick(
      await numbered(target, route.id),
      flags.to!,
      ctx,
      `${gatewayId} ${route.name}`,
    ).version_id;
  }
  const deployed = await client.routes.deploy(accountId, gatewayId, route.id, versionId);
  if (ctx.json) renderJson(ctx.io, { ...deployed, deployed_version: versionId });
  ctx.io.success(`Deployed version ${versionId} of route ${route.name}.`);
}

export async function rollbackCommand(
  first: string,
  second: string | undefined,
  ctx: Context,
): Promise<void> {
  const { target, route } = await routeOf(first, second, ctx);
  const { client, accountId, gatewayId } = target;
  // Back to what ran before the latest deployment, whatever its number: after `deploy --to 1` that is the
  // version deployed before it, not version 0. A second rollback undoes the first.
  const [current, ...earlier] = await client.routes.deployments(accountId, gatewayId, route.id);
  const before = earlier.find((d) => d.version_id !== current?.version_id);
  if (!current || !before) {
    throw new AigwError(`Route ${route.name} has no earlier deployment to go back to.`, {
      hint: `Deploy a saved version with: ${ctx.hint(`routes deploy ${gatewayId} ${route.name} --to <n|id>`)}`,
    });
  }
  const previous = (await numbered(target, route.id)).find((v) => v.version_id === before.version_id);
  if (!previous) throw new AigwError(`Version ${before.version_id} of route ${route.name} no longer exists.`);
  await client.routes.deploy(accountId, gatewayId, route.id, previous.version_id);
  if (ctx.json) renderJson(ctx.io, { ...previous, active: 'true' });
  ctx.io.success(`Rolled back route ${route.name} to version ${previous.number} (${previous.version_id}).`);
}

function pick(versions: NumberedVersion[], given: string, ctx: Context, where: string): NumberedVersion {
  const n = /^v?(\d+)$/i.exec(given);
  const found = n
    ? versions.find((v) => v.number === Number(n[1]))
    : versions.find((v) => v.version_id === given);
  if (!found) {
    throw new UsageError(`Route ${where.split(' ')[1]} has no version ${given}.`, {
      hint: `List them with: ${ctx.hint(`routes versions ${where}`)}`,
    });
  }
  return found;
}

// /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/routes: dynamic routes, their versions and deployments,
// with the envelopes the contract declares for each operation. Most answer {success, result}; the three lists
// answer {success, data: {<items>, page, per_page, order_by, order_by_direction}} and a rename answers
// {success, route}. Creating a route saves its flow as the first version and deploys it.
//
// A flow that cannot run (flowProblems) is refused where it would run at once (create, deploy) and kept as a
// version with `is_valid: false` otherwise. Route names are unique per gateway: `dynamic/{name}` finds them.
import { flowProblems } from '../../flow/check.js';
import type { Element } from '../../flow/elements.js';
import type { Runtime } from '../runtime.js';
import type { Page, RouteDeployment, RouteVersion, StoredRoute } from '../store/routes.js';
import { ApiError, codes, notFound, ok, type Reply, validationError } from './envelope.js';
import { gatewayInPath } from './gateways.js';
import { pageQuery, type RequestContext } from './request.js';
import {
  routeCreateSchema,
  routeDeploySchema,
  routeRenameSchema,
  routeVersionSchema,
} from './route-schema.js';
import type { Route } from './router.js';
import { type Schema, validate } from './validate.js';

const routes = '/accounts/:account_id/ai-gateway/gateways/:gateway_id/routes';
const perPage = { defaultPerPage: 20, minPerPage: 1, maxPerPage: 100 } as const;

export function dynamicRouteRoutes(runtime: Runtime): Route[] {
  const repo = runtime.routes;
  const now = () => runtime.options.now();

  /** The gateway the path names (404 when it does not exist) and the account. */
  const scope = (ctx: RequestContext) => gatewayInPath(runtime, ctx.params);
  const existing = (ctx: RequestContext) => {
    const { accountId, gatewayId } = scope(ctx);
    const route = repo.get(accountId, gatewayId, ctx.params.id!);
    if (!route) throw notFound(`no route with id "${ctx.params.id}" in gateway "${gatewayId}"`);
    return { accountId, gatewayId, route };
  };

  return [
    {
      path: routes,
      GET: (ctx) => {
        const { accountId, gatewayId } = scope(ctx);
        return listed(ctx, 'routes', (page) =>
          repo.list(accountId, gatewayId, page).map((r) => listItem(accountId, r)),
        );
      },
      POST: async (ctx) => {
        const { accountId, gatewayId } = scope(ctx);
        const body = await validBody<{ name: string; elements: Element[] }>(ctx, routeCreateSchema);
        refuseProblems(body.elements);
        const created = repo.create(accountId, gatewayId, body.name, body.elements, true, now());
        if (created === 'name-taken') throw nameTaken(body.name, gatewayId);
        return ok(withVersion(accountId, created));
      },
    },
    {
      path: `${routes}/:id`,
      GET: (ctx) => {
        const { accountId, route } = existing(ctx);
        return ok(withVersion(accountId, route));
      },
      PATCH: async (ctx) => {
        const { accountId, gatewayId, route } = existing(ctx);
        // The contract's 400 for a rename carries the route as it stands.
        const refuse = (errors: { code: number; message: string; path?: string[] }[]): Reply => ({
          status: 400,
          body: { success: false, errors, messages: [], route: listItem(accountId, route) },
        });
        let body: unknown;
        try {
          body = await ctx.json();
        } catch (err) {
          if (err instanceof ApiError && err.status === 400) return refuse(err.errors);
          throw err;
        }
        const checked = validate<{ name: string }>(routeRenameSchema, body);
        if (!checked.ok) {
          return refuse(
            checked.issues.map((i) => ({
              code: codes.validation,
              message: `Input Validation Error: ${i.message}`,
              path: ['body', ...i.path],
            })),
          );
        }
        const renamed = repo.rename(accountId, gatewayId, route.id, checked.value.name, now());
        if (renamed === 'name-taken') return refuse(nameTaken(checked.value.name, gatewayId).errors);
        return {
          status: 200,
          body: { success: true, errors: [], messages: [], route: listItem(accountId, renamed!) },
        };
      },
      DELETE: (ctx) => {
        const { accountId, gatewayId, route } = existing(ctx);
        repo.delete(accountId, gatewayId, route.id);
        return ok(plain(accountId, route, route.version));
      },
    },
    {
      path: `${routes}/:id/versions`,
      GET: (ctx) => {
        const { accountId, gatewayId, route } = existing(ctx);
        return listed(ctx, 'versions', (page) =>
          repo.versions(accountId, gatewayId, route.id, page).map((v) => presentVersion(v, route)),
        );
      },
      POST: async (ctx) => {
        const { accountId, gatewayId, route } = existing(ctx);
        const body = await validBody<{ elements: Element[] }>(ctx, routeVersionSchema);
        const valid = flowProblems(body.elements).length === 0;
        const version = repo.addVersion(accountId, gatewayId, route.id, body.elements, valid, now())!;
        const after = repo.get(accountId, gatewayId, route.id)!;
        return ok(plain(accountId, after, version));
      },
    },
    {
      path: `${routes}/:id/versions/:version_id`,
      GET: (ctx) => {
        const { accountId, gatewayId, route } = existing(ctx);
        const version = repo.version(accountId, gatewayId, route.id, ctx.params.version_id!);
        if (!version) throw notFound(`no version "${ctx.params.version_id}" of route "${route.id}"`);
        return ok({ ...plain(accountId, route, version), ...presentVersion(version, route) });
      },
    },
    {
      path: `${routes}/:id/deployments`,
      GET: (ctx) => {
        const { accountId, gatewayId, route } = existing(ctx);
        return listed(ctx, 'deployments', (page) =>
          repo.deployments(accountId, gatewayId, route.id, page).map(presentDeployment),
        );
      },
      POST: async (ctx) => {
        const { accountId, gatewayId, route } = existing(ctx);
        const { version_id } = await validBody<{ version_id: string }>(ctx, routeDeploySchema);
        const version = repo.version(accountId, gatewayId, route.id, version_id);
        if (!version) {
          throw validationError([
            { path: ['body', 'version_id'], message: `route "${route.id}" has no version "${version_id}"` },
          ]);
        }
        refuseProblems(version.elements);
        const deployed = repo.deploy(accountId, gatewayId, route, version.id, now());
        return ok(plain(accountId, deployed, deployed.version));
      },
    },
  ];
}

/**
 * The body checked against this module's schemas rather than the contract's compiled ones: the validator drops
 * keys a schema does not name, which would empty a conditional's `conditions` (the contract says only "object")
 * and lose a rate element's `technique`. A unit test keeps these schemas equal to the contract's otherwise.
 */
async function validBody<T>(ctx: RequestContext, schema: Schema): Promise<T> {
  const checked = validate<T>(schema, await ctx.json());
  if (!checked.ok) {
    throw validationError(checked.issues.map((issue) => ({ ...issue, path: ['body', ...issue.path] })));
  }
  return checked.value;
}

/** A flow that cannot run: 400 (7001) listing every problem. */
function refuseProblems(elements: Element[]): void {
  const problems = flowProblems(elements);
  if (problems.length === 0) return;
  throw validationError(problems.map((message) => ({ path: ['body', 'elements'], message })));
}

function nameTaken(name: string, gatewayId: string): ApiError {
  return new ApiError(400, [
    {
      code: codes.validation,
      message: `Gateway "${gatewayId}" already has a route named "${name}"`,
      path: ['body', 'name'],
    },
  ]);
}

/** One page of a list (`page`, `per_page` from the query) in the `data` envelope of the three lists. */
function listed(ctx: RequestContext, key: string, items: (page: Page) => unknown[]): Reply {
  const page = pageQuery(ctx.url, perPage);
  return {
    status: 200,
    body: {
      success: true,
      errors: [],
      messages: [],
      data: {
        [key]: items({ limit: page.perPage, offset: page.offset }),
        page: page.page,
        per_page: page.perPage,
        order_by: 'created_at',
        order_by_direction: 'desc',
      },
    },
  };
}

/** aig_Route: the route with the elements of `version`. */
function plain(accountId: string, route: StoredRoute, version: RouteVersion) {
  return {
    id: route.id,
    name: route.name,
    gateway_id: route.gatewayId,
    account_tag: accountId,
    elements: version.elements,
    created_at: route.createdAt,
    modified_at: route.modifiedAt,
  };
}

/** aig_RouteWithVersion: the route as deployed, with its version and deployment. */
function withVersion(accountId: string, route: StoredRoute) {
  return {
    ...plain(accountId, route, route.version),
    version: presentVersion(route.version, route),
    deployment: presentDeployment(route.deployment),
  };
}

/** aig_RouteListItem (the same fields; account_tag is required there). */
const listItem = withVersion;

function presentVersion(version: RouteVersion, route: StoredRoute) {
  return {
    version_id: version.id,
    data: version.data,
    active: version.id === route.deployment.versionId ? 'true' : 'false',
    is_valid: version.isValid,
    created_at: version.createdAt,
  };
}

function presentDeployment(deployment: RouteDeployment) {
  return {
    deployment_id: deployment.id,
    version_id: deployment.versionId,
    created_at: deployment.createdAt,
  };
}

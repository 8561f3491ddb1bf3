// /accounts/{account_id}/ai-gateway/gateways: list, create, get, update (full replace), delete, and the
// gateway URL for a provider.
import { MAX_TTL } from '../pipeline/cache.js';
import type { Runtime } from '../runtime.js';
import type { Gateway, GatewaySettings } from '../store/gateways.js';
import { ApiError, codes, notFound, ok, validationError } from './envelope.js';
import { aiGatewayPerPage, pageQuery, resultInfo, stringQuery } from './request.js';
import type { Route } from './router.js';

const gateways = '/accounts/:account_id/ai-gateway/gateways';

export function gatewayRoutes(runtime: Runtime): Route[] {
  const repo = runtime.gateways;
  const now = () => runtime.options.now();

  return [
    {
      path: gateways,
      GET: ({ params, url }) => {
        const page = pageQuery(url, aiGatewayPerPage);
        const search = stringQuery(url, 'search');
        const items = repo.list(params.account_id!, { search, limit: page.perPage, offset: page.offset });
        const total = repo.count(params.account_id!, search);
        return ok(items.map(present), resultInfo(page, items.length, total));
      },
      POST: async (ctx) => {
        const { id, ...settings } = checkCacheTtl(await ctx.body<GatewaySettings & { id: string }>());
        const created = repo.create(ctx.params.account_id!, id, settings, now());
        if (!created) {
          throw new ApiError(400, [
            {
              code: codes.validation,
              message: `A gateway with id "${id}" already exists`,
              path: ['body', 'id'],
            },
          ]);
        }
        return ok(present(created));
      },
    },
    {
      path: `${gateways}/:id`,
      GET: ({ params }) => ok(present(existing(runtime, params.account_id!, params.id!))),
      PUT: async (ctx) => {
        const settings = checkCacheTtl(await ctx.body<GatewaySettings>());
        const updated = repo.update(ctx.params.account_id!, ctx.params.id!, settings, now());
        if (!updated) throw gatewayNotFound(ctx.params.id!);
        return ok(present(updated));
      },
      DELETE: ({ params }) => {
        const deleted = repo.delete(params.account_id!, params.id!);
        if (!deleted) throw gatewayNotFound(params.id!);
        return ok(present(deleted));
      },
    },
    {
      path: `${gateways}/:gateway_id/url/:provider`,
      GET: ({ params, origin }) => {
        const gateway = existing(runtime, params.account_id!, params.gateway_id!);
        const segments = [params.account_id!, gateway.id, params.provider!].map(encodeURIComponent);
        return ok(`${origin}/v1/${segments.join('/')}`);
      },
    },
  ];
}

/** Cloudflare caches for a month at most (the contract states no maximum; 0 turns caching off). */
function checkCacheTtl<T extends GatewaySettings>(settings: T): T {
  if (typeof settings.cache_ttl === 'number' && settings.cache_ttl > MAX_TTL) {
    throw validationError([
      { path: ['body', 'cache_ttl'], message: `"cache_ttl" must be at most ${MAX_TTL} (one month)` },
    ]);
  }
  return settings;
}

/** A gateway as the API returns it: every stored field, `is_default`, then the timestamps. */
function present(gateway: Gateway): Gateway {
  const { id, created_at, modified_at, is_default: _stored, ...settings } = gateway;
  return { id, ...settings, is_default: id === 'default', created_at, modified_at };
}

/** A gateway that must exist (404, code 7002, otherwise); the gateway URL route uses it for its {gateway_id}. */
function existing(runtime: Runtime, accountId: string, id: string): Gateway {
  const gateway = runtime.gateways.get(accountId, id);
  if (!gateway) throw gatewayNotFound(id);
  return gateway;
}

/** The account and gateway a path names, once the gateway is known to exist (404, code 7002, otherwise): every
 *  resource under a gateway checks it this way. */
export function gatewayInPath(
  runtime: Runtime,
  params: Record<string, string>,
): { accountId: string; gatewayId: string } {
  existing(runtime, params.account_id!, params.gateway_id!);
  return { accountId: params.account_id!, gatewayId: params.gateway_id! };
}

function gatewayNotFound(id: string): ApiError {
  return notFound(`no gateway with id "${id}"`);
}

// /accounts/{account_id}/ai-gateway/custom-providers: list, create, get, update (partial), delete; the
// providers' pricing rules under /custom-providers/costs come with them (custom-provider-costs.ts).
// The data plane serves an enabled provider as `custom-{slug}`; the slug is unique within the account.
//
// `headers` is marked sensitive by the contract (its values can hold credentials): answers name the stored
// headers but never carry their values, each of which reads "********".

import type { Runtime } from '../runtime.js';
import type { CustomProvider, CustomProviderFields } from '../store/custom-providers.js';
import { parseProviderHeaders } from '../store/custom-providers.js';
import { customProviderCostRoutes } from './custom-provider-costs.js';
import { ApiError, codes, notFound, ok, validationError } from './envelope.js';
import { aiGatewayPerPage, booleanQuery, pageQuery, resultInfo, stringQuery } from './request.js';
import type { Route } from './router.js';
import { isUuid } from './validate.js';

const customProviders = '/accounts/:account_id/ai-gateway/custom-providers';

const redactedHeaderValue = '********';

export function customProviderRoutes(runtime: Runtime): Route[] {
  const repo = runtime.customProviders;
  const now = () => runtime.options.now();

  return [
    {
      path: customProviders,
      GET: ({ params, url }) => {
        const page = pageQuery(url, aiGatewayPerPage);
        const filter = {
          search: stringQuery(url, 'search'),
          enable: booleanQuery(url, 'enable'),
          beta: booleanQuery(url, 'beta'),
        };
        const items = repo.list(params.account_id!, filter, { limit: page.perPage, offset: page.offset });
        const total = repo.count(params.account_id!, filter);
        return ok(items.map(present), resultInfo(page, items.length, total));
      },
      POST: async (ctx) => {
        const fields = await ctx.body<CustomProviderFields>();
        checkUsable(fields);
        const created = repo.create(ctx.params.account_id!, fields, now());
        if (!created) throw slugTaken(fields.slug);
        return ok(present(created));
      },
    },
    {
      path: `${customProviders}/:id`,
      GET: ({ params }) => {
        const found = isUuid(params.id!) ? repo.get(params.account_id!, params.id!) : null;
        if (!found) throw providerNotFound(params.id!);
        return ok(present(found));
      },
      PATCH: async (ctx) => {
        const { account_id, id } = ctx.params as { account_id: string; id: string };
        if (!isUuid(id) || !repo.get(account_id, id)) throw providerNotFound(id);
        const changes = await ctx.body<Partial<CustomProviderFields>>();
        checkUsable(changes);
        const updated = repo.update(account_id, id, changes, now());
        if (updated === 'slug-taken') throw slugTaken(changes.slug!);
        if (!updated) throw providerNotFound(id);
        return ok(present(updated));
      },
      DELETE: ({ params }) => {
        const deleted = isUuid(params.id!) ? repo.delete(params.account_id!, params.id!) : null;
        if (!deleted) throw providerNotFound(params.id!);
        return ok(present(deleted));
      },
    },
    ...customProviderCostRoutes(runtime),
  ];
}

/** A custom provider as the API returns it, with header values masked. */
function present(provider: CustomProvider): Record<string, unknown> {
  const { id, slug, name, base_url, headers, created_at, modified_at, ...rest } = provider;
  const out: Record<string, unknown> = { id, slug, name, base_url };
  if (headers !== undefined) {
    const pairs = parseProviderHeaders(headers);
    if (typeof pairs !== 'string') {
      out.headers = JSON.stringify(Object.fromEntries(pairs.map(([n]) => [n, redactedHeaderValue])));
    }
  }
  return { ...out, ...rest, created_at, modified_at };
}

/**
 * What the schema cannot say: the data plane must be able to use the provider, so `base_url` is http(s)
 * and `headers` is a JSON object of valid header names to string values.
 */
function checkUsable(fields: Partial<CustomProviderFields>): void {
  const issues: { path: string[]; message: string }[] = [];
  if (fields.base_url !== undefined && !/^https?:$/i.test(new URL(fields.base_url).protocol)) {
    issues.push({ path: ['body', 'base_url'], message: '"base_url" must be an http or https URL' });
  }
  if (fields.headers !== undefined) {
    const parsed = parseProviderHeaders(fields.headers);
    if (typeof parsed === 'string')
      issues.push({ path: ['body', 'headers'], message: `"headers" ${parsed}` });
  }
  if (issues.length > 0) throw validationError(issues);
}

function slugTaken(slug: string): ApiError {
  return new ApiError(400, [
    {
      code: codes.validation,
      message: `A custom provider with slug "${slug}" already exists`,
      path: ['body', 'slug'],
    },
  ]);
}

function providerNotFound(id: string): ApiError {
  return notFound(`no custom provider with id "${id}"`);
}

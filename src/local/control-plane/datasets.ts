// /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/datasets: list (name, enable, search), create, get,
// replace (PUT) and delete. Cloudflare has deprecated datasets (unavailable to new accounts); the local gateway
// keeps serving them, as it does for accounts that have them.
//
// A dataset's filters are the logs API's filters restricted to aig_DatasetFilter's keys and operators, and mean
// what they mean there (filters.ts in ../store/logs): an evaluation reads the logs they select.
import type { LogFilter } from '../../log-filters.js';
import type { Runtime } from '../runtime.js';
import { type Dataset, type DatasetFields, DatasetRepository } from '../store/datasets.js';
import { type Condition, parseFilters } from '../store/logs/filters.js';
import { type ApiError, notFound, ok, validationError } from './envelope.js';
import { gatewayInPath } from './gateways.js';
import {
  aiGatewayPerPage,
  booleanQuery,
  pageQuery,
  type RequestContext,
  resultInfo,
  stringQuery,
} from './request.js';
import type { Route } from './router.js';

const datasets = '/accounts/:account_id/ai-gateway/gateways/:gateway_id/datasets';

export function datasetRoutes(runtime: Runtime): Route[] {
  const repo = new DatasetRepository(runtime.store);
  const now = () => runtime.options.now();
  const ids = (params: Record<string, string>) => ({ ...gatewayInPath(runtime, params), id: params.id! });

  return [
    {
      path: datasets,
      GET: ({ params, url }) => {
        const page = pageQuery(url, aiGatewayPerPage);
        const filter = {
          name: stringQuery(url, 'name'),
          flag: booleanQuery(url, 'enable'),
          search: stringQuery(url, 'search'),
        };
        const { accountId, gatewayId } = ids(params);
        const items = repo.list(accountId, gatewayId, filter, { limit: page.perPage, offset: page.offset });
        return ok(items, resultInfo(page, items.length, repo.count(accountId, gatewayId, filter)));
      },
      POST: async (ctx) => {
        const { accountId, gatewayId } = ids(ctx.params);
        const fields = await datasetBody(ctx);
        return ok(repo.create(accountId, gatewayId, fields, now()));
      },
    },
    {
      path: `${datasets}/:id`,
      GET: ({ params }) => {
        const { accountId, gatewayId, id } = ids(params);
        return ok(repo.get(accountId, gatewayId, id) ?? throwNotFound(id));
      },
      PUT: async (ctx) => {
        const { accountId, gatewayId, id } = ids(ctx.params);
        if (!repo.get(accountId, gatewayId, id)) throw datasetNotFound(id);
        const fields = await datasetBody(ctx);
        return ok(repo.replace(accountId, gatewayId, id, fields, now()) ?? throwNotFound(id));
      },
      DELETE: ({ params }) => {
        const { accountId, gatewayId, id } = ids(params);
        return ok(repo.delete(accountId, gatewayId, id) ?? throwNotFound(id));
      },
    },
  ];
}

/** The body checked against the contract, then as the logs API checks filters (operators per key, values). */
async function datasetBody(ctx: RequestContext): Promise<DatasetFields> {
  const fields = await ctx.body<DatasetFields>();
  if (fields.name.trim() === '') {
    throw validationError([{ path: ['body', 'name'], message: '"name" must not be empty' }]);
  }
  const parsed = parseFilters(fields.filters as LogFilter[]);
  if (!parsed.ok) {
    throw validationError(
      parsed.issues.map((issue) => ({ path: ['body', 'filters', ...issue.path], message: issue.message })),
    );
  }
  return fields;
}

/** A stored dataset's filters as log conditions (they were checked when the dataset was written). */
export function datasetConditions(dataset: Pick<Dataset, 'filters'>): Condition[] {
  const parsed = parseFilters(dataset.filters as LogFilter[]);
  if (!parsed.ok)
    throw new Error(`a stored dataset has filters the logs API refuses: ${parsed.issues[0]?.message}`);
  return parsed.conditions;
}

function datasetNotFound(id: string): ApiError {
  return notFound(`no dataset with id "${id}"`);
}

function throwNotFound(id: string): never {
  throw datasetNotFound(id);
}

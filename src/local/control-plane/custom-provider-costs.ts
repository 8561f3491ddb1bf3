// /accounts/{account_id}/ai-gateway/custom-providers/costs: pricing rules of custom providers (list, create,
// get, update, delete). A rule names a provider of the same account; deleting the provider deletes its rules.
//
// A PATCH changes only the fields its body names: the defaults the contract declares (model_rule "equals",
// cost_type "tokens") apply when a rule is created.
import type { Runtime } from '../runtime.js';
import {
  type CustomProviderCostFields,
  CustomProviderCostRepository,
  type ModelRule,
} from '../store/custom-provider-costs.js';
import { queryParameterSchema } from './contract.js';
import { notFound, ok, validationError } from './envelope.js';
import {
  aiGatewayPerPage,
  booleanQuery,
  pageQuery,
  type RequestContext,
  resultInfo,
  stringQuery,
} from './request.js';
import type { Route } from './router.js';
import { isObject, isUuid } from './validate.js';

const costs = '/accounts/:account_id/ai-gateway/custom-providers/costs';

export function customProviderCostRoutes(runtime: Runtime): Route[] {
  const repo = new CustomProviderCostRepository(runtime.store);
  const now = () => runtime.options.now();
  const modelRules = queryParameterSchema('GET', costs, 'model_rule').enum as readonly string[];

  return [
    {
      path: costs,
      GET: ({ params, url }) => {
        const page = pageQuery(url, aiGatewayPerPage);
        const providerId = stringQuery(url, 'account_provider_id');
        if (providerId !== undefined && !isUuid(providerId)) {
          throw queryError('account_provider_id', 'must be a uuid');
        }
        const modelRule = stringQuery(url, 'model_rule');
        if (modelRule !== undefined && !modelRules.includes(modelRule)) {
          throw queryError('model_rule', `must be one of ${modelRules.join(', ')}`);
        }
        const filter = {
          search: stringQuery(url, 'search'),
          enable: booleanQuery(url, 'enable'),
          account_provider_id: providerId,
          model_rule: modelRule as ModelRule | undefined,
          cost_type: stringQuery(url, 'cost_type'),
        };
        const items = repo.list(params.account_id!, filter, { limit: page.perPage, offset: page.offset });
        return ok(items, resultInfo(page, items.length, repo.count(params.account_id!, filter)));
      },
      POST: async (ctx) => {
        const { account_provider_id, ...fields } = await ctx.body<
          CustomProviderCostFields & { account_provider_id: string }
        >();
        const accountId = ctx.params.account_id!;
        if (!runtime.customProviders.get(accountId, account_provider_id)) {
          throw validationError([
            {
              path: ['body', 'account_provider_id'],
              message: `no custom provider with id "${account_provider_id}" in this account`,
            },
          ]);
        }
        return ok(repo.create(accountId, account_provider_id, fields, now()));
      },
    },
    {
      path: `${costs}/:id`,
      GET: ({ params }) => {
        const found = isUuid(params.id!) ? repo.get(params.account_id!, params.id!) : null;
        if (!found) throw ruleNotFound(params.id!);
        return ok(found);
      },
      PATCH: async (ctx) => {
        const { account_id, id } = ctx.params as { account_id: string; id: string };
        if (!isUuid(id) || !repo.get(account_id, id)) throw ruleNotFound(id);
        const changes = await namedFields(ctx);
        const updated = repo.update(account_id, id, changes, now());
        if (!updated) throw ruleNotFound(id);
        return ok(updated);
      },
      DELETE: ({ params }) => {
        const deleted = isUuid(params.id!) ? repo.delete(params.account_id!, params.id!) : null;
        if (!deleted) throw ruleNotFound(params.id!);
        return ok(deleted);
      },
    },
  ];
}

/** The validated PATCH body, keeping only the fields the caller sent (no filled-in defaults). */
async function namedFields(ctx: RequestContext): Promise<Partial<CustomProviderCostFields>> {
  const checked = await ctx.body<Partial<CustomProviderCostFields>>();
  const sent = await ctx.json();
  const names = isObject(sent) ? sent : {};
  return Object.fromEntries(Object.entries(checked).filter(([name]) => names[name] !== undefined));
}

function queryError(name: string, problem: string) {
  return validationError([{ path: ['query', name], message: `"${name}" ${problem}` }]);
}

function ruleNotFound(id: string) {
  return notFound(`no custom provider pricing rule with id "${id}"`);
}

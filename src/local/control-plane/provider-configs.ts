// /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/provider_configs: a gateway's provider keys (BYOK):
// list, create, get, rotate (PUT: only the secret changes) and delete. The data plane uses them for requests
// that bring no provider credentials of their own (pipeline/stored-keys.ts).
//
// The secret is written once and never returned: answers carry `secret_preview` (its last four characters at
// most). Validation messages name the field, never its value.

import type { Runtime } from '../runtime.js';
import type { ProviderKeyFields } from '../store/provider-keys.js';
import { isKnownProvider } from '../upstream/providers.js';
import { ApiError, codes, notFound, ok, validationError } from './envelope.js';
import { gatewayInPath } from './gateways.js';
import { aiGatewayPerPage, pageQuery, resultInfo } from './request.js';
import type { Route } from './router.js';

const configs = '/accounts/:account_id/ai-gateway/gateways/:gateway_id/provider_configs';

/** Printable ASCII without spaces at either end: an alias travels in the cf-aig-byok-alias header. */
const ALIAS = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
/** Control characters: a key goes upstream in a header, where they cannot travel. */
const CONTROL = /[\u0000-\u001f\u007f]/;

export function providerConfigRoutes(runtime: Runtime): Route[] {
  const repo = runtime.providerKeys;
  const now = () => runtime.options.now();
  /** The gateway's id once it is known to exist (404, code 7002, otherwise). */
  const gatewayOf = (params: Record<string, string>): string => gatewayInPath(runtime, params).gatewayId;
  const keyNotFound = (id: string) => notFound(`no provider key with id "${id}"`);

  return [
    {
      path: configs,
      GET: ({ params, url }) => {
        const gatewayId = gatewayOf(params);
        const page = pageQuery(url, aiGatewayPerPage);
        const items = repo.list(params.account_id!, gatewayId, { limit: page.perPage, offset: page.offset });
        return ok(items, resultInfo(page, items.length, repo.count(params.account_id!, gatewayId)));
      },
      POST: async (ctx) => {
        const gatewayId = gatewayOf(ctx.params);
        const fields = await ctx.body<ProviderKeyFields>();
        checkCreate(fields);
        const created = repo.create(ctx.params.account_id!, gatewayId, fields, now());
        if (created === 'alias-taken') {
          throw new ApiError(400, [
            {
              code: codes.validation,
              message: `Gateway "${gatewayId}" already has a key for ${fields.provider_slug} with alias "${fields.alias}"`,
              path: ['body', 'alias'],
            },
          ]);
        }
        if (created === 'no-such-secret') {
          throw validationError([
            { path: ['body', 'secret_id'], message: `no stored secret with id "${fields.secret_id}"` },
          ]);
        }
        return ok(created);
      },
    },
    {
      path: `${configs}/:id`,
      GET: ({ params }) => {
        const found = repo.get(params.account_id!, gatewayOf(params), params.id!);
        if (!found) throw keyNotFound(params.id!);
        return ok(found);
      },
      PUT: async (ctx) => {
        const gatewayId = gatewayOf(ctx.params);
        const { account_id, id } = ctx.params as { account_id: string; id: string };
        if (!repo.get(account_id, gatewayId, id)) throw keyNotFound(id);
        const { secret } = await ctx.body<{ secret: string }>();
        checkSecret(secret);
        const rotated = repo.rotate(account_id, gatewayId, id, secret, now());
        if (!rotated) throw keyNotFound(id);
        return ok(rotated);
      },
      DELETE: ({ params }) => {
        const deleted = repo.delete(params.account_id!, gatewayOf(params), params.id!);
        if (!deleted) throw keyNotFound(params.id!);
        return ok(deleted);
      },
    },
  ];
}

/** What the schema cannot say: a provider the gateway serves, an alias a header can carry, a usable secret. */
function checkCreate(fields: ProviderKeyFields): void {
  const issues: { path: string[]; message: string }[] = [];
  const slug = fields.provider_slug;
  if (!isKnownProvider(slug) || slug === 'custom-') {
    issues.push({ path: ['body', 'provider_slug'], message: `"provider_slug" names no provider: "${slug}"` });
  }
  if (!ALIAS.test(fields.alias)) {
    issues.push({
      path: ['body', 'alias'],
      message:
        '"alias" must be printable ASCII without spaces at either end (it is sent in cf-aig-byok-alias)',
    });
  }
  if (fields.secret === undefined && fields.secret_id === undefined) {
    issues.push({ path: ['body', 'secret'], message: 'either "secret" or "secret_id" is required' });
  }
  if (issues.length > 0) throw validationError(issues);
  if (fields.secret !== undefined) checkSecret(fields.secret);
}

function checkSecret(secret: string): void {
  if (secret === '' || CONTROL.test(secret)) {
    throw validationError([
      { path: ['body', 'secret'], message: '"secret" must be a non-empty key without control characters' },
    ]);
  }
}

// The account and token endpoints a client calls before it touches a gateway: /user/tokens/verify,
// /accounts and /accounts/{account_id}. The local gateway has one account (options.accountId) to report;
// the AI Gateway routes still accept any account id and keep each one's data apart.
import type { Runtime } from '../runtime.js';
import { tokenId } from './auth.js';
import { ApiError, ok } from './envelope.js';
import { pageQuery, resultInfo, stringQuery } from './request.js';
import type { Route } from './router.js';

const localAccountName = 'Local (aigw proxy)';

export function accountRoutes(runtime: Runtime): Route[] {
  const createdOn = runtime.options.now().toISOString();
  const account = () => ({
    id: runtime.options.accountId,
    name: localAccountName,
    type: 'standard',
    settings: {},
    created_on: createdOn,
  });

  return [
    {
      path: '/user/tokens/verify',
      GET: ({ credentials }) => {
        if (credentials.kind !== 'token') {
          // Cloudflare verifies API tokens only; a global API key is not one.
          throw new ApiError(401, [{ code: 1000, message: 'Invalid API Token' }], null);
        }
        return ok({ id: tokenId(credentials.token), status: 'active' }, undefined, [
          { code: 10000, message: 'This API Token is valid and active' },
        ]);
      },
    },
    {
      path: '/accounts',
      GET: ({ url }) => {
        const page = pageQuery(url, { defaultPerPage: 20, minPerPage: 5, maxPerPage: 50 });
        const name = stringQuery(url, 'name')?.toLowerCase();
        const all = [account()].filter((a) => !name || a.name.toLowerCase().includes(name));
        const items = all.slice(page.offset, page.offset + page.perPage);
        return ok(items, resultInfo(page, items.length, all.length));
      },
    },
    {
      path: '/accounts/:account_id',
      GET: ({ params }) => {
        if (params.account_id !== runtime.options.accountId) {
          throw new ApiError(
            404,
            [
              {
                code: 7003,
                message: `Could not route to /accounts/${params.account_id}, perhaps your object identifier is invalid?`,
              },
            ],
            null,
          );
        }
        return ok(account());
      },
    },
  ];
}

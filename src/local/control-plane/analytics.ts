// POST /client/v4/graphql: Cloudflare's GraphQL analytics API for the aiGatewayRequestsAdaptiveGroups dataset.
// graphql-js loads on the first query, so a gateway that is never asked for analytics never pays for it.
import type { Runtime } from '../runtime.js';
import { ApiError } from './envelope.js';
import type { GraphqlReply } from './graphql/index.js';
import type { Route } from './router.js';

export function analyticsRoutes(runtime: Runtime): Route[] {
  let engine: Promise<(request: unknown) => GraphqlReply> | undefined;
  return [
    {
      path: '/graphql',
      POST: async (ctx) => {
        engine ??= import('./graphql/index.js').then((m) =>
          m.graphqlEngine(runtime.store, runtime.options.now),
        );
        let request: unknown;
        try {
          request = await ctx.json();
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          const message = err.errors[0]?.message ?? 'The request body is not valid JSON';
          return { status: err.status, body: { data: null, errors: [{ message }] } };
        }
        return (await engine)(request);
      },
    },
  ];
}

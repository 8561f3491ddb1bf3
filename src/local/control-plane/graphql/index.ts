// Runs one GraphQL request against the analytics schema and answers as Cloudflare's endpoint does: HTTP 200
// with {data, errors}, errors null when there are none, each error with a timestamp in its extensions; a body
// that is not a GraphQL request is a 400 in the same shape.
import { executeSync, GraphQLError, parse, validate } from 'graphql';
import type { Store } from '../../store/db.js';
import { lenientVariables } from './lenient.js';
import { analyticsSchema } from './schema.js';

export interface GraphqlReply {
  status: number;
  body: { data: unknown; errors: unknown[] | null };
}

export function graphqlEngine(store: Store, now: () => Date): (request: unknown) => GraphqlReply {
  const schema = analyticsSchema(store);
  const failed = (status: number, errors: readonly GraphQLError[]): GraphqlReply => ({
    status,
    body: { data: null, errors: errors.map((e) => shaped(e, now())) },
  });
  return (request) => {
    const { query, variables, operationName } = (request ?? {}) as Record<string, unknown>;
    if (typeof query !== 'string' || query.trim() === '')
      return failed(400, [new GraphQLError('The request body needs a "query" string')]);
    if (
      variables !== undefined &&
      variables !== null &&
      (typeof variables !== 'object' || Array.isArray(variables))
    )
      return failed(400, [new GraphQLError('"variables" must be an object')]);
    let document: ReturnType<typeof parse>;
    try {
      document = lenientVariables(schema, parse(query));
    } catch (err) {
      if (err instanceof GraphQLError) return failed(200, [err]);
      throw err;
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return failed(200, invalid);
    const result = executeSync({
      schema,
      document,
      variableValues: (variables ?? {}) as Record<string, unknown>,
      operationName: typeof operationName === 'string' ? operationName : null,
    });
    return {
      status: 200,
      body: {
        data: result.data ?? null,
        errors: result.errors ? result.errors.map((e) => shaped(e, now())) : null,
      },
    };
  };
}

function shaped(error: GraphQLError, at: Date) {
  const json = error.toJSON();
  return { ...json, extensions: { ...json.extensions, timestamp: at.toISOString() } };
}

// The GraphQL analytics schema, with Cloudflare's names: viewer → accounts(filter: {accountTag}) →
// aiGatewayRequestsAdaptiveGroups(limit, filter, orderBy) { count sum {...} dimensions {...} }, Cloudflare's
// scalars (string, uint64, float64, Time, Date), its `<field>_<operator>` filters with AND / OR, and its
// `<field>_ASC|DESC` / `sum_<field>_DESC` orderings. Resolvers hand the grouped sum to the store's aggregate().
import {
  type ConstValueNode,
  type FieldNode,
  GraphQLEnumType,
  GraphQLError,
  GraphQLFloat,
  type GraphQLInputFieldConfigMap,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLNullableInputType,
  GraphQLObjectType,
  type GraphQLResolveInfo,
  GraphQLScalarType,
  GraphQLSchema,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Store } from '../../store/db.js';
import {
  type AggregateQuery,
  aggregate,
  type Condition,
  type Dimension,
  dimensions,
  type Filter,
  type Measure,
  measures,
  type Operator,
  timeDimensions,
  UnanswerableQuery,
} from '../../store/logs/aggregate.js';
import { collectFieldNames } from './selection.js';

/** Cloudflare's cap on the groups one query returns. */
const MAX_LIMIT = 10_000;

function literalError(kind: string, node: ConstValueNode): GraphQLError {
  return new GraphQLError(`${kind} cannot represent a ${node.kind.toLowerCase()} value`, { nodes: node });
}

const stringScalar = new GraphQLScalarType<string, string>({
  name: 'string',
  coerceOutputValue: (v) => String(v),
  coerceInputValue: (v) => {
    if (typeof v !== 'string') throw new GraphQLError(`string cannot represent ${JSON.stringify(v)}`);
    return v;
  },
  coerceInputLiteral: (node) => {
    if (node.kind !== Kind.STRING) throw literalError('string', node);
    return node.value;
  },
});

function uint(v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw new GraphQLError(`uint64 cannot represent ${JSON.stringify(v)}`);
  return n;
}

const uint64 = new GraphQLScalarType<number, number>({
  name: 'uint64',
  coerceOutputValue: (v) => Number(v),
  coerceInputValue: uint,
  coerceInputLiteral: (node) => {
    if (node.kind !== Kind.INT) throw literalError('uint64', node);
    return uint(node.value);
  },
});

const float64 = new GraphQLScalarType<number, number>({
  name: 'float64',
  coerceOutputValue: (v) => Number(v),
  coerceInputValue: (v) => GraphQLFloat.coerceInputValue(v) as number,
  coerceInputLiteral: (node) => GraphQLFloat.coerceInputLiteral!(node) as number,
});

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Time and Date travel as epoch milliseconds inside; RFC 3339 (seconds, UTC) and YYYY-MM-DD outside. */
function timeScalar(name: 'Time' | 'Date', pattern: RegExp, format: (ms: number) => string) {
  const parse = (v: unknown): number => {
    const ms = typeof v === 'string' && pattern.test(v) ? Date.parse(v) : Number.NaN;
    if (Number.isNaN(ms)) {
      const example = name === 'Time' ? '2026-01-31T10:00:00Z' : '2026-01-31';
      throw new GraphQLError(`${name} cannot represent ${JSON.stringify(v)} (expected e.g. ${example})`);
    }
    return ms;
  };
  return new GraphQLScalarType<number, string>({
    name,
    coerceOutputValue: (v) => format(Number(v)),
    coerceInputValue: parse,
    coerceInputLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw literalError(name, node);
      return parse(node.value);
    },
  });
}

const timeType = timeScalar('Time', rfc3339, (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
const dateType = timeScalar('Date', /^\d{4}-\d{2}-\d{2}$/, (ms) => new Date(ms).toISOString().slice(0, 10));

const dimensionType = (d: Dimension) =>
  d === 'date' ? dateType : d in timeDimensions ? timeType : stringScalar;

const nn = <T extends GraphQLNullableInputType>(t: T) => new GraphQLNonNull<T>(t);

const sumFields: Exclude<Measure, 'count'>[] = measures.filter((m) => m !== 'count') as Exclude<
  Measure,
  'count'
>[];

const Sum = new GraphQLObjectType({
  name: 'AccountAiGatewayRequestsAdaptiveGroupsSum',
  fields: Object.fromEntries(
    sumFields.map((m) => [
      m,
      m === 'cost'
        ? { type: new GraphQLNonNull(float64), description: 'Estimated cost in USD' }
        : { type: new GraphQLNonNull(uint64) },
    ]),
  ),
});

const Dimensions = new GraphQLObjectType({
  name: 'AccountAiGatewayRequestsAdaptiveGroupsDimensions',
  fields: Object.fromEntries(dimensions.map((d) => [d, { type: new GraphQLNonNull(dimensionType(d)) }])),
});

const Group = new GraphQLObjectType({
  name: 'AccountAiGatewayRequestsAdaptiveGroups',
  fields: {
    count: { type: new GraphQLNonNull(uint64) },
    sum: { type: new GraphQLNonNull(Sum) },
    dimensions: { type: new GraphQLNonNull(Dimensions) },
  },
});

const scalarOperators: Operator[] = ['neq', 'gt', 'lt', 'geq', 'leq'];

const GroupFilter: GraphQLInputObjectType = new GraphQLInputObjectType({
  name: 'AccountAiGatewayRequestsAdaptiveGroupsFilter_InputObject',
  fields: () => {
    const fields: GraphQLInputFieldConfigMap = {
      AND: { type: new GraphQLList(nn(GroupFilter)) },
      OR: { type: new GraphQLList(nn(GroupFilter)) },
    };
    for (const d of dimensions) {
      const type = dimensionType(d);
      fields[d] = { type };
      for (const op of scalarOperators) fields[`${d}_${op}`] = { type };
      fields[`${d}_in`] = { type: new GraphQLList(nn(type)) };
      fields[`${d}_notin`] = { type: new GraphQLList(nn(type)) };
      if (!(d in timeDimensions)) {
        fields[`${d}_like`] = { type };
        fields[`${d}_notlike`] = { type };
      }
    }
    return fields;
  },
});

type OrderKey = { key: Dimension | Measure; desc: boolean };

const OrderBy = new GraphQLEnumType({
  name: 'AccountAiGatewayRequestsAdaptiveGroupsOrderBy',
  values: Object.fromEntries(
    [
      ...dimensions.map((d) => [d, d] as const),
      ['count', 'count'] as const,
      ...sumFields.map((m) => [`sum_${m}`, m] as const),
    ].flatMap(([name, key]) =>
      (['ASC', 'DESC'] as const).map((dir) => [
        `${name}_${dir}`,
        { value: { key, desc: dir === 'DESC' } satisfies OrderKey },
      ]),
    ),
  ),
});

const AccountFilter = new GraphQLInputObjectType({
  name: 'AccountFilter_InputObject',
  fields: { accountTag: { type: stringScalar } },
});

interface GroupsArgs {
  limit: number;
  filter?: Record<string, unknown> | null;
  orderBy?: OrderKey[] | null;
}

/** The schema over one store; `accounts` answers for any account tag, each account's data kept apart. */
export function analyticsSchema(store: Store): GraphQLSchema {
  const Account = new GraphQLObjectType<{ accountTag: string }>({
    name: 'Account',
    fields: {
      aiGatewayRequestsAdaptiveGroups: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Group))),
        description: 'AI Gateway requests, grouped by the dimensions asked for',
        args: {
          limit: { type: new GraphQLNonNull(uint64) },
          filter: { type: GroupFilter },
          orderBy: { type: new GraphQLList(new GraphQLNonNull(OrderBy)) },
        },
        resolve: (account, args: GroupsArgs, _ctx, info) => groups(store, account.accountTag, args, info),
      },
    },
  });
  const Viewer = new GraphQLObjectType({
    name: 'Viewer',
    fields: {
      accounts: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Account))),
        args: { filter: { type: new GraphQLNonNull(AccountFilter) } },
        resolve: (_viewer, args: { filter: { accountTag?: string | null } }) => {
          const tag = args.filter.accountTag;
          if (!tag) throw new GraphQLError('accounts needs a filter with accountTag');
          return [{ accountTag: tag }];
        },
      },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { viewer: { type: new GraphQLNonNull(Viewer), resolve: () => ({}) } },
    }),
  });
}

function groups(store: Store, accountId: string, args: GroupsArgs, info: GraphQLResolveInfo) {
  if (args.limit > MAX_LIMIT) throw new GraphQLError(`limit must be at most ${MAX_LIMIT}`);
  const selected = dimensionsAsked(info);
  const query: AggregateQuery = {
    accountId,
    filter: args.filter ? toFilter(args.filter) : { all: [] },
    dimensions: selected,
    orderBy: args.orderBy ?? [],
    limit: args.limit,
  };
  let found: ReturnType<typeof aggregate>;
  try {
    found = aggregate(store, query);
  } catch (err) {
    if (err instanceof UnanswerableQuery) throw new GraphQLError(err.message);
    throw err;
  }
  return found.map((g) => ({
    count: g.count,
    dimensions: g.dimensions,
    sum: {
      cost: g.costPico / 1e12,
      cachedRequests: g.cachedRequests,
      erroredRequests: g.erroredRequests,
      cachedTokensIn: g.cachedTokensIn,
      cachedTokensOut: g.cachedTokensOut,
      uncachedTokensIn: g.uncachedTokensIn,
      uncachedTokensOut: g.uncachedTokensOut,
    },
  }));
}

/** The dimensions the query selects under `dimensions { ... }` (aliases and fragments included). */
function dimensionsAsked(info: GraphQLResolveInfo): Dimension[] {
  const asked = new Set<string>();
  for (const node of info.fieldNodes as FieldNode[]) {
    const sets: SelectionSetNode[] = [];
    for (const field of collectFieldNames(node.selectionSet, info)) {
      if (field.name === 'dimensions' && field.node.selectionSet) sets.push(field.node.selectionSet);
    }
    for (const set of sets) for (const field of collectFieldNames(set, info)) asked.add(field.name);
  }
  return dimensions.filter((d) => asked.has(d));
}

const operators = new Set<string>([...scalarOperators, 'in', 'notin', 'like', 'notlike']);

/** A coerced filter input object as the store's Filter: fields AND-ed, OR lists OR-ed. */
function toFilter(input: Record<string, unknown>): Filter {
  const all: Filter[] = [];
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (field === 'AND' || field === 'OR') {
      const list = ((value as Record<string, unknown>[] | null) ?? []).map(toFilter);
      all.push(field === 'AND' ? { all: list } : { any: list });
      continue;
    }
    if (value === null) throw new GraphQLError(`filter field ${field} cannot be null`);
    const cut = field.lastIndexOf('_');
    const suffix = cut > 0 ? field.slice(cut + 1) : '';
    const [dimension, op] = operators.has(suffix)
      ? [field.slice(0, cut) as Dimension, suffix as Operator]
      : [field as Dimension, 'eq' as Operator];
    all.push({ dimension, op, value: value as Condition['value'] });
  }
  return all.length === 1 ? all[0]! : { all };
}

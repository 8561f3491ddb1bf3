// Cloudflare's GraphQL analytics API (POST /graphql) through the same SDK client as every other call: same
// credentials, --debug trace and error translation (the SDK has no GraphQL helper, so this uses its raw
// request path). Holds the query `aigw costs` sends, so tests can run the very same text.
import { APIError } from 'cloudflare/error';
import { ApiError, AuthError } from '../errors.js';
import type { AigwClient } from './index.js';

/** The token permission analytics need on Cloudflare. */
const ANALYTICS_PERMISSION = 'Account Analytics Read';

/** Cloudflare's cap on the groups one query returns. */
const GROUPS_LIMIT = 10_000;

const costsDimensions = [
  'model',
  'provider',
  'gateway',
  'date',
  'datetimeHour',
  'datetimeFifteenMinutes',
] as const;
export type CostsDimension = (typeof costsDimensions)[number];

export interface CostGroup {
  count: number;
  sum: {
    cost: number;
    cachedTokensIn: number;
    cachedTokensOut: number;
    uncachedTokensIn: number;
    uncachedTokensOut: number;
    cachedRequests: number;
    erroredRequests: number;
  };
  dimensions: Partial<Record<CostsDimension, string>>;
}

export interface CostsRange {
  from: Date;
  to: Date;
  /** Only these gateways (all when empty). */
  gateways: string[];
}

/** The query `aigw costs` sends: every sum, grouped by `dimensions`, most expensive first. */
export function costsQuery(dimensions: readonly CostsDimension[]): string {
  const grouped = dimensions.length > 0 ? `\n        dimensions { ${dimensions.join(' ')} }` : '';
  return `query AigwCosts($accountTag: string!, $filter: AccountAiGatewayRequestsAdaptiveGroupsFilter_InputObject!, $limit: uint64!) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      aiGatewayRequestsAdaptiveGroups(limit: $limit, filter: $filter, orderBy: [sum_cost_DESC]) {
        count
        sum { cost cachedTokensIn cachedTokensOut uncachedTokensIn uncachedTokensOut cachedRequests erroredRequests }${grouped}
      }
    }
  }
}`;
}

/** The variables of costsQuery: [from, to) to the second, and the gateways if any. */
function costsVariables(accountId: string, range: CostsRange, limit = GROUPS_LIMIT) {
  const second = (d: Date) =>
    new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const filter: Record<string, unknown> = { datetime_geq: second(range.from), datetime_lt: second(range.to) };
  if (range.gateways.length === 1) filter.gateway = range.gateways[0];
  else if (range.gateways.length > 1) filter.gateway_in = range.gateways;
  return { accountTag: accountId, filter, limit };
}

interface GraphqlBody<T> {
  data: T | null;
  errors: { message?: string; extensions?: { code?: string } }[] | null;
}

type CostsData = { viewer: { accounts: { aiGatewayRequestsAdaptiveGroups: CostGroup[] }[] } };

export class AnalyticsApi {
  constructor(private readonly client: AigwClient) {}

  /** Runs one GraphQL query; GraphQL errors and HTTP errors become aigw's typed errors. */
  async query<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const target = this.client.target;
    // A 403 here is a missing analytics permission, said in one line; the rest is translated as every call is.
    const body = await this.client.call(async () => {
      try {
        return (await this.client.sdk.post('/graphql', { body: { query, variables } })) as GraphqlBody<T>;
      } catch (err) {
        if (err instanceof APIError && err.status === 403 && !target.local) throw this.permissionError();
        throw err;
      }
    });
    const errors = body.errors ?? [];
    if (errors.length > 0) {
      if (!target.local && errors.some(isAuthorization)) throw this.permissionError();
      const messages = errors.map((e) => ({ message: e.message ?? 'unknown error' }));
      throw new ApiError(
        200,
        messages,
        `The analytics API refused the query: ${messages.map((e) => e.message).join('; ')}`,
      );
    }
    return body.data as T;
  }

  /**
   * Every group of the account's requests in the range. A range with more groups than one answer holds
   * is asked for again in two halves, down to single hours.
   */
  async costGroups(accountId: string, dimensions: readonly CostsDimension[], range: CostsRange) {
    const groups: CostGroup[] = [];
    let truncated = false;
    const ask = async (from: Date, to: Date): Promise<void> => {
      const data = await this.query<CostsData>(
        costsQuery(dimensions),
        costsVariables(accountId, { ...range, from, to }),
      );
      const found = data.viewer.accounts[0]?.aiGatewayRequestsAdaptiveGroups ?? [];
      const hour = 3_600_000;
      const middle = Math.floor((from.getTime() + to.getTime()) / 2 / hour) * hour;
      if (found.length < GROUPS_LIMIT) groups.push(...found);
      else if (middle > from.getTime() && middle < to.getTime()) {
        await ask(from, new Date(middle));
        await ask(new Date(middle), to);
      } else {
        groups.push(...found);
        truncated = true;
      }
    };
    await ask(range.from, range.to);
    return { groups, truncated };
  }

  private permissionError(): AuthError {
    return new AuthError(
      `Cloudflare refused the analytics query: the token (${this.client.target.credential.source}) needs the "${ANALYTICS_PERMISSION}" permission.`,
    );
  }
}

function isAuthorization(error: { message?: string; extensions?: { code?: string } }): boolean {
  return (
    error.extensions?.code === 'authz' ||
    /not authorized|does not have access|authorization|permission/i.test(error.message ?? '')
  );
}

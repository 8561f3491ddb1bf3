// POST /client/v4/graphql: Cloudflare's analytics dataset aiGatewayRequestsAdaptiveGroups, answered from the
// store. Queries copied from Cloudflare's documentation run unchanged; sums match the requests exactly, whichever
// rollup answers; wrong fields get GraphQL's own errors in Cloudflare's {data, errors} shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { insertLogs, postGraphql, type SeedRequest } from '../helpers/analytics.js';
import { startTestGateway } from '../helpers/local-gateway.js';

const T0 = Date.parse('2026-03-01T10:17:23.450Z');
const models = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o'],
  ['anthropic', 'claude-sonnet-4-5'],
] as const;

/** Deterministic requests over ~3 days, at times that fall anywhere inside minutes and hours. */
function seed(n: number): SeedRequest[] {
  let x = 42;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const out: SeedRequest[] = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    t += Math.floor(next() * 400_000);
    const [provider, model] = models[Math.floor(next() * models.length)]!;
    const success = next() > 0.1;
    out.push({
      gatewayId: next() > 0.5 ? 'prod' : 'staging',
      createdMs: t,
      provider,
      model,
      cached: success && next() > 0.8,
      success,
      tokensIn: success ? 10 + Math.floor(next() * 100) : null,
      tokensOut: success ? 5 + Math.floor(next() * 50) : null,
      cost: success ? Math.floor(next() * 1e6) / 1e10 : null,
      metadata: next() > 0.5 ? { team: next() > 0.5 ? 'search' : 'chat' } : null,
    });
  }
  return out;
}

const requests = seed(1500);
let gw: LocalGateway;

beforeAll(async () => {
  gw = await startTestGateway({ accountId: 'acct' });
  insertLogs(gw, requests);
  // Another account's traffic never shows up in this one's answers.
  insertLogs(gw, [
    { accountId: 'other', gatewayId: 'prod', createdMs: T0, provider: 'openai', model: 'x', cost: 1 },
  ]);
});
afterAll(() => gw.close());

type Groups = { count: number; sum: Record<string, number>; dimensions: Record<string, string> }[];

function groupsOf(
  answer: Awaited<ReturnType<typeof postGraphql>>,
  alias = 'aiGatewayRequestsAdaptiveGroups',
) {
  expect(answer.body.errors).toBeNull();
  const accounts = (answer.body.data as { viewer: { accounts: Record<string, Groups>[] } }).viewer.accounts;
  return accounts[0]![alias]!;
}

describe("queries from Cloudflare's documentation", () => {
  it('runs the AI Gateway analytics example as published: undeclared variables, unused ones, an alias', async () => {
    const query =
      'query{\n viewer {\n accounts(filter: { accountTag: "acct" }) {\n requests: aiGatewayRequestsAdaptiveGroups(\n limit: $limit\n filter: { datetimeHour_geq: $start, datetimeHour_leq: $end }\n orderBy: [datetimeMinute_ASC]\n ) {\n count,\n dimensions {\n model,\n provider,\n gateway,\n ts: datetimeMinute\n }\n \n }\n \n }\n }\n}';
    const answer = await postGraphql(gw, {
      query,
      variables: {
        limit: 1000,
        start: '2026-03-01T10:00:00.0Z',
        end: '2026-03-02T10:00:00.0Z',
        orderBy: 'date_ASC',
      },
    });
    expect(answer.status).toBe(200);
    const groups = groupsOf(answer, 'requests');
    // datetimeHour <= 10:00 on the 2nd takes the whole of that hour.
    const inRange = requests.filter(
      (r) =>
        r.createdMs >= Date.parse('2026-03-01T10:00:00Z') && r.createdMs < Date.parse('2026-03-02T11:00:00Z'),
    );
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(inRange.length);
    expect(groups[0]!.dimensions).toEqual({
      model: expect.any(String),
      provider: expect.any(String),
      gateway: expect.any(String),
      ts: new Date(inRange[0]!.createdMs - (inRange[0]!.createdMs % 60_000))
        .toISOString()
        .replace('.000Z', 'Z'),
    });
    const minutes = groups.map((g) => g.dimensions.ts!);
    expect([...minutes].sort()).toEqual(minutes);
  });

  it('takes variables declared with built-in scalars where Cloudflare scalars are expected', async () => {
    const answer = await postGraphql(gw, {
      query: `query Spend($account: String!, $gateway: String!, $start: String!) {
        viewer { accounts(filter: { accountTag: $account }) {
          aiGatewayRequestsAdaptiveGroups(limit: 1, filter: { gateway: $gateway, datetime_geq: $start }) { sum { cost } }
        } } }`,
      variables: { account: 'acct', gateway: 'prod', start: '2026-03-01T00:00:00Z' },
    });
    const [group] = groupsOf(answer);
    const expected = requests.filter((r) => r.gatewayId === 'prod').reduce((s, r) => s + picos(r.cost), 0);
    expect(group!.sum.cost).toBe(expected / 1e12);
  });
});

function picos(cost: number | null | undefined): number {
  return Math.round((cost ?? 0) * 1e12);
}

describe('sums', () => {
  it('counts, tokens (cached apart), errors and cost by model, ordered by cost', async () => {
    const answer = await postGraphql(gw, {
      query: `{ viewer { accounts(filter: {accountTag: "acct"}) {
        aiGatewayRequestsAdaptiveGroups(limit: 100, filter: {}, orderBy: [sum_cost_DESC]) {
          count
          sum { cost cachedTokensIn cachedTokensOut uncachedTokensIn uncachedTokensOut cachedRequests erroredRequests }
          dimensions { model }
        } } } }`,
    });
    const groups = groupsOf(answer);
    const expected = models.map(([, model]) => {
      const mine = requests.filter((r) => r.model === model);
      const tokens = (rs: SeedRequest[], k: 'tokensIn' | 'tokensOut') =>
        rs.reduce((s, r) => s + (r[k] ?? 0), 0);
      const cached = mine.filter((r) => r.cached);
      const uncached = mine.filter((r) => !r.cached);
      return {
        count: mine.length,
        sum: {
          cost: mine.reduce((s, r) => s + picos(r.cost), 0) / 1e12,
          cachedTokensIn: tokens(cached, 'tokensIn'),
          cachedTokensOut: tokens(cached, 'tokensOut'),
          uncachedTokensIn: tokens(uncached, 'tokensIn'),
          uncachedTokensOut: tokens(uncached, 'tokensOut'),
          cachedRequests: cached.length,
          erroredRequests: mine.filter((r) => r.success === false).length,
        },
        dimensions: { model },
      };
    });
    expect(groups).toEqual(expected.sort((a, b) => b.sum.cost - a.sum.cost));
  });

  it('filters on metadataRaw with like, and groups by it', async () => {
    const answer = await postGraphql(gw, {
      query: `{ viewer { accounts(filter: {accountTag: "acct"}) {
        aiGatewayRequestsAdaptiveGroups(limit: 10, filter: {metadataRaw_like: "%search%"}) { count dimensions { metadataRaw } }
      } } }`,
    });
    expect(groupsOf(answer)).toEqual([
      {
        count: requests.filter((r) => r.metadata?.team === 'search').length,
        dimensions: { metadataRaw: '{"team":"search"}' },
      },
    ]);
  });

  it('answers no groups when nothing matches', async () => {
    const answer = await postGraphql(gw, {
      query:
        '{ viewer { accounts(filter: {accountTag: "nobody"}) { aiGatewayRequestsAdaptiveGroups(limit: 5) { count } } } }',
    });
    expect(groupsOf(answer)).toEqual([]);
  });
});

describe('the rollups answer exactly what the requests would', () => {
  const timeDims = {
    datetime: 1000,
    datetimeMinute: 60_000,
    datetimeFifteenMinutes: 900_000,
    datetimeHour: 3_600_000,
    date: 86_400_000,
  } as const;
  type TimeDim = keyof typeof timeDims;
  const ops = {
    geq: (a: number, b: number) => a >= b,
    gt: (a: number, b: number) => a > b,
    leq: (a: number, b: number) => a <= b,
    lt: (a: number, b: number) => a < b,
  } as const;
  let x = 7;
  const rand = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const span = requests.at(-1)!.createdMs - T0;

  for (let round = 0; round < 25; round++) {
    it(`random query ${round}`, async () => {
      const conditions: { field: string; value: string; test: (r: SeedRequest) => boolean }[] = [];
      for (let i = 0; i < 1 + Math.floor(rand() * 3); i++) {
        const dim = pick(Object.keys(timeDims) as TimeDim[]);
        const op = pick(Object.keys(ops) as (keyof typeof ops)[]);
        const at = T0 + Math.floor(rand() * span);
        const unit = timeDims[dim];
        const value = dim === 'date' ? new Date(at).toISOString().slice(0, 10) : new Date(at).toISOString();
        const v = Date.parse(dim === 'date' ? `${value}T00:00:00Z` : value);
        conditions.push({
          field: `${dim}_${op}`,
          value,
          test: (r) => ops[op](r.createdMs - (r.createdMs % unit), v),
        });
      }
      if (rand() > 0.6)
        conditions.push({ field: 'gateway', value: 'prod', test: (r) => r.gatewayId === 'prod' });
      const groupBy = [
        'model',
        'gateway',
        'datetimeHour',
        'date',
        'datetimeMinute',
        'datetimeFifteenMinutes',
      ].filter(() => rand() > 0.6);
      const filter = conditions.map((c) => `${c.field}: ${JSON.stringify(c.value)}`).join(', ');
      const answer = await postGraphql(gw, {
        query: `{ viewer { accounts(filter: {accountTag: "acct"}) {
          aiGatewayRequestsAdaptiveGroups(limit: 10000, filter: {${filter}}) {
            count sum { cost uncachedTokensIn } dimensions { ${groupBy.join(' ')} }
          } } } }`,
      });
      const expected = new Map<string, { count: number; cost: number; tokens: number }>();
      for (const r of requests.filter((r) => conditions.every((c) => c.test(r)))) {
        const key = groupBy.map((d) => bucket(d, r)).join('|');
        const e = expected.get(key) ?? { count: 0, cost: 0, tokens: 0 };
        e.count++;
        e.cost += picos(r.cost);
        e.tokens += r.cached ? 0 : (r.tokensIn ?? 0);
        expected.set(key, e);
      }
      const got = new Map(
        groupsOf(answer).map((g) => [
          groupBy.map((d) => g.dimensions[d]).join('|'),
          { count: g.count, cost: Math.round(g.sum.cost! * 1e12), tokens: g.sum.uncachedTokensIn! },
        ]),
      );
      expect(got).toEqual(expected);
    });
  }

  function bucket(dim: string, r: SeedRequest): string {
    if (dim === 'model') return r.model;
    if (dim === 'gateway') return r.gatewayId;
    const unit = timeDims[dim as TimeDim];
    const iso = new Date(r.createdMs - (r.createdMs % unit)).toISOString();
    return dim === 'date' ? iso.slice(0, 10) : iso.replace(/\.\d{3}Z$/, 'Z');
  }
});

describe('errors, as GraphQL and Cloudflare give them', () => {
  it('a field the dataset does not have gets GraphQL validation error, data null, HTTP 200', async () => {
    const answer = await postGraphql(gw, {
      query:
        '{ viewer { accounts(filter: {accountTag: "acct"}) { aiGatewayRequestsAdaptiveGroups(limit: 1) { sum { tokens } } } } }',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: 'Cannot query field "tokens" on type "AccountAiGatewayRequestsAdaptiveGroupsSum".',
        extensions: { timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
      }),
    ]);
  });

  it('a syntax error, a bad time, a limit over 10000 and ordering by an unselected dimension', async () => {
    const ask = (groupsArgs: string, selection = 'count') =>
      postGraphql(gw, {
        query: `{ viewer { accounts(filter: {accountTag: "acct"}) { aiGatewayRequestsAdaptiveGroups(${groupsArgs}) { ${selection} } } } }`,
      });
    const syntax = await postGraphql(gw, { query: '{ viewer { ' });
    expect(syntax.body.errors![0]!.message).toMatch(/^Syntax Error/);
    const time = await ask('limit: 1, filter: {datetime_geq: "yesterday"}');
    expect(time.body.errors![0]!.message).toContain('Time cannot represent "yesterday"');
    const limit = await ask('limit: 10001');
    expect(limit.body).toMatchObject({ data: null, errors: [{ message: 'limit must be at most 10000' }] });
    expect(limit.body.errors![0]!.path).toEqual(['viewer', 'accounts', 0, 'aiGatewayRequestsAdaptiveGroups']);
    const order = await ask('limit: 1, orderBy: [date_ASC]', 'count dimensions { model }');
    expect(order.body.errors![0]!.message).toContain('cannot order by date');
  });

  it('a body that is not a GraphQL request is a 400 in the same shape', async () => {
    const notJson = await postGraphql(gw, '{"query": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ data: null, errors: [{ message: expect.any(String) }] });
    const noQuery = await postGraphql(gw, { variables: {} });
    expect(noQuery).toMatchObject({
      status: 400,
      body: { data: null, errors: [{ message: 'The request body needs a "query" string' }] },
    });
  });
});

describe('authentication, as the rest of the management API', () => {
  it('refuses a request without credentials, and wrong ones when a token is configured', async () => {
    const query = {
      query:
        '{ viewer { accounts(filter: {accountTag: "acct"}) { aiGatewayRequestsAdaptiveGroups(limit: 1) { count } } } }',
    };
    expect((await postGraphql(gw, query, {})).status).toBe(401);
    const guarded = await startTestGateway({ apiToken: 'right' });
    try {
      expect((await postGraphql(guarded, query, { authorization: 'Bearer wrong' })).status).toBe(403);
      expect((await postGraphql(guarded, query, { authorization: 'Bearer right' })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

// Costs benchmark: grouped sums over 1,000,000 requests through the GraphQL endpoint's own code (parse,
// validate, execute, aggregate over the store), as `aigw costs` asks them. Bundled and run by costs.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphqlEngine } from '../src/local/control-plane/graphql/index.js';
import { openStore } from '../src/local/store/db.js';
import { COUNT_SQL, countValues, ROLLUP_SQL } from '../src/local/store/logs/counts.js';

const quick = process.argv.includes('--quick');
const TOTAL = quick ? 200_000 : 1_000_000;
const DAYS = 30;
const RUNS = quick ? 5 : 11;
const dir = mkdtempSync(join(tmpdir(), 'aigw-bench-costs-'));
const store = openStore({ dataDir: dir });
const end = Date.parse('2026-03-31T00:00:00Z');
const start = end - DAYS * 86_400_000;

// Traffic as a busy account sends it: 4 gateways, 8 models of 4 providers, 10% cached, 3% errors, some
// metadata, spread over 30 days (one request every ~2.6 s).
const models = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o'],
  ['openai', 'o4-mini'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-haiku-4-5'],
  ['google-ai-studio', 'gemini-2.5-flash'],
  ['google-ai-studio', 'gemini-2.5-pro'],
  ['mistral', 'mistral-large-latest'],
];
const gateways = ['prod', 'staging', 'dev', 'ci'];
// The log writer's own statements: a count per request, and the fold into the hourly rollup per batch.
const insert = store.db.prepare(COUNT_SQL);
const fold = ROLLUP_SQL.map((sql) => store.db.prepare(sql));
let t = performance.now();
store.db.exec('BEGIN');
for (let i = 0; i < TOTAL; i++) {
  const [provider, model] = models[(i * 7) % models.length]!;
  const errored = i % 33 === 0 ? 1 : 0;
  insert.run(
    ...countValues({
      accountId: 'local',
      gatewayId: gateways[i % gateways.length]!,
      createdAt: new Date(start + Math.floor((i / TOTAL) * DAYS * 86_400_000)),
      provider: provider!,
      model: model!,
      cached: i % 10 === 0,
      success: errored === 0,
      tokensIn: errored ? 0 : 200 + (i % 900),
      tokensOut: errored ? 0 : 50 + (i % 400),
      cost: errored ? 0 : (1_000_000 + ((i * 7919) % 9_000_000)) / 1e12,
      metadata: i % 4 === 0 ? { team: `t${i % 12}` } : null,
    }),
  );
  if (i % 64 === 63) for (const statement of fold) statement.run();
  if (i % 10_000 === 9_999) {
    store.db.exec('COMMIT');
    store.db.exec('BEGIN');
  }
}
for (const statement of fold) statement.run();
store.db.exec('COMMIT');
console.log(
  `stored ${TOTAL.toLocaleString('en')} requests over ${DAYS} days in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

const run = graphqlEngine(store, () => new Date());
const iso = (ms: number) => new Date(ms).toISOString();
// The query `aigw costs` sends, with the dimensions of --by.
const query = (
  dimensions: string,
) => `query Costs($accountTag: string!, $filter: AccountAiGatewayRequestsAdaptiveGroupsFilter_InputObject!, $limit: uint64!) {
  viewer { accounts(filter: { accountTag: $accountTag }) {
    aiGatewayRequestsAdaptiveGroups(limit: $limit, filter: $filter, orderBy: [sum_cost_DESC]) {
      count sum { cost cachedTokensIn cachedTokensOut uncachedTokensIn uncachedTokensOut cachedRequests erroredRequests }
      dimensions { ${dimensions} }
    } } } }`;
const cases: { name: string; dimensions: string; from: number; budget?: boolean }[] = [
  // Not aligned to minutes or hours: the edges come from the requests, the rest from the rollups.
  { name: '--since 30d --by model', dimensions: 'model', from: start + 12_345, budget: true },
  { name: '--since 30d --by day --by model', dimensions: 'date model', from: start + 12_345, budget: true },
  {
    name: '--since 30d --by gateway --by provider',
    dimensions: 'gateway provider',
    from: start + 12_345,
    budget: true,
  },
  {
    name: '--since 7d --by hour',
    dimensions: 'datetimeHour',
    from: end - 7 * 86_400_000 + 4_321,
    budget: true,
  },
  {
    name: '--since 1d --by model --by minute',
    dimensions: 'model datetimeMinute',
    from: end - 86_400_000 + 999,
  },
  { name: '--since 30d --by metadata (per request)', dimensions: 'metadataRaw', from: start + 12_345 },
];
let over = false;
for (const c of cases) {
  const body = {
    query: query(c.dimensions),
    variables: {
      accountTag: 'local',
      limit: 10_000,
      filter: { datetime_geq: iso(c.from), datetime_leq: iso(end) },
    },
  };
  const times: number[] = [];
  let groups = 0;
  let requests = 0;
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    const reply = run(body);
    times.push(performance.now() - t);
    const data = reply.body.data as {
      viewer: { accounts: { aiGatewayRequestsAdaptiveGroups: { count: number }[] }[] };
    };
    if (reply.body.errors) throw new Error(JSON.stringify(reply.body.errors));
    const found = data.viewer.accounts[0]!.aiGatewayRequestsAdaptiveGroups;
    groups = found.length;
    requests = found.reduce((n, g) => n + g.count, 0);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)]!;
  if (c.budget && p50 > 200) over = true;
  console.log(
    `${c.name.padEnd(42)} p50 ${p50.toFixed(1).padStart(7)} ms  max ${times.at(-1)!.toFixed(1).padStart(7)} ms  ${groups} groups, ${requests.toLocaleString('en')} requests${c.budget ? '  (budget 200 ms)' : ''}`,
  );
}
store.close();
rmSync(dir, { recursive: true, force: true });
if (over) {
  console.log('over budget: a grouped sum took more than 200 ms');
  process.exitCode = 1;
}

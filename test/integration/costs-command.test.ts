// `aigw costs` run in this process against an in-memory local gateway (and against fake Cloudflare answers
// for what only Cloudflare says): the report in every format, the query it sends, and its errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costsQuery } from '../../src/client/analytics.js';
import type { LocalGateway } from '../../src/local/server.js';
import { insertLogs, postGraphql, type SeedRequest } from '../helpers/analytics.js';
import { runInProcess } from '../helpers/in-process.js';
import { apiBase, startTestGateway } from '../helpers/local-gateway.js';

const now = new Date('2026-03-10T12:00:00Z');
const at = (iso: string) => Date.parse(iso);
const requests: SeedRequest[] = [
  {
    accountId: 'local',
    gatewayId: 'prod',
    createdMs: at('2026-03-08T09:10:00Z'),
    provider: 'openai',
    model: 'gpt-4o-mini',
    tokensIn: 100,
    tokensOut: 50,
    cost: 0.000045,
  },
  {
    accountId: 'local',
    gatewayId: 'prod',
    createdMs: at('2026-03-08T09:20:00Z'),
    provider: 'openai',
    model: 'gpt-4o-mini',
    tokensIn: 100,
    tokensOut: 50,
    cost: 0.000045,
    cached: true,
  },
  {
    accountId: 'local',
    gatewayId: 'prod',
    createdMs: at('2026-03-09T23:30:00Z'),
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    tokensIn: 1000,
    tokensOut: 200,
    cost: 0.006,
  },
  {
    accountId: 'local',
    gatewayId: 'dev',
    createdMs: at('2026-03-10T08:00:00Z'),
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    tokensIn: 10,
    tokensOut: 2,
    cost: 0.00006,
  },
  {
    accountId: 'local',
    gatewayId: 'dev',
    createdMs: at('2026-03-10T08:05:00Z'),
    provider: 'openai',
    model: 'gpt-4o-mini',
    success: false,
  },
  // Outside the default 7 days.
  {
    accountId: 'local',
    gatewayId: 'prod',
    createdMs: at('2026-02-20T10:00:00Z'),
    provider: 'openai',
    model: 'gpt-4o',
    tokensIn: 5,
    tokensOut: 5,
    cost: 1,
  },
];

let gw: LocalGateway;
let dir: string;
const sent: { url: string; body: string }[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  sent.push({ url: request.url, body: await request.clone().text() });
  return fetch(request);
};

beforeAll(async () => {
  gw = await startTestGateway();
  insertLogs(gw, requests);
  dir = mkdtempSync(join(tmpdir(), 'aigw-costs-'));
});
afterAll(async () => {
  await gw.close();
  rmSync(dir, { recursive: true, force: true });
});

function aigw(argv: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) {
  return runInProcess(['--local', ...argv], {
    tty: options.tty === true,
    env: {
      AIGW_LOCAL_URL: apiBase(gw),
      AIGW_CONFIG_DIR: join(dir, 'config'),
      NO_COLOR: '1',
      TZ: 'UTC',
      ...options.env,
    },
    cwd: dir,
    fetch: recordingFetch,
    now: () => now,
  });
}

describe('the report', () => {
  it('--json: one row per model, most expensive first, and an exact total', async () => {
    const r = await aigw(['costs', '--by', 'model', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      since: '2026-03-03T12:00:00.000Z',
      until: '2026-03-10T12:00:00.000Z',
      timezone: 'UTC',
      gateways: null,
      by: ['model'],
    });
    expect(report.rows).toEqual([
      {
        model: 'claude-sonnet-4-5',
        requests: 2,
        tokensIn: 1010,
        tokensOut: 202,
        cachedRequests: 0,
        cachedShare: 0,
        errors: 0,
        cost: 0.00606,
      },
      {
        model: 'gpt-4o-mini',
        requests: 3,
        tokensIn: 200,
        tokensOut: 100,
        cachedRequests: 1,
        cachedShare: 1 / 3,
        errors: 1,
        cost: 0.00009,
      },
    ]);
    expect(report.total).toEqual({
      requests: 5,
      tokensIn: 1210,
      tokensOut: 302,
      cachedRequests: 1,
      cachedShare: 0.2,
      errors: 1,
      cost: 0.00615,
    });
  });

  it('sends the query costsQuery builds, and that text runs on the endpoint as it is', async () => {
    sent.length = 0;
    const r = await aigw(['costs', 'prod', 'dev', '--by', 'gateway', '--by', 'provider', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const graphql = sent.filter((s) => s.url.endsWith('/client/v4/graphql'));
    expect(graphql).toHaveLength(1);
    const body = JSON.parse(graphql[0]!.body);
    expect(body.query).toBe(costsQuery(['gateway', 'provider']));
    expect(body.variables).toEqual({
      accountTag: 'local',
      filter: {
        datetime_geq: '2026-03-03T12:00:00Z',
        datetime_lt: '2026-03-10T12:00:00Z',
        gateway_in: ['prod', 'dev'],
      },
      limit: 10_000,
    });
    const answer = await postGraphql(gw, body);
    expect(answer.body.errors).toBeNull();
    expect(
      JSON.parse(r.stdout).rows.map((row: Record<string, string>) => [row.gateway, row.provider]),
    ).toEqual([
      ['prod', 'anthropic'],
      ['prod', 'openai'],
      ['dev', 'anthropic'],
      ['dev', 'openai'],
    ]);
  });

  it('piped: tab-separated rows, no header, no total; --format csv has a header', async () => {
    const tsv = await aigw(['costs', '--by', 'provider']);
    expect(tsv.stdout).toBe(
      'anthropic\t2\t1010\t202\t0\t0\t0\t0.00606\nopenai\t3\t200\t100\t1\t0.3333333333333333\t1\t0.00009\n',
    );
    const csv = await aigw(['costs', '--by', 'provider', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe(
      'provider,requests,tokens_in,tokens_out,cached_requests,cached_share,errors,cost',
    );
  });

  it('--by day --by model splits the same totals over the days, in the time zone asked for', async () => {
    const byModel = JSON.parse((await aigw(['costs', '--json'])).stdout);
    const utc = JSON.parse((await aigw(['costs', '--by', 'day', '--by', 'model', '--json'])).stdout);
    expect(utc.total).toEqual(byModel.total);
    expect(utc.rows.map((r: Record<string, unknown>) => [r.day, r.model, r.requests])).toEqual([
      ['2026-03-08', 'gpt-4o-mini', 2],
      ['2026-03-09', 'claude-sonnet-4-5', 1],
      ['2026-03-10', 'claude-sonnet-4-5', 1],
      ['2026-03-10', 'gpt-4o-mini', 1],
    ]);
    // 23:30 UTC on the 9th is the 10th in Paris.
    const paris = JSON.parse(
      (await aigw(['costs', '--by', 'day', '--by', 'model', '--timezone', 'Europe/Paris', '--json'])).stdout,
    );
    expect(paris.rows.map((r: Record<string, unknown>) => [r.day, r.model, r.requests])).toEqual([
      ['2026-03-08', 'gpt-4o-mini', 2],
      ['2026-03-10', 'claude-sonnet-4-5', 2],
      ['2026-03-10', 'gpt-4o-mini', 1],
    ]);
    expect(paris.total).toEqual(byModel.total);
    expect(paris.series.buckets.map((b: { start: string }) => b.start)).toEqual([
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
      '2026-03-10',
    ]);
  });

  it('in a terminal: a table with a bar per row, a total row and, by day, a sparkline of the period', async () => {
    const r = await aigw(['costs', '--by', 'day', '--since', '2026-03-07'], { tty: true });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Costs, all gateways, 2026-03-07 00:00 to 2026-03-10 12:00 (UTC)');
    expect(lines[1]).toMatch(/^DAY\s+REQUESTS\s+TOKENS IN\s+TOKENS OUT\s+CACHED\s+ERRORS\s+COST\s+SHARE$/);
    expect(lines[2]).toMatch(/^2026-03-08\s+2\s+200\s+100\s+50%\s+0\s+\$0\.00009\s+▏\s+1%$/);
    expect(lines[3]).toMatch(/^2026-03-09\s+1\s+1,000\s+200\s+0%\s+0\s+\$0\.006\s+█{11}▊?\s+98%$/);
    expect(lines[5]).toMatch(/^Total\s+5\s+1,210\s+302\s+20%\s+1\s+\$0\.0062$/);
    expect(r.stdout).toContain('cost by day  ▁▂█▂  2026-03-07 … 2026-03-10');
  });

  it('says when nothing happened in the period, and exits 0', async () => {
    const piped = await aigw(['costs', '--since', '2026-01-01', '--until', '2026-01-02']);
    expect(piped).toMatchObject({ code: 0, stdout: '' });
    const tty = await aigw(['costs', '--since', '2026-01-01', '--until', '2026-01-02'], { tty: true });
    expect(tty.stdout).toBe('Costs, all gateways, 2026-01-01 00:00 to 2026-01-02 00:00 (UTC)\n');
    // The hint keeps the options that chose the local gateway.
    expect(tty.stderr).toBe('No requests in this period. A longer one: aigw --local costs --since 30d\n');
  });
});

describe('bad input is a usage error (exit 2), sent nowhere', () => {
  it.each([
    [['--by', 'color'], '--by must be one of model, provider, gateway, day, hour, not "color".'],
    [['--by', 'model', '--by', 'model'], '--by names the same grouping twice.'],
    [['--since', 'yesterday'], '--since: "yesterday" is not a time'],
    [['--since', '1d', '--until', '2d'], 'must come before --until'],
    [['--timezone', 'Mars/Olympus'], '--timezone: "Mars/Olympus" is not a time zone'],
    [['--format', 'xml'], '--format must be one of table, tsv, csv, json, not "xml".'],
    [['Not_A_Gateway!'], 'Invalid gateway id'],
  ])('%j', async (args, message) => {
    sent.length = 0;
    const r = await aigw(['costs', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(sent.filter((s) => s.url.endsWith('/graphql'))).toEqual([]);
  });
});

describe('against Cloudflare', () => {
  const env = {
    CLOUDFLARE_API_TOKEN: 'cf-token',
    CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef',
    AIGW_CONFIG_DIR: '',
    NO_COLOR: '1',
  };
  const answering =
    (status: number, body: unknown): typeof fetch =>
    async () =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const run = (fetchImpl: typeof fetch, extra: string[] = []) =>
    runInProcess(['costs', ...extra], {
      env: { ...env, AIGW_CONFIG_DIR: join(dir, 'remote-config') },
      cwd: dir,
      fetch: fetchImpl,
      now: () => now,
    });

  it('a 403 says in one line that the token needs "Account Analytics Read" (exit 4)', async () => {
    const r = await run(
      answering(403, { success: false, errors: [{ code: 10000, message: 'Authentication error' }] }),
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      'Error: Cloudflare refused the analytics query: the token (CLOUDFLARE_API_TOKEN) needs the "Account Analytics Read" permission.\n',
    );
  });

  it('so does an authorization error inside a GraphQL answer', async () => {
    const r = await run(
      answering(200, {
        data: null,
        errors: [
          {
            message: 'not authorized for that account',
            path: ['viewer', 'accounts', '0'],
            extensions: { code: 'authz' },
          },
        ],
      }),
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('"Account Analytics Read"');
  });

  it('other GraphQL errors are API errors (exit 1) with their message; --debug traces the request', async () => {
    const r = await run(
      answering(200, { data: null, errors: [{ message: 'cannot request data older than 2678400s' }] }),
      ['--debug'],
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error: The analytics API refused the query: cannot request data older than 2678400s',
    );
    expect(r.stderr).toMatch(/\[debug\] → POST https:\/\/api\.cloudflare\.com\/client\/v4\/graphql/);
    expect(r.stderr).not.toContain('cf-token');
  });
});

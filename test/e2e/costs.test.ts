// `aigw --local costs` as a user runs it: the built bin against `aigw proxy --mock`, after traffic across two
// models of each of two providers, two gateways, cache hits and errors. Its sums equal, to the last digit, the
// sums over `aigw --local logs export`, and --by day --by model splits the same totals.
// Needs `npm run build` first (npm test does it).
// The traffic is made once, before the tests, which only read it; a test that sends more does so in an account
// of its own.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGatewayOn, sandboxWithProxy } from '../helpers/run-cli.js';

const cli = sandboxWithProxy(['--in-memory', '--mock']);

function aigw(args: string[], accountId = 'local') {
  return cli.run(['--local', ...args], {
    env: {
      AIGW_LOCAL_URL: cli.proxy.apiUrl,
      ...(accountId === 'local' ? {} : { CLOUDFLARE_ACCOUNT_ID: accountId }),
    },
  });
}

interface Call {
  gateway: string;
  provider: 'openai' | 'anthropic';
  model: string;
  prompt: string;
  headers?: Record<string, string>;
}

const calls: Call[] = [
  { gateway: 'chat', provider: 'openai', model: 'gpt-4o-mini', prompt: 'one' },
  { gateway: 'chat', provider: 'openai', model: 'gpt-4o-mini', prompt: 'two, a longer question' },
  { gateway: 'chat', provider: 'openai', model: 'gpt-4o-mini', prompt: 'one' }, // a cache hit
  { gateway: 'chat', provider: 'openai', model: 'gpt-4o', prompt: 'three' },
  { gateway: 'chat', provider: 'anthropic', model: 'claude-sonnet-4-5', prompt: 'four' },
  { gateway: 'batch', provider: 'anthropic', model: 'claude-sonnet-4-5', prompt: 'five' },
  { gateway: 'batch', provider: 'anthropic', model: 'claude-haiku-4-5', prompt: 'six' },
  { gateway: 'batch', provider: 'anthropic', model: 'claude-haiku-4-5', prompt: 'six' }, // a cache hit
  {
    gateway: 'batch',
    provider: 'openai',
    model: 'gpt-4o',
    prompt: 'seven',
    headers: { 'x-mock-status': '500' },
  },
  {
    gateway: 'batch',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    prompt: 'eight',
    headers: { 'x-mock-status': '529' },
  },
];

async function send(call: Call, accountId = 'local'): Promise<number> {
  const base = `${cli.proxy.url}/v1/${accountId}/${call.gateway}/${call.provider}`;
  const messages = [{ role: 'user', content: call.prompt }];
  const response =
    call.provider === 'openai'
      ? await fetch(`${base}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', ...call.headers },
          body: JSON.stringify({ model: call.model, messages }),
        })
      : await fetch(`${base}/v1/messages`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-api-key': 'sk-test',
            'anthropic-version': '2023-06-01',
            ...call.headers,
          },
          body: JSON.stringify({ model: call.model, max_tokens: 100, messages }),
        });
  await response.arrayBuffer();
  return response.status;
}

interface Log {
  model: string;
  tokens_in: number | null;
  tokens_out: number | null;
  cost: number | null;
  cached: boolean;
  success: boolean;
}

/** Every stored log of a gateway, as `aigw logs export` writes them (JSON Lines). */
async function logsOf(gateway: string, accountId = 'local'): Promise<Log[]> {
  const result = await aigw(['logs', 'export', gateway], accountId);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Log);
}

type Row = {
  model?: string;
  day?: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cachedRequests: number;
  errors: number;
  cost: number;
};

beforeAll(async () => {
  for (const gateway of ['chat', 'batch']) {
    const created = await aigw(['gateway', 'create', gateway, '--cache-ttl', '1h']);
    expect(created.code, created.stderr).toBe(0);
  }
  const statuses = [];
  for (const call of calls) statuses.push(await send(call));
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 500, 529]);
  // Logs are written in batches a moment after the answers: wait until every request is counted.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const total = JSON.parse((await aigw(['costs', '--json'])).stdout).total.requests;
    if (total === calls.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
});

describe('aigw --local costs', () => {
  it('--by model --json equals the sums over aigw logs export, to the last digit', async () => {
    const result = await aigw(['costs', '--by', 'model', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { rows: Row[]; total: Row };
    const logs = [...(await logsOf('chat')), ...(await logsOf('batch'))];
    expect(logs).toHaveLength(calls.length);
    const expected = new Map<string, Row & { picos: number }>();
    for (const log of logs) {
      const row = expected.get(log.model) ?? {
        model: log.model,
        requests: 0,
        tokensIn: 0,
        tokensOut: 0,
        cachedRequests: 0,
        errors: 0,
        cost: 0,
        picos: 0,
      };
      row.requests++;
      row.tokensIn += log.tokens_in ?? 0;
      row.tokensOut += log.tokens_out ?? 0;
      row.cachedRequests += log.cached ? 1 : 0;
      row.errors += log.success ? 0 : 1;
      // Summed in whole picodollars, as the analytics store them: exact, whatever the order.
      row.picos += Math.round((log.cost ?? 0) * 1e12);
      expected.set(log.model, row);
    }
    const got = new Map(report.rows.map((r) => [r.model!, r]));
    expect([...got.keys()].sort()).toEqual([
      'claude-haiku-4-5',
      'claude-sonnet-4-5',
      'gpt-4o',
      'gpt-4o-mini',
    ]);
    for (const [model, want] of expected) {
      const row = got.get(model)!;
      expect(row, model).toMatchObject({
        requests: want.requests,
        tokensIn: want.tokensIn,
        tokensOut: want.tokensOut,
        cachedRequests: want.cachedRequests,
        errors: want.errors,
      });
      expect(row.cost, model).toBe(want.picos / 1e12);
      expect(String(row.cost)).toBe(String(want.picos / 1e12));
    }
    expect(report.total.requests).toBe(calls.length);
    expect(report.total.errors).toBe(2);
    expect(report.total.cachedRequests).toBe(2);
    expect(report.total.cost).toBe([...expected.values()].reduce((s, r) => s + r.picos, 0) / 1e12);
    expect(report.total.cost).toBeGreaterThan(0);
  });

  it('--by day --by model splits the same totals', async () => {
    const byModel = JSON.parse((await aigw(['costs', '--by', 'model', '--json'])).stdout) as {
      rows: Row[];
      total: Row;
    };
    const split = JSON.parse((await aigw(['costs', '--by', 'day', '--by', 'model', '--json'])).stdout) as {
      rows: Row[];
      total: Row;
      series: { unit: string; buckets: { start: string; cost: number }[] };
    };
    expect(split.total).toEqual(byModel.total);
    for (const row of byModel.rows) {
      const parts = split.rows.filter((r) => r.model === row.model);
      expect(parts.length).toBeGreaterThan(0);
      expect(parts.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.day!))).toBe(true);
      expect(parts.reduce((n, p) => n + p.requests, 0)).toBe(row.requests);
      expect(parts.reduce((n, p) => n + Math.round(p.cost * 1e12), 0)).toBe(Math.round(row.cost * 1e12));
    }
    expect(split.series.unit).toBe('day');
    expect(split.series.buckets).toHaveLength(8);
  });

  it('piped output is tab-separated, one line per group', async () => {
    const result = await aigw(['costs', 'batch', '--by', 'provider']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(lines.map((l) => [l[0], l[1]])).toEqual([
      ['anthropic', '4'],
      ['openai', '1'],
    ]);
  });

  it('counts a request whose log is not kept, as Cloudflare does, though the logs do not show it', async () => {
    const account = randomBytes(16).toString('hex');
    await createGatewayOn(cli.proxy, 'chat', { cache_ttl: 3600 }, account);
    const before = JSON.parse((await aigw(['costs', '--json'], account)).stdout).total.requests as number;
    const status = await send(
      {
        gateway: 'chat',
        provider: 'openai',
        model: 'gpt-4o-mini',
        prompt: 'not logged',
        headers: { 'cf-aig-collect-log': 'false' },
      },
      account,
    );
    expect(status).toBe(200);
    const deadline = Date.now() + 10_000;
    let after = before;
    while (after === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      after = JSON.parse((await aigw(['costs', '--json'], account)).stdout).total.requests;
    }
    expect(after).toBe(before + 1);
    expect(await logsOf('chat', account)).toHaveLength(0);
  });
});

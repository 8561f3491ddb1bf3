// What every log filter key and operator of the logs API means, checked against logs the data plane wrote for
// real requests (a fake upstream answering), through the cloudflare SDK with `filters` sent as Cloudflare
// reads it: one query parameter holding the JSON array. Every exchange is checked against the contract.
import type Cloudflare from 'cloudflare';
import type { LogListParams, LogListResponse } from 'cloudflare/resources/ai-gateway/logs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { filterKeys, filterOperators, type LogFilter } from '../../src/log-filters.js';
import { apiError, requiredGatewaySettings, startCheckedApi } from '../helpers/control-plane.js';
import { ACCOUNT, type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstream.js';
import { filtersParam, type Sent, sendTraffic } from '../helpers/log-traffic.js';
import { type ContractRecorder, validateResponse } from '../helpers/openapi.js';

let fake: FakeUpstream;
let gw: LocalGateway;
let cf: Cloudflare;
let recorder: ContractRecorder;
const account_id = ACCOUNT;
const gateway = 'filtered';

/** A log as the list shows it, with what its request carried. */
interface Known {
  name: string;
  item: LogListResponse;
  sent: Sent;
}
let logs: Known[];
const log = (name: string) => logs.find((k) => k.name === name)!;

beforeAll(async () => {
  fake = await startFakeUpstream();
  ({ gw, recorder, cf } = await startCheckedApi({
    upstreams: { openai: `${fake.url}/v1`, anthropic: fake.url },
  }));
  await cf.aiGateway.create({ account_id, id: gateway, ...requiredGatewaySettings });
  const sent = await sendTraffic(gw, fake, gateway, 'test-token');
  await cf.aiGateway.logs.edit(sent.chat!.logId, { account_id, gateway_id: gateway, feedback: 1 });
  await cf.aiGateway.logs.edit(sent.claude!.logId, {
    account_id,
    gateway_id: gateway,
    feedback: -1 as 0,
  });
  const items = (await cf.aiGateway.logs.list(gateway, { account_id, per_page: 50 })).result;
  logs = Object.values(sent).map((s) => ({
    name: s.name,
    sent: s,
    item: items.find((i) => i.id === s.logId)!,
  }));
  expect(logs.every((k) => k.item)).toBe(true);
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
afterEach(() => recorder.assertClean());

async function matching(params: Omit<LogListParams, 'account_id'>): Promise<string[]> {
  const page = await cf.aiGateway.logs.list(gateway, { account_id, per_page: 50, ...params });
  expect((page.result_info as { total_count?: number }).total_count).toBe(page.result.length);
  return page.result.map((item) => logs.find((k) => k.item.id === item.id)!.name).sort();
}

const filtered = (filters: LogFilter[]) => matching({ filters: filtersParam(filters) });
const where = (test: (k: Known) => boolean) =>
  logs
    .filter(test)
    .map((k) => k.name)
    .sort();
const tokens = (i: LogListResponse) =>
  i.tokens_in === null && i.tokens_out === null ? null : (i.tokens_in ?? 0) + (i.tokens_out ?? 0);
const meta = (k: Known) => k.sent.metadata ?? {};
const feedback = (k: Known) => ({ chat: 1, claude: -1 })[k.name] ?? 0;

type Case = [LogFilter['operator'], LogFilter['value'], (k: Known) => boolean];

/** Every key with every operator it takes; `trivial` keys match all logs or none by design. */
function cases(): Record<string, { cases: Case[]; trivial?: boolean }> {
  const at = (name: string) => Date.parse(log(name).item.created_at);
  const time = (k: Known) => Date.parse(k.item.created_at);
  const id = (name: string) => log(name).item.id;
  const slowDuration = log('slow').item.duration;
  return {
    id: {
      cases: [
        ['eq', [id('chat')], (k) => k.name === 'chat'],
        ['neq', [id('chat')], (k) => k.name !== 'chat'],
        ['contains', [id('chat').slice(-12).toLowerCase()], (k) => k.name === 'chat'],
        ['lt', [id('fail')], (k) => k.item.id < id('fail')],
        ['gt', [id('fail')], (k) => k.item.id > id('fail')],
      ],
    },
    created_at: {
      cases: [
        ['eq', [log('claude').item.created_at], (k) => time(k) === at('claude')],
        ['neq', [log('claude').item.created_at], (k) => time(k) !== at('claude')],
        ['lt', [log('claude').item.created_at], (k) => time(k) < at('claude')],
        ['gt', [log('claude').item.created_at], (k) => time(k) > at('claude')],
      ],
    },
    request_content_type: {
      cases: [
        ['eq', ['application/json'], (k) => k.name !== 'claude'],
        ['neq', ['application/json'], (k) => k.name === 'claude'],
        ['contains', ['CHARSET'], (k) => k.name === 'claude'],
      ],
    },
    response_content_type: {
      cases: [
        ['eq', ['text/event-stream'], (k) => k.name === 'stream'],
        ['neq', ['text/event-stream'], (k) => k.name !== 'stream'],
        ['contains', ['event'], (k) => k.name === 'stream'],
      ],
    },
    request_type: {
      cases: [
        ['eq', ['universal'], (k) => k.name === 'universal'],
        ['eq', [null], (k) => k.name !== 'universal'],
        ['neq', ['universal'], (k) => k.name !== 'universal'],
        ['contains', ['univ'], (k) => k.name === 'universal'],
      ],
    },
    success: {
      cases: [
        ['eq', [false], (k) => k.name === 'fail'],
        ['eq', ['true'], (k) => k.name !== 'fail'],
        ['neq', [true], (k) => k.name === 'fail'],
      ],
    },
    cached: {
      cases: [
        ['eq', [true], (k) => k.name === 'hit'],
        ['neq', [true], (k) => k.name !== 'hit'],
      ],
    },
    provider: {
      cases: [
        ['eq', ['anthropic'], (k) => k.name === 'claude'],
        ['neq', ['openai'], (k) => k.name === 'claude'],
        ['contains', ['ANTH'], (k) => k.name === 'claude'],
      ],
    },
    model: {
      cases: [
        ['eq', ['gpt-4o', 'claude-sonnet-4-5'], (k) => k.name === 'compat' || k.name === 'claude'],
        ['neq', ['gpt-4o-mini'], (k) => k.item.model !== 'gpt-4o-mini'],
        ['contains', ['sonnet'], (k) => k.name === 'claude'],
      ],
    },
    model_type: {
      trivial: true,
      cases: [
        ['eq', [null], () => true],
        ['eq', ['chat'], () => false],
        ['neq', ['chat'], () => true],
        ['contains', ['chat'], () => false],
      ],
    },
    cost: {
      cases: [
        ['eq', [0.5], (k) => k.name === 'custom'],
        ['eq', [null], (k) => k.item.cost === undefined],
        ['neq', [0.5], (k) => k.name !== 'custom'],
        ['gt', [0.1], (k) => k.name === 'custom'],
        ['lt', ['0.1'], (k) => k.item.cost !== undefined && k.item.cost < 0.1],
      ],
    },
    tokens: {
      cases: [
        ['eq', [18], (k) => tokens(k.item) === 18],
        ['neq', [18], (k) => tokens(k.item) !== 18],
        ['gt', [250], (k) => k.name === 'slow'],
        ['lt', [20], (k) => tokens(k.item) !== null && tokens(k.item)! < 20],
      ],
    },
    tokens_in: {
      cases: [
        ['eq', [12], (k) => k.name === 'claude'],
        ['neq', [12], (k) => k.name !== 'claude'],
        ['gt', [50], (k) => k.name === 'slow'],
        ['lt', [10], (k) => k.item.tokens_in !== null && k.item.tokens_in < 10],
      ],
    },
    tokens_out: {
      cases: [
        ['eq', [200], (k) => k.name === 'slow'],
        ['neq', [200], (k) => k.name !== 'slow'],
        ['gt', [100], (k) => k.name === 'slow'],
        ['lt', [5], (k) => k.item.tokens_out !== null && k.item.tokens_out < 5],
      ],
    },
    duration: {
      cases: [
        ['eq', [slowDuration], (k) => k.item.duration === slowDuration],
        ['neq', [slowDuration], (k) => k.item.duration !== slowDuration],
        // Read from the logs: on a busy machine any request may take long; the slow one (150 ms) always does.
        ['gt', [140], (k) => k.item.duration > 140],
        ['lt', [140], (k) => k.item.duration < 140],
      ],
    },
    feedback: {
      cases: [
        ['eq', [1], (k) => k.name === 'chat'],
        ['eq', [-1, 1], (k) => k.name === 'chat' || k.name === 'claude'],
        ['eq', [0], (k) => feedback(k) === 0],
        ['neq', [0], (k) => feedback(k) !== 0],
        ['gt', [0], (k) => k.name === 'chat'],
        ['lt', [0], (k) => k.name === 'claude'],
      ],
    },
    event_id: {
      cases: [
        ['eq', ['ev-1'], (k) => k.name === 'chat'],
        ['eq', [null], (k) => k.sent.eventId === null],
        ['neq', ['ev-1'], (k) => k.name !== 'chat'],
        ['contains', ['ev-'], (k) => k.name === 'chat' || k.name === 'fail'],
      ],
    },
    'metadata.key': {
      cases: [
        ['eq', ['team'], (k) => 'team' in meta(k)],
        ['neq', ['team'], (k) => !('team' in meta(k))],
        ['contains', ['VI'], (k) => k.name === 'claude'],
      ],
    },
    'metadata.value': {
      cases: [
        ['eq', ['u2'], (k) => meta(k).user === 'u2'],
        ['eq', [true], (k) => k.name === 'claude'],
        ['eq', [5], (k) => k.name === 'chat'],
        ['neq', ['u2'], (k) => meta(k).user !== 'u2'],
        ['contains', ['re'], (k) => k.name === 'chat'],
        ['lt', [10], (k) => k.name === 'chat'],
        ['gt', ['10'], (k) => k.name === 'claude'],
      ],
    },
    authentication: {
      cases: [
        ['eq', [true], (k) => k.name === 'authed'],
        ['neq', [true], (k) => k.name !== 'authed'],
      ],
    },
    wholesale: {
      trivial: true,
      cases: [
        ['eq', [true], () => false],
        ['neq', [true], () => true],
      ],
    },
    compatibilityMode: {
      cases: [
        ['eq', [true], (k) => k.name === 'compat'],
        ['neq', [true], (k) => k.name !== 'compat'],
      ],
    },
    dlp_action: {
      trivial: true,
      cases: [
        ['eq', ['FLAG'], () => false],
        ['eq', [null], () => true],
        ['neq', ['BLOCK'], () => true],
        ['contains', ['FL'], () => false],
      ],
    },
    user_agent: {
      cases: [
        ['eq', ['beta-client/2.0'], (k) => k.name === 'claude'],
        ['neq', ['gamma-client/3.0'], (k) => k.sent.userAgent !== 'gamma-client/3.0'],
        ['contains', ['alpha'], (k) => k.name === 'chat' || k.name === 'warm'],
      ],
    },
  };
}

describe('filters', () => {
  it('cover every key and every operator the contract lists', async () => {
    const table = cases();
    expect(Object.keys(table).sort()).toEqual([...filterKeys].sort());
    const used = new Set(Object.values(table).flatMap((t) => t.cases.map(([operator]) => operator)));
    expect([...used].sort()).toEqual([...filterOperators].sort());
  });

  it.each(filterKeys)('%s', async (key) => {
    const entry = cases()[key]!;
    for (const [operator, value, test] of entry.cases) {
      const expected = where(test);
      if (!entry.trivial) {
        // A case that matched every log or none could not tell a working filter from an ignored one.
        expect(expected.length, `${key} ${operator} ${JSON.stringify(value)}`).toBeGreaterThan(0);
        expect(expected.length, `${key} ${operator} ${JSON.stringify(value)}`).toBeLessThan(logs.length);
      }
      expect(
        await filtered([{ key, operator, value }]),
        `${key} ${operator} ${JSON.stringify(value)}`,
      ).toEqual(expected);
    }
  });

  it('ANDs filters, and holds a metadata key and value to one entry, pairing them in order', async () => {
    expect(
      await filtered([
        { key: 'provider', operator: 'eq', value: ['openai'] },
        { key: 'success', operator: 'eq', value: [false] },
      ]),
    ).toEqual(['fail']);
    const pair = (k: string, v: string | number | boolean): LogFilter[] => [
      { key: 'metadata.key', operator: 'eq', value: [k] },
      { key: 'metadata.value', operator: 'eq', value: [v] },
    ];
    expect(await filtered(pair('team', 'red'))).toEqual(['chat']);
    expect(await filtered(pair('user', 'red'))).toEqual([]);
    expect(await filtered(pair('user', 'u2'))).toEqual(['claude', 'fail']);
    expect(await filtered([...pair('user', 'u2'), ...pair('team', 'blue')])).toEqual(['claude']);
    expect(await filtered([...pair('user', 'u2'), ...pair('team', 'red')])).toEqual([]);
  });

  it('answers 400 (7001) with the path of what is wrong', async () => {
    const bad: [string, string[]][] = [
      ['not json', ['query', 'filters']],
      ['{"key":"provider"}', ['query', 'filters']],
      ['[{"key":"colour","operator":"eq","value":["red"]}]', ['query', 'filters', '0', 'key']],
      ['[{"key":"provider","operator":"like","value":["x"]}]', ['query', 'filters', '0', 'operator']],
      ['[{"key":"provider","operator":"eq"}]', ['query', 'filters', '0', 'value']],
      ['[{"key":"provider","operator":"eq","value":[["x"]]}]', ['query', 'filters', '0', 'value', '0']],
      ['[{"key":"provider","operator":"eq","value":[]}]', ['query', 'filters', '0', 'value']],
      ['[{"key":"cost","operator":"contains","value":["1"]}]', ['query', 'filters', '0', 'operator']],
      ['[{"key":"success","operator":"lt","value":[true]}]', ['query', 'filters', '0', 'operator']],
      ['[{"key":"cost","operator":"gt","value":["cheap"]}]', ['query', 'filters', '0', 'value', '0']],
      ['[{"key":"cost","operator":"gt","value":[1,2]}]', ['query', 'filters', '0', 'value']],
      [
        '[{"key":"created_at","operator":"gt","value":["yesterday"]}]',
        ['query', 'filters', '0', 'value', '0'],
      ],
      ['[{"key":"success","operator":"eq","value":["maybe"]}]', ['query', 'filters', '0', 'value', '0']],
      ['[{"key":"model","operator":"eq","value":[true]}]', ['query', 'filters', '0', 'value', '0']],
      [
        '[{"key":"model","operator":"eq","value":["m"]},{"key":"cost","operator":"lt","value":[null]}]',
        ['query', 'filters', '1', 'value', '0'],
      ],
    ];
    for (const [text, path] of bad) {
      const err = await apiError(
        cf.aiGateway.logs.list(gateway, { account_id, filters: text as unknown as LogListParams['filters'] }),
      );
      expect(err.status, text).toBe(400);
      expect(err.errors, text).toEqual([expect.objectContaining({ code: 7001, path })]);
      expect(err.errors[0]!.message, text).not.toBe('');
    }
  });

  it('ignores the SDK’s bracketed filters, as Cloudflare does', async () => {
    const res = await fetch(
      `${gw.url}/client/v4/accounts/${account_id}/ai-gateway/gateways/${gateway}/logs?per_page=50&filters.key=provider&filters.operator=eq&filters.value=anthropic`,
      { headers: { authorization: 'Bearer test-token' } },
    );
    const body = (await res.json()) as { result: unknown[] };
    validateResponse('GET', `/accounts/${account_id}/ai-gateway/gateways/${gateway}/logs`, res.status, body);
    expect(body.result).toHaveLength(logs.length);
  });
});

describe('deprecated flat parameters', () => {
  it('mean the same as their filters, bounds inclusive', async () => {
    const created = (name: string) => log(name).item.created_at;
    const time = (k: Known) => Date.parse(k.item.created_at);
    const checks: [Omit<LogListParams, 'account_id'>, (k: Known) => boolean][] = [
      [{ start_date: created('claude') }, (k) => time(k) >= Date.parse(created('claude'))],
      [{ end_date: created('claude') }, (k) => time(k) <= Date.parse(created('claude'))],
      [{ min_cost: 0.5 }, (k) => k.name === 'custom'],
      [{ max_cost: 0.1 }, (k) => k.item.cost !== undefined && k.item.cost <= 0.1],
      [{ min_tokens_in: 100 }, (k) => k.name === 'slow'],
      [{ max_tokens_in: 8 }, (k) => k.item.tokens_in !== null && k.item.tokens_in <= 8],
      [{ min_tokens_out: 200 }, (k) => k.name === 'slow'],
      [{ max_tokens_out: 6 }, (k) => k.item.tokens_out !== null && k.item.tokens_out <= 6],
      [{ min_total_tokens: 300 }, (k) => k.name === 'slow'],
      [{ max_total_tokens: 18 }, (k) => tokens(k.item) !== null && tokens(k.item)! <= 18],
      [{ min_duration: 140 }, (k) => k.item.duration >= 140],
      [{ max_duration: 140 }, (k) => k.item.duration <= 140],
      [{ feedback: 1 }, (k) => k.name === 'chat'],
      [{ success: false }, (k) => k.name === 'fail'],
      [{ cached: true }, (k) => k.name === 'hit'],
      [{ model: 'gpt-4o' }, (k) => k.name === 'compat'],
      [{ model_type: 'chat' }, () => false],
      [{ provider: 'anthropic' }, (k) => k.name === 'claude'],
      [{ request_content_type: 'application/json; charset=utf-8' }, (k) => k.name === 'claude'],
      [{ response_content_type: 'text/event-stream' }, (k) => k.name === 'stream'],
      [
        { provider: 'openai', success: true, cached: false },
        (k) => !['claude', 'fail', 'hit'].includes(k.name),
      ],
    ];
    for (const [params, test] of checks)
      expect(await matching(params), JSON.stringify(params)).toEqual(where(test));
    const asc = await cf.aiGateway.logs.list(gateway, { account_id, per_page: 50, direction: 'asc' });
    const times = asc.result.map((i) => Date.parse(i.created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('answer 400 (7001) naming the parameter when a value is not of its type', async () => {
    const bad: [Omit<LogListParams, 'account_id'>, string][] = [
      [{ start_date: 'last week' }, 'start_date'],
      [{ min_cost: 'lots' as unknown as number }, 'min_cost'],
      [{ success: 'yes' as unknown as boolean }, 'success'],
      [{ feedback: 2 as 1 }, 'feedback'],
      [{ direction: 'up' as 'asc' }, 'direction'],
      [{ meta_info: 'please' as unknown as boolean }, 'meta_info'],
    ];
    for (const [params, name] of bad) {
      const err = await apiError(cf.aiGateway.logs.list(gateway, { account_id, ...params }));
      expect(err.errors, name).toEqual([expect.objectContaining({ code: 7001, path: ['query', name] })]);
    }
  });
});

// The logs management API of the local gateway (list, get, bodies, feedback, delete), driven by the official
// cloudflare SDK over logs the data plane wrote for real requests; every exchange is checked against the
// contract.
import type Cloudflare from 'cloudflare';
import type { LogListResponse } from 'cloudflare/resources/ai-gateway/logs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { apiError, requiredGatewaySettings, startCheckedApi } from '../helpers/control-plane.js';
import { ACCOUNT, type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstream.js';
import { filtersParam, type Sent, sendTraffic } from '../helpers/log-traffic.js';
import type { ContractRecorder } from '../helpers/openapi.js';

let fake: FakeUpstream;
let gw: LocalGateway;
let cf: Cloudflare;
let recorder: ContractRecorder;
let sent: Record<string, Sent>;
/** Every log of the traffic as the list shows it, newest first. */
let all: LogListResponse[];
const account_id = ACCOUNT;
const gateway = 'traffic';

beforeAll(async () => {
  fake = await startFakeUpstream();
  ({ gw, recorder, cf } = await startCheckedApi({
    upstreams: { openai: `${fake.url}/v1`, anthropic: fake.url },
  }));
  await cf.aiGateway.create({ account_id, id: gateway, ...requiredGatewaySettings });
  await cf.aiGateway.create({ account_id, id: 'other', ...requiredGatewaySettings });
  sent = await sendTraffic(gw, fake, gateway, 'test-token');
  all = (await cf.aiGateway.logs.list(gateway, { account_id, per_page: 50 })).result;
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
afterEach(() => recorder.assertClean());

const names = (items: { id: string }[]) =>
  items.map((item) => Object.values(sent).find((s) => s.logId === item.id)?.name ?? item.id);

describe('list', () => {
  it('lists every log of the gateway, newest first, in the contract envelope with result_info', async () => {
    const page = await cf.aiGateway.logs.list(gateway, { account_id, per_page: 50 });
    expect(names(page.result)).toEqual(Object.keys(sent).reverse());
    expect(page.result_info).toEqual({ page: 1, per_page: 50, count: 11, total_count: 11 });
    const chat = page.result.find((item) => item.id === sent.chat!.logId)!;
    expect(chat).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      path: 'chat/completions',
      success: true,
      cached: false,
      tokens_in: 11,
      tokens_out: 7,
      status_code: 200,
      request_content_type: 'application/json',
      response_content_type: 'application/json',
      custom_cost: false,
      metadata: JSON.stringify({ user: 'u1', team: 'red', n: 5 }),
      event_id: 'ev-1',
    });
    expect(chat.cost).toBeGreaterThan(0);
    expect(Date.parse(chat.created_at)).not.toBeNaN();
  });

  it('pages with page and per_page (at most 50), and counts the pages it does not show', async () => {
    const first = await cf.aiGateway.logs.list(gateway, { account_id, per_page: 4 });
    const third = await cf.aiGateway.logs.list(gateway, { account_id, per_page: 4, page: 3 });
    expect(first.result_info).toEqual({ page: 1, per_page: 4, count: 4, total_count: 11 });
    expect(third.result_info).toEqual({ page: 3, per_page: 4, count: 3, total_count: 11 });
    const walked: string[] = [];
    for await (const item of cf.aiGateway.logs.list(gateway, { account_id, per_page: 3 }))
      walked.push(item.id);
    expect(walked).toEqual(all.map((item) => item.id));
    for (const per_page of [0, 51]) {
      const err = await apiError(cf.aiGateway.logs.list(gateway, { account_id, per_page }));
      expect(err.status).toBe(400);
      expect(err.errors).toEqual([expect.objectContaining({ code: 7001, path: ['query', 'per_page'] })]);
    }
  });

  it('orders by the field and direction asked for (created_at desc by default)', async () => {
    const asc = await cf.aiGateway.logs.list(gateway, {
      account_id,
      per_page: 50,
      order_by_direction: 'asc',
    });
    expect(names(asc.result)).toEqual(Object.keys(sent));
    const byProvider = await cf.aiGateway.logs.list(gateway, {
      account_id,
      per_page: 50,
      order_by: 'provider',
      order_by_direction: 'asc',
    });
    const providers = byProvider.result.map((item) => item.provider);
    expect(providers).toEqual([...providers].sort());
    expect(providers[0]).toBe('anthropic');
    const byCached = await cf.aiGateway.logs.list(gateway, { account_id, per_page: 50, order_by: 'cached' });
    expect(names(byCached.result)[0]).toBe('hit');
    const err = await apiError(
      cf.aiGateway.logs.list(gateway, { account_id, order_by: 'cost' as 'provider' }),
    );
    expect(err.errors).toEqual([expect.objectContaining({ code: 7001, path: ['query', 'order_by'] })]);
  });

  it('adds min and max cost, duration and tokens to result_info with meta_info', async () => {
    const failed = filtersParam([{ key: 'success', operator: 'eq', value: [true] }]);
    const page = await cf.aiGateway.logs.list(gateway, {
      account_id,
      per_page: 50,
      meta_info: true,
      filters: failed,
    });
    const items = page.result;
    const of = (field: 'cost' | 'duration' | 'tokens_in' | 'tokens_out') =>
      items.map((item) => item[field]).filter((v): v is number => typeof v === 'number');
    const totals = items
      .filter((item) => item.tokens_in !== null || item.tokens_out !== null)
      .map((item) => (item.tokens_in ?? 0) + (item.tokens_out ?? 0));
    expect(page.result_info).toEqual({
      page: 1,
      per_page: 50,
      count: items.length,
      total_count: items.length,
      min_cost: Math.min(...of('cost')),
      max_cost: 0.5,
      min_duration: Math.min(...of('duration')),
      max_duration: Math.max(...of('duration')),
      min_tokens_in: Math.min(...of('tokens_in')),
      max_tokens_in: 100,
      min_tokens_out: Math.min(...of('tokens_out')),
      max_tokens_out: 200,
      min_total_tokens: Math.min(...totals),
      max_total_tokens: 300,
    });
  });

  it('searches the id, provider, model, path, event id and metadata', async () => {
    const search = async (text: string) =>
      names((await cf.aiGateway.logs.list(gateway, { account_id, per_page: 50, search: text })).result);
    expect(await search('u2')).toEqual(['claude', 'fail']);
    expect(await search('EV-1')).toEqual(['chat']);
    expect(await search('claude')).toEqual(['claude']);
    expect(await search(sent.slow!.logId.slice(-10))).toEqual(['slow']);
    expect(await search('100%')).toEqual([]);
  });

  it('answers 404 (7002) for a gateway that does not exist, and keeps gateways apart', async () => {
    const err = await apiError(cf.aiGateway.logs.list('missing', { account_id }));
    expect(err.status).toBe(404);
    expect(err.errors).toEqual([expect.objectContaining({ code: 7002 })]);
    const other = await cf.aiGateway.logs.list('other', { account_id });
    expect(other.result).toEqual([]);
    expect(other.result_info).toEqual({ page: 1, per_page: 20, count: 0, total_count: 0 });
  });
});

describe('get', () => {
  it('returns one log with its head fields', async () => {
    const log = await cf.aiGateway.logs.get(sent.claude!.logId, { account_id, gateway_id: gateway });
    expect(log).toMatchObject({
      id: sent.claude!.logId,
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      path: 'v1/messages',
      success: true,
      tokens_in: 12,
      tokens_out: 6,
      request_head_complete: true,
      response_head_complete: true,
    });
    expect(log.request_size).toBeGreaterThan(0);
    expect(JSON.parse(log.request_head!)).toMatchObject({ 'user-agent': 'beta-client/2.0' });
    expect(log.request_head).not.toContain('sk-test');
    expect(JSON.parse(log.response_head!)).toMatchObject({ 'content-type': 'application/json' });
  });

  it('answers 404 (7002) for an unknown id, and for a log of another gateway', async () => {
    for (const [id, gateway_id] of [
      ['01JC3R94FRD97JBCBX3S0ZAXKW', gateway],
      [sent.chat!.logId, 'other'],
    ] as const) {
      const err = await apiError(cf.aiGateway.logs.get(id, { account_id, gateway_id }));
      expect(err.status).toBe(404);
      expect(err.errors).toEqual([expect.objectContaining({ code: 7002 })]);
    }
  });
});

describe('request and response bodies', () => {
  const ids = (name: string) => ({ account_id, gateway_id: gateway, id: sent[name]!.logId });

  it('returns the bodies as they were sent and answered, without an envelope', async () => {
    const { id, ...params } = ids('chat');
    expect(await cf.aiGateway.logs.request(id, params)).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(await cf.aiGateway.logs.response(id, params)).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'hi' } }],
      usage: { prompt_tokens: 11, completion_tokens: 7 },
    });
  });

  it('returns a streamed answer as the events it was (the contract declares JSON bodies only)', async () => {
    const res = await fetch(
      `${gw.url}/client/v4/accounts/${account_id}/ai-gateway/gateways/${gateway}/logs/${sent.stream!.logId}/response`,
      { headers: { authorization: 'Bearer test-token' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    expect(text).toMatch(/^data: \{/);
    expect(text).toContain('"content":"Hel"');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('answers 404 (7002) when the log kept no body, and for an unknown log', async () => {
    // In a gateway of its own: `other` stays without logs.
    await cf.aiGateway.create({ account_id, id: 'bodiless', ...requiredGatewaySettings });
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [] });
    const res = await fetch(`${gw.url}/v1/${account_id}/bodiless/openai/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-aig-collect-log-payload': 'false' },
      body,
    });
    await res.arrayBuffer();
    const bare = res.headers.get('cf-aig-log-id')!;
    for (const [id, gateway_id] of [
      [bare, 'bodiless'],
      ['01JC3R94FRD97JBCBX3S0ZAXKW', gateway],
    ] as const) {
      for (const read of [cf.aiGateway.logs.request, cf.aiGateway.logs.response]) {
        const err = await apiError(read.call(cf.aiGateway.logs, id, { account_id, gateway_id }));
        expect(err.status).toBe(404);
        expect(err.errors).toEqual([expect.objectContaining({ code: 7002 })]);
      }
    }
    expect((await cf.aiGateway.logs.get(bare, { account_id, gateway_id: 'bodiless' })).request_size).toBe(
      Buffer.byteLength(body),
    );
  });
});

describe('feedback (PATCH)', () => {
  it('sets feedback, score and metadata; null clears a field; what is not named stays', async () => {
    // On the same traffic in a gateway of its own: the logs the other tests read keep their metadata.
    await cf.aiGateway.create({ account_id, id: 'rated', ...requiredGatewaySettings });
    const id = (await sendTraffic(gw, fake, 'rated', 'test-token')).fail!.logId;
    const params = { account_id, gateway_id: 'rated' };
    expect(
      await cf.aiGateway.logs.edit(id, { ...params, feedback: 1, score: 90, metadata: { reviewed: true } }),
    ).toEqual({});
    expect(await cf.aiGateway.logs.get(id, params)).toMatchObject({
      feedback: 1,
      score: 90,
      metadata: '{"reviewed":true}',
    });
    await cf.aiGateway.logs.edit(id, { ...params, feedback: null });
    const after = await cf.aiGateway.logs.get(id, params);
    expect(after).not.toHaveProperty('feedback');
    expect(after).toMatchObject({ score: 90, metadata: '{"reviewed":true}' });
    await cf.aiGateway.logs.edit(id, { ...params, metadata: null });
    expect(await cf.aiGateway.logs.get(id, params)).not.toHaveProperty('metadata');
  });

  it('answers 400 (7001) for values out of range, and 404 (7002) for an unknown log', async () => {
    const id = sent.fail!.logId;
    const bad: [Record<string, unknown>, string[]][] = [
      [{ feedback: 2 }, ['body', 'feedback']],
      [{ feedback: 0.5 }, ['body', 'feedback']],
      [{ score: 101 }, ['body', 'score']],
      [{ metadata: { nested: { no: 1 } } }, ['body', 'metadata', 'nested']],
    ];
    for (const [body, path] of bad) {
      const err = await apiError(cf.aiGateway.logs.edit(id, { account_id, gateway_id: gateway, ...body }));
      expect(err.status, JSON.stringify(body)).toBe(400);
      expect(err.errors, JSON.stringify(body)).toEqual([expect.objectContaining({ code: 7001, path })]);
    }
    const err = await apiError(
      cf.aiGateway.logs.edit('01JC3R94FRD97JBCBX3S0ZAXKW', { account_id, gateway_id: gateway, feedback: 1 }),
    );
    expect(err.status).toBe(404);
    expect(err.errors).toEqual([expect.objectContaining({ code: 7002 })]);
  });
});

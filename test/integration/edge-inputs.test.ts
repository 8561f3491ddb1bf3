// Inputs at the edges, refused as Cloudflare would refuse them: a page number past any integer, a CR/LF in a
// universal step's header, numbers in hex or exponent form in cf-aig-* headers, absurd custom costs, a gateway
// cache TTL past a month, compat messages that are not a list. Each is a 400, never a 500 or 502, and nothing
// reaches the provider.
import { describe, expect, it } from 'vitest';
import { ACCOUNT, openaiCompletion } from '../helpers/fake-upstream.js';
import { apiBase, dataPlaneFixture } from '../helpers/local-gateway.js';
import { validateResponse } from '../helpers/openapi.js';

const dp = dataPlaneFixture({ gateways: { gw: {} }, fallback: { json: openaiCompletion('fine') } });

const gatewaysPath = `/accounts/${ACCOUNT}/ai-gateway/gateways`;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${apiBase(dp.gw)}${path}`, {
    method,
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { errors: { code: number; message: string }[] };
  validateResponse(method, path.split('?')[0]!, res.status, json);
  return { status: res.status, json };
}

async function chat(headers: Record<string, string>, body: unknown = undefined) {
  const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body ?? { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, json: (await res.json()) as { error?: { code: number; message: string }[] } };
}

describe('edge inputs', () => {
  it('a page number past any integer is a 400 with 7001, not a 500', async () => {
    for (const page of ['99999999999999999999', '2147483648', '9007199254740993']) {
      const { status, json } = await api('GET', `${gatewaysPath}?page=${page}`);
      expect([page, status]).toEqual([page, 400]);
      expect(json.errors[0]).toMatchObject({ code: 7001, message: expect.stringContaining('"page"') });
    }
    const last = await api('GET', `${gatewaysPath}?page=2147483647`);
    expect(last.status).toBe(200);
  });

  it('a gateway cache_ttl past a month is a 400 with 7001', async () => {
    const base = {
      cache_invalidate_on_update: false,
      collect_logs: true,
      rate_limiting_interval: 0,
      rate_limiting_limit: 0,
    };
    for (const ttl of [1e300, 2_592_001]) {
      const { status, json } = await api('POST', gatewaysPath, { id: `ttl-${ttl}`, ...base, cache_ttl: ttl });
      expect([ttl, status]).toEqual([ttl, 400]);
      expect(json.errors[0]).toMatchObject({ code: 7001 });
    }
    const month = await api('POST', gatewaysPath, { id: 'ttl-month', ...base, cache_ttl: 2_592_000 });
    expect(month.status).toBe(200);
  });

  it('a CR/LF in a universal step header is a 400, and no step is sent', async () => {
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          provider: 'openai',
          endpoint: 'chat/completions',
          headers: { authorization: 'Bearer sk-x', 'x-note': 'a\r\nx-injected: 1' },
          query: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        },
      ]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: [{ code: 2000, message: expect.stringContaining('x-note') }],
    });
    expect(dp.fake.requests).toHaveLength(0);
  });

  it('cf-aig-* numbers take decimal digits only', async () => {
    for (const [name, value] of [
      ['cf-aig-request-timeout', '0x10'],
      ['cf-aig-request-timeout', '1e3'],
      ['cf-aig-max-attempts', '0b10'],
      ['cf-aig-retry-delay', '1.0'],
    ] as const) {
      const { status, json } = await chat({ [name]: value });
      expect([name, value, status]).toEqual([name, value, 400]);
      expect(json.error?.[0]?.message).toContain(name);
    }
    expect((await chat({ 'cf-aig-request-timeout': '5000' })).status).toBe(200);
    expect(dp.fake.requests).toHaveLength(1);
  });

  it('a custom cost out of any sensible range is refused', async () => {
    for (const cost of [
      '{"total_cost":1e308}',
      '{"per_token_in":1e308,"per_token_out":0}',
      '{"total_cost":1e7}',
    ]) {
      const { status, json } = await chat({ 'cf-aig-custom-cost': cost });
      expect([cost, status]).toEqual([cost, 400]);
      expect(json.error?.[0]?.message).toContain('cf-aig-custom-cost');
    }
    expect((await chat({ 'cf-aig-custom-cost': '{"total_cost":0.25}' })).status).toBe(200);
  });

  it('compat messages that are not a list of messages are a 400', async () => {
    for (const messages of ['hi', [1], null]) {
      const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/compat/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages }),
      });
      expect([messages, res.status]).toEqual([messages, 400]);
      expect(await res.json()).toMatchObject({
        error: [{ code: 2000, message: expect.stringContaining('messages') }],
      });
    }
    expect(dp.fake.requests).toHaveLength(0);
  });
});

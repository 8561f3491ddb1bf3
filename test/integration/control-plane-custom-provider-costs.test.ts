// Pricing rules of custom providers (/custom-providers/costs) on the local gateway's management API. The
// cloudflare SDK has no client for them, so they are called by fetch; every request and response is checked
// against Cloudflare's contract all the same.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { apiBase, startTestGateway } from '../helpers/local-gateway.js';
import { ContractRecorder, contractFetch } from '../helpers/openapi.js';

const account_id = '3ebbcb006d4d46d7bb6a8c7f14676cb0';
let clock = Date.parse('2026-03-01T12:00:00.000Z');
const tick = (ms = 1000) => {
  clock += ms;
};

let gw: LocalGateway;
let recorder: ContractRecorder;
let api: typeof fetch;
let acme: string;
let other: string;

const costsPath = (account = account_id) => `/accounts/${account}/ai-gateway/custom-providers/costs`;

// biome-ignore lint/suspicious/noExplicitAny: assertions read the envelope
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await api(`${apiBase(gw)}${path}`, {
    method,
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function createProvider(slug: string, account = account_id): Promise<string> {
  const { json } = await call('POST', `/accounts/${account}/ai-gateway/custom-providers`, {
    name: slug,
    slug,
    base_url: 'https://models.example',
  });
  return json.result.id;
}

async function createRule(body: Record<string, unknown>) {
  const { status, json } = await call('POST', costsPath(), body);
  expect(status).toBe(200);
  return json.result;
}

beforeAll(async () => {
  gw = await startTestGateway({ now: () => new Date(clock) });
  recorder = new ContractRecorder();
  api = contractFetch(recorder);
  acme = await createProvider('acme');
  other = await createProvider('other');
});
afterAll(() => gw.close());
afterEach(() => recorder.assertClean());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('create and get', () => {
  it('stores every field; token_pricing comes back as a string and the declared defaults are filled', async () => {
    const token_pricing = { input_tokens: 0.000001, output_tokens: 0.000004, input_cached_tokens: 5e-7 };
    const rule = await createRule({
      account_provider_id: acme,
      model: 'acme-large',
      cost_in: 1,
      cost_out: 4,
      enable: true,
      token_pricing,
    });
    const stamp = new Date(clock).toISOString();
    expect(rule).toEqual({
      id: expect.stringMatching(UUID),
      account_provider_id: acme,
      model: 'acme-large',
      model_rule: 'equals',
      cost_type: 'tokens',
      cost_in: 1,
      cost_out: 4,
      enable: true,
      token_pricing: expect.any(String),
      changed_by: 'manual',
      created_at: stamp,
      modified_at: stamp,
    });
    expect(JSON.parse(rule.token_pricing)).toEqual(token_pricing);
    expect((await call('GET', `${costsPath()}/${rule.id}`)).json.result).toEqual(rule);
  });

  it('refuses a rule for a provider the account does not have', async () => {
    const foreign = await createProvider('foreign', 'other-account');
    for (const id of [foreign, '182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e']) {
      const { status, json } = await call('POST', costsPath(), { account_provider_id: id, model: 'm' });
      expect(status).toBe(400);
      expect(json.errors).toEqual([
        { code: 7001, message: expect.stringContaining(id), path: ['body', 'account_provider_id'] },
      ]);
    }
  });

  it.each([
    [{ model: undefined }, 'model'],
    [{ model_rule: 'regex' }, 'model_rule'],
    [{ account_provider_id: 'acme' }, 'account_provider_id'],
    [{ cost_in: '1' }, 'cost_in'],
    [{ token_pricing: { input_tokens: 'cheap' } }, 'token_pricing'],
  ])('refuses %j with 7001', async (change, field) => {
    const { status, json } = await call('POST', costsPath(), {
      account_provider_id: acme,
      model: 'm',
      ...change,
    });
    expect(status).toBe(400);
    expect(json.errors[0]).toMatchObject({ code: 7001, path: expect.arrayContaining(['body', field]) });
  });

  it('answers 7002 for an unknown id and for one that is not a uuid', async () => {
    for (const id of ['182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e', 'nope']) {
      const { status, json } = await call('GET', `${costsPath()}/${id}`);
      expect(status).toBe(404);
      expect(json.errors).toEqual([{ code: 7002, message: expect.stringContaining('Not Found') }]);
    }
  });
});

describe('list', () => {
  const names = (json: { result: { model: string }[] }) => json.result.map((r) => r.model);
  const list = async (query = '') => (await call('GET', `${costsPath('list-account')}${query}`)).json;
  let provider: string;
  let second: string;

  beforeAll(async () => {
    provider = await createProvider('lister', 'list-account');
    second = await createProvider('second', 'list-account');
    const rules = [
      { model: 'gpt-a', model_rule: 'starts-with' },
      { model: 'mini', model_rule: 'contains', enable: false },
      { model: 'exact-1' },
      { model: 'per-image', cost_type: 'images' },
    ];
    for (const rule of rules) {
      tick();
      await call('POST', costsPath('list-account'), { account_provider_id: provider, ...rule });
    }
    tick();
    await call('POST', costsPath('list-account'), { account_provider_id: second, model: 'elsewhere' });
  });

  it('lists most recently modified first, with result_info and pages', async () => {
    expect(names(await list())).toEqual(['elsewhere', 'per-image', 'exact-1', 'mini', 'gpt-a']);
    const page = await list('?page=2&per_page=2');
    expect(names(page)).toEqual(['exact-1', 'mini']);
    expect(page.result_info).toEqual({ page: 2, per_page: 2, count: 2, total_count: 5 });
  });

  it('filters by provider, model_rule, enable, cost_type and search', async () => {
    expect(names(await list(`?account_provider_id=${second}`))).toEqual(['elsewhere']);
    expect(names(await list('?model_rule=starts-with'))).toEqual(['gpt-a']);
    expect(names(await list('?enable=false'))).toEqual(['mini']);
    expect(names(await list('?cost_type=images'))).toEqual(['per-image']);
    expect(names(await list('?search=xact'))).toEqual(['exact-1']);
    expect(names(await list('?search=manual'))).toHaveLength(5);
  });

  it.each([
    ['?account_provider_id=lister', 'account_provider_id'],
    ['?model_rule=regex', 'model_rule'],
    ['?per_page=101', 'per_page'],
  ])('refuses %s with 7001 on the query parameter', async (query, name) => {
    const { status, json } = await call('GET', `${costsPath('list-account')}${query}`);
    expect(status).toBe(400);
    expect(json.errors).toEqual([
      { code: 7001, message: expect.stringContaining(name), path: ['query', name] },
    ]);
  });
});

describe('update and delete', () => {
  it('changes only the fields the PATCH names', async () => {
    const rule = await createRule({
      account_provider_id: acme,
      model: 'acme-',
      model_rule: 'starts-with',
      cost_type: 'tokens',
      cost_in: 2,
      token_pricing: { input_tokens: 2 },
    });
    tick(5000);
    const { status, json } = await call('PATCH', `${costsPath()}/${rule.id}`, {
      cost_out: 8,
      enable: false,
      token_pricing: { output_tokens: 8 },
    });
    expect(status).toBe(200);
    expect(json.result).toEqual({
      ...rule,
      cost_out: 8,
      enable: false,
      token_pricing: '{"output_tokens":8}',
      modified_at: new Date(clock).toISOString(),
    });
    expect((await call('GET', `${costsPath()}/${rule.id}`)).json.result).toEqual(json.result);

    const invalid = await call('PATCH', `${costsPath()}/${rule.id}`, { model_rule: 'fuzzy' });
    expect(invalid.json.errors).toEqual([
      { code: 7001, message: expect.any(String), path: ['body', 'model_rule'] },
    ]);
    const missing = await call('PATCH', `${costsPath()}/182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e`, {
      cost_in: 1,
    });
    expect(missing.status).toBe(404);
  });

  it('returns the deleted rule, after which it is gone', async () => {
    const rule = await createRule({ account_provider_id: other, model: 'short-lived' });
    const deleted = await call('DELETE', `${costsPath()}/${rule.id}`);
    expect(deleted.json.result).toEqual(rule);
    expect((await call('GET', `${costsPath()}/${rule.id}`)).status).toBe(404);
    expect((await call('DELETE', `${costsPath()}/${rule.id}`)).status).toBe(404);
  });

  it('go with their provider', async () => {
    const doomed = await createProvider('doomed');
    const rule = await createRule({ account_provider_id: doomed, model: 'm' });
    const kept = await createRule({ account_provider_id: other, model: 'm' });
    await call('DELETE', `/accounts/${account_id}/ai-gateway/custom-providers/${doomed}`);
    expect((await call('GET', `${costsPath()}/${rule.id}`)).status).toBe(404);
    expect((await call('GET', `${costsPath()}/${kept.id}`)).status).toBe(200);
  });
});

describe('contract coverage', () => {
  it('checks the responses of every pricing rule operation against the contract', async () => {
    const before = recorder.exchanges.length;
    const rule = await createRule({ account_provider_id: acme, model: 'covered' });
    expect((await call('GET', `${costsPath()}/${rule.id}`)).status).toBe(200);
    expect((await call('GET', costsPath())).status).toBe(200);
    expect((await call('PATCH', `${costsPath()}/${rule.id}`, { cost_in: 0.000001 })).status).toBe(200);
    expect((await call('DELETE', `${costsPath()}/${rule.id}`)).status).toBe(200);
    const validated = recorder.exchanges.slice(before).filter((e) => !e.skipped);
    const operations = new Set(validated.map((e) => e.operationId));
    expect([...operations].filter((o) => o?.endsWith('-cost')).sort()).toEqual([
      'aig-config-create-account-provider-cost',
      'aig-config-delete-account-provider-cost',
      'aig-config-fetch-account-provider-cost',
      'aig-config-list-account-provider-cost',
      'aig-config-update-account-provider-cost',
    ]);
  });
});

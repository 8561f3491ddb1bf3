// The custom providers management API of the local gateway, driven by the official cloudflare SDK (PATCH,
// which the SDK lacks, by fetch); every request and response is checked against Cloudflare's contract.
import type Cloudflare from 'cloudflare';
import { BadRequestError, NotFoundError } from 'cloudflare';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { apiError, startCheckedApi } from '../helpers/control-plane.js';
import { apiBase } from '../helpers/local-gateway.js';
import { type ContractRecorder, validateRequest, validateResponse } from '../helpers/openapi.js';

const account_id = '3ebbcb006d4d46d7bb6a8c7f14676cb0';
let clock = Date.parse('2026-03-01T12:00:00.000Z');
const tick = (ms = 1000) => {
  clock += ms;
};

let gw: LocalGateway;
let cf: Cloudflare;
let recorder: ContractRecorder;

beforeAll(async () => {
  ({ gw, recorder, cf } = await startCheckedApi({ now: () => new Date(clock) }));
});
afterAll(() => gw.close());
afterEach(() => recorder.assertClean());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** PATCH /custom-providers/{id} by fetch, with the request and the answer checked against the contract. */
async function patch(id: string, body: unknown, account = account_id) {
  const path = `/accounts/${account}/ai-gateway/custom-providers/${id}`;
  validateRequest('PATCH', path, undefined, body);
  const res = await fetch(`${apiBase(gw)}${path}`, {
    method: 'PATCH',
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: assertions read the envelope
  const json = (await res.json()) as any;
  validateResponse('PATCH', path, res.status, json);
  return { status: res.status, json };
}

describe('create and get', () => {
  it('round-trips every field, with a new uuid and header values never echoed', async () => {
    const fields = {
      name: 'Acme Models',
      slug: 'acme',
      base_url: 'https://api.acme.example/v1',
      headers: JSON.stringify({ 'x-api-key': 'sk-acme-secret', 'X-Team': 'chat' }),
      description: 'Acme’s OpenAI-compatible API',
      enable: true,
      beta: true,
      position: 2,
      link: 'https://acme.example',
      curl_example: 'curl https://api.acme.example/v1/models',
      js_example: 'fetch("https://api.acme.example/v1/models")',
    };
    const created = await cf.aiGateway.customProviders.create({ account_id, ...fields });
    const stamp = new Date(clock).toISOString();
    expect(created).toEqual({
      ...fields,
      id: expect.stringMatching(UUID),
      headers: JSON.stringify({ 'x-api-key': '********', 'X-Team': '********' }),
      created_at: stamp,
      modified_at: stamp,
    });
    expect(JSON.stringify(created)).not.toContain('sk-acme-secret');
    expect(await cf.aiGateway.customProviders.get(created.id, { account_id })).toEqual(created);
    // The store keeps the headers as given: the data plane sends them.
    expect(gw.runtime.customProviders.get(account_id, created.id)?.headers).toBe(fields.headers);
  });

  it('defaults to enabled, not beta, position 0, and leaves unset text fields out', async () => {
    const created = await cf.aiGateway.customProviders.create({
      account_id,
      name: 'Bare',
      slug: 'bare',
      base_url: 'http://127.0.0.1:9/',
    });
    expect(created).toEqual({
      id: expect.stringMatching(UUID),
      slug: 'bare',
      name: 'Bare',
      base_url: 'http://127.0.0.1:9/',
      enable: true,
      beta: false,
      position: 0,
      created_at: expect.any(String),
      modified_at: expect.any(String),
    });
  });

  it('refuses a slug the account already uses with 7001 on body.slug, but not another account’s', async () => {
    const body = { name: 'Twice', slug: 'twice', base_url: 'https://twice.example' };
    await cf.aiGateway.customProviders.create({ account_id, ...body });
    const err = await apiError(cf.aiGateway.customProviders.create({ account_id, ...body, name: 'Again' }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.errors).toEqual([
      { code: 7001, message: expect.stringMatching(/"twice" already exists/), path: ['body', 'slug'] },
    ]);
    const elsewhere = await cf.aiGateway.customProviders.create({ account_id: 'other-account', ...body });
    expect(elsewhere.slug).toBe('twice');
  });

  it.each([
    [{ slug: 'has space' }, 'slug'],
    [{ slug: 'a.b' }, 'slug'],
    [{ base_url: 'not a url' }, 'base_url'],
    [{ base_url: 'ftp://files.example' }, 'base_url'],
    [{ headers: '{"x-api-key": 42}' }, 'headers'],
    [{ headers: 'x-api-key: k' }, 'headers'],
    [{ headers: '{"bad name":"v"}' }, 'headers'],
    [{ headers: 'x'.repeat(8193) }, 'headers'],
    [{ position: 1.5 }, 'position'],
  ])('refuses %j with 7001 on that field', async (change, field) => {
    const body = { name: 'Bad', slug: 'bad', base_url: 'https://bad.example', ...change };
    const err = await apiError(cf.aiGateway.customProviders.create({ account_id, ...body }));
    expect(err.status).toBe(400);
    expect(err.errors).toEqual([
      { code: 7001, message: expect.stringContaining('Input Validation Error'), path: ['body', field] },
    ]);
  });

  it('refuses a body missing a required field', async () => {
    const err = await apiError(
      cf.aiGateway.customProviders.create({ account_id, name: 'No URL', slug: 'no-url' } as never),
    );
    expect(err.errors).toEqual([
      { code: 7001, message: expect.stringMatching(/base_url.*required/), path: ['body', 'base_url'] },
    ]);
  });

  it('answers 7002 for an unknown id and for one that is not a uuid', async () => {
    for (const id of ['182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e', 'acme']) {
      const err = await apiError(cf.aiGateway.customProviders.get(id, { account_id }));
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err.errors).toEqual([{ code: 7002, message: expect.stringContaining('Not Found') }]);
    }
  });
});

describe('list', () => {
  const team = 'list-account';
  const names = ['Zeta', 'Alpha', 'Mid', 'Beta one', 'Gamma'];

  beforeAll(async () => {
    for (const [i, name] of names.entries()) {
      tick();
      await cf.aiGateway.customProviders.create({
        account_id: team,
        name,
        slug: `p-${i}`,
        base_url: 'https://p.example',
        position: name === 'Zeta' ? -1 : 0,
        enable: name !== 'Mid',
        beta: name.startsWith('Beta'),
      });
    }
    for (let i = 0; i < 21; i++) {
      await cf.aiGateway.customProviders.create({
        account_id: team,
        name: `Bulk ${String(i).padStart(2, '0')}`,
        slug: `bulk-${i}`,
        base_url: 'https://bulk.example',
        position: 5,
      });
    }
  });

  it('orders by position, then name, and auto-paginates', async () => {
    const before = recorder.exchanges.length;
    const seen: string[] = [];
    for await (const p of cf.aiGateway.customProviders.list({ account_id: team })) seen.push(p.name);
    expect(seen).toHaveLength(26);
    expect(seen.slice(0, 7)).toEqual(['Zeta', 'Alpha', 'Beta one', 'Gamma', 'Mid', 'Bulk 00', 'Bulk 01']);
    // Pages of 20, then the empty page the SDK stops on.
    expect(recorder.exchanges.slice(before).map((e) => e.status)).toEqual([200, 200, 200]);
  });

  it('reports result_info and honours page and per_page', async () => {
    const page = await cf.aiGateway.customProviders.list({ account_id: team, page: 2, per_page: 4 });
    expect(page.result.map((p) => p.name)).toEqual(['Mid', 'Bulk 00', 'Bulk 01', 'Bulk 02']);
    expect(page.result_info).toEqual({ page: 2, per_page: 4, count: 4, total_count: 26 });
  });

  it('filters by search (id, name or slug), enable and beta', async () => {
    const names = async (query: Record<string, unknown>) => {
      const page = await cf.aiGateway.customProviders.list({ account_id: team, per_page: 100, ...query });
      return page.result.map((p) => p.name);
    };
    expect(await names({ search: 'gam' })).toEqual(['Gamma']);
    expect(await names({ search: 'p-0' })).toEqual(['Zeta']);
    const [first] = (await cf.aiGateway.customProviders.list({ account_id: team, search: 'Alpha' })).result;
    expect(await names({ search: first!.id.slice(0, 13) })).toEqual(['Alpha']);
    expect(await names({ enable: false })).toEqual(['Mid']);
    expect(await names({ beta: true })).toEqual(['Beta one']);
    expect(await names({ beta: true, enable: false })).toEqual([]);
    expect(await names({ search: '_' })).toEqual([]);
  });

  it.each([
    [{ per_page: 101 }, 'per_page'],
    [{ page: 0 }, 'page'],
    [{ enable: 'yes' }, 'enable'],
  ])('refuses %j with 7001 on the query parameter', async (query, name) => {
    const err = await apiError(cf.aiGateway.customProviders.list({ account_id: team, ...(query as object) }));
    expect(err.status).toBe(400);
    expect(err.errors).toEqual([
      { code: 7001, message: expect.stringContaining(name), path: ['query', name] },
    ]);
  });
});

describe('update and delete', () => {
  it('changes only the given fields and stamps modified_at', async () => {
    const created = await cf.aiGateway.customProviders.create({
      account_id,
      name: 'Patchable',
      slug: 'patchable',
      base_url: 'https://old.example',
      description: 'kept',
      headers: '{"x-api-key":"old"}',
    });
    tick(5000);
    const { status, json } = await patch(created.id, {
      base_url: 'https://new.example',
      enable: false,
      logo: 'https://new.example/logo.svg',
      headers: '{"authorization":"Bearer new","x-extra":"1"}',
    });
    expect(status).toBe(200);
    expect(json.result).toEqual({
      ...created,
      base_url: 'https://new.example',
      enable: false,
      logo: 'https://new.example/logo.svg',
      headers: '{"authorization":"********","x-extra":"********"}',
      modified_at: new Date(clock).toISOString(),
    });
    expect(await cf.aiGateway.customProviders.get(created.id, { account_id })).toEqual(json.result);
    expect(gw.runtime.customProviders.get(account_id, created.id)?.headers).toBe(
      '{"authorization":"Bearer new","x-extra":"1"}',
    );
  });

  it('validates PATCH bodies, refuses a taken slug and answers 7002 for unknown ids', async () => {
    const a = await cf.aiGateway.customProviders.create({
      account_id,
      name: 'A',
      slug: 'slug-a',
      base_url: 'https://a.example',
    });
    await cf.aiGateway.customProviders.create({
      account_id,
      name: 'B',
      slug: 'slug-b',
      base_url: 'https://b.example',
    });

    const taken = await patch(a.id, { slug: 'slug-b' });
    expect(taken.status).toBe(400);
    expect(taken.json.errors).toEqual([
      { code: 7001, message: expect.stringContaining('already exists'), path: ['body', 'slug'] },
    ]);
    const invalid = await patch(a.id, { headers: '[]' });
    expect(invalid.json.errors).toEqual([
      { code: 7001, message: expect.stringContaining('JSON object'), path: ['body', 'headers'] },
    ]);
    expect((await cf.aiGateway.customProviders.get(a.id, { account_id })).slug).toBe('slug-a');

    const renamed = await patch(a.id, { slug: 'slug-c' });
    expect(renamed.json.result.slug).toBe('slug-c');
    expect(gw.runtime.customProviders.bySlug(account_id, 'slug-a')).toBeNull();
    expect(gw.runtime.customProviders.bySlug(account_id, 'slug-c')?.id).toBe(a.id);

    const missing = await patch('182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e', { name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.json.errors).toEqual([{ code: 7002, message: expect.stringContaining('Not Found') }]);
    const otherAccount = await patch(a.id, { name: 'x' }, 'other-account');
    expect(otherAccount.status).toBe(404);
  });

  it('returns the deleted provider, after which it is gone and its slug is free', async () => {
    const created = await cf.aiGateway.customProviders.create({
      account_id,
      name: 'Short-lived',
      slug: 'short-lived',
      base_url: 'https://short.example',
    });
    expect(await cf.aiGateway.customProviders.delete(created.id, { account_id })).toEqual(created);
    const err = await apiError(cf.aiGateway.customProviders.get(created.id, { account_id }));
    expect(err).toBeInstanceOf(NotFoundError);
    const again = await apiError(cf.aiGateway.customProviders.delete(created.id, { account_id }));
    expect(again.status).toBe(404);
    expect(gw.runtime.customProviders.bySlug(account_id, 'short-lived')).toBeNull();
    const reborn = await cf.aiGateway.customProviders.create({
      account_id,
      name: 'Short-lived',
      slug: 'short-lived',
      base_url: 'https://short.example',
    });
    expect(reborn.id).not.toBe(created.id);
  });
});

describe('contract coverage', () => {
  it('checks the responses of every custom provider operation the SDK has against the contract', async () => {
    const before = recorder.exchanges.length;
    const created = await cf.aiGateway.customProviders.create({
      account_id,
      name: 'Covered',
      slug: 'covered',
      base_url: 'https://covered.example',
    });
    await cf.aiGateway.customProviders.get(created.id, { account_id });
    await cf.aiGateway.customProviders.list({ account_id });
    await cf.aiGateway.customProviders.delete(created.id, { account_id });
    const validated = recorder.exchanges.slice(before).filter((e) => !e.skipped);
    const operations = new Set(validated.map((e) => e.operationId));
    expect([...operations].sort()).toEqual([
      'aig-config-create-account-provider',
      'aig-config-delete-account-provider',
      'aig-config-fetch-account-provider',
      'aig-config-list-account-provider',
    ]);
  });
});

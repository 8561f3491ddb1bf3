// `custom-{slug}` providers created through the management API, called with the real OpenAI SDK: the base
// URL and stored headers they reach upstream with, disabled and unknown slugs, edits taking effect at once
// and dropping the provider's cached answers.
import Cloudflare from 'cloudflare';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  createGateway,
  type FakeUpstream,
  logById,
  openaiCompletion,
  startFakeUpstream,
} from '../helpers/fake-upstream.js';
import { apiBase, dataPlaneFixture, startTestGateway } from '../helpers/local-gateway.js';
import { validateResponse } from '../helpers/openapi.js';

let other: FakeUpstream;

const storedHeaders = {
  'x-acme-key': 'stored-secret',
  'x-team': 'stored-team',
  authorization: 'Bearer stored',
};

const dp = dataPlaneFixture({
  gateways: { gw: {}, cached: { cache_ttl: 300 } },
  fallback: { json: openaiCompletion('from acme', 'acme-large') },
});
/** A second provider, for edits that move a custom provider's base URL. */
beforeAll(async () => {
  other = await startFakeUpstream();
});
afterAll(() => other.close());
beforeEach(() => {
  other.clear();
  other.fallback = { json: openaiCompletion('from elsewhere', 'acme-large') };
});

async function createProvider(slug: string, fields: Record<string, unknown> = {}, account = ACCOUNT) {
  return dp.cf.aiGateway.customProviders.create({
    account_id: account,
    name: slug,
    slug,
    base_url: `${dp.fake.url}/acme`,
    headers: JSON.stringify(storedHeaders),
    ...fields,
  });
}

async function patch(id: string, body: Record<string, unknown>) {
  const path = `/accounts/${ACCOUNT}/ai-gateway/custom-providers/${id}`;
  const res = await fetch(`${apiBase(dp.gw)}${path}`, {
    method: 'PATCH',
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  validateResponse('PATCH', path, res.status, json);
  expect(res.status).toBe(200);
}

function client(slug: string, gateway = 'gw', headers: Record<string, string> = {}) {
  return new OpenAI({
    apiKey: 'sk-client',
    baseURL: `${dp.gw.url}/v1/${ACCOUNT}/${gateway}/custom-${slug}/v1`,
    maxRetries: 0,
    defaultHeaders: headers,
  });
}

const ask = (c: OpenAI, text = 'hi') =>
  c.chat.completions
    .create({ model: 'acme-large', messages: [{ role: 'user', content: text }] })
    .withResponse();

async function gatewayError(promise: Promise<unknown>) {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.BadRequestError);
  return (err as InstanceType<typeof OpenAI.BadRequestError>).error as { code: number; message: string }[];
}

const cachedRows = (provider: string) =>
  (
    dp.gw.runtime.store.db
      .prepare('SELECT count(*) AS n FROM cache_entries WHERE account_id = ? AND provider = ?')
      .get(ACCOUNT, provider) as { n: number }
  ).n;

describe('a custom provider from the management API', () => {
  it('receives {base_url}/{rest}, the body, the caller’s credentials and the stored headers', async () => {
    await createProvider('acme');
    const { data, response } = await ask(client('acme', 'gw', { 'x-team': 'caller-team' }), 'hello');
    expect(data.choices[0]!.message.content).toBe('from acme');

    expect(dp.fake.requests).toHaveLength(1);
    const got = dp.fake.requests[0]!;
    expect(got.method).toBe('POST');
    expect(got.path).toBe('/acme/v1/chat/completions');
    expect(got.json()).toEqual({ model: 'acme-large', messages: [{ role: 'user', content: 'hello' }] });
    // What the request carries wins; the stored headers fill in the rest.
    expect(got.headers.authorization).toBe('Bearer sk-client');
    expect(got.headers['x-team']).toBe('caller-team');
    expect(got.headers['x-acme-key']).toBe('stored-secret');

    const log = await logById(dp.gw, 'gw', response.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ provider: 'custom-acme', model: 'acme-large', path: 'v1/chat/completions' });
    expect(log.request_head).not.toContain('stored-secret');
  });

  it('supplies the stored authorization when the caller sends none, also through compat', async () => {
    await createProvider('supplied');
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/custom-supplied/models`, { method: 'GET' });
    expect(res.status).toBe(200);
    expect(dp.fake.requests[0]).toMatchObject({ method: 'GET', path: '/acme/models' });
    expect(dp.fake.requests[0]!.headers.authorization).toBe('Bearer stored');

    const compat = new OpenAI({
      apiKey: 'sk-compat',
      baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/compat`,
      maxRetries: 0,
    });
    const answer = await compat.chat.completions.create({
      model: 'custom-supplied/acme-large',
      messages: [{ role: 'user', content: 'via compat' }],
    });
    expect(answer.choices[0]!.message.content).toBe('from acme');
    expect(dp.fake.requests[1]!.path).toBe('/acme/chat/completions');
    expect(dp.fake.requests[1]!.headers['x-acme-key']).toBe('stored-secret');
    expect(dp.fake.requests[1]!.json().model).toBe('acme-large');
  });

  it('belongs to its account only', async () => {
    await createProvider('owned');
    createGateway(dp.gw, 'gw', {}, 'elsewhere');
    const errors = await gatewayError(
      ask(
        new OpenAI({
          apiKey: 'k',
          baseURL: `${dp.gw.url}/v1/elsewhere/gw/custom-owned/v1`,
          maxRetries: 0,
        }),
      ),
    );
    expect(errors[0]!.code).toBe(2002);
    expect(dp.fake.requests).toHaveLength(0);
  });
});

describe('unknown and disabled slugs', () => {
  it('answer 400 (2002) naming the slug and how to create it', async () => {
    const errors = await gatewayError(ask(client('nobody')));
    expect(errors).toEqual([
      {
        code: 2002,
        message: expect.stringMatching(
          /custom-nobody.*'nobody'.*POST \/client\/v4\/accounts\/acct\/ai-gateway\/custom-providers/,
        ),
      },
    ]);
  });

  it('stop routing when disabled and route again when re-enabled', async () => {
    const created = await createProvider('toggle', { enable: false });
    expect((await gatewayError(ask(client('toggle'))))[0]!.code).toBe(2002);
    expect(dp.fake.requests).toHaveLength(0);
    await patch(created.id, { enable: true });
    expect((await ask(client('toggle'))).response.status).toBe(200);
    expect(dp.fake.requests).toHaveLength(1);
  });

  it('stop routing once deleted', async () => {
    const created = await createProvider('doomed');
    await ask(client('doomed'));
    await dp.cf.aiGateway.customProviders.delete(created.id, { account_id: ACCOUNT });
    expect((await gatewayError(ask(client('doomed'))))[0]!.code).toBe(2002);
    expect(dp.fake.requests).toHaveLength(1);
  });
});

describe('edits', () => {
  it('take effect on the next request: base_url, headers and slug', async () => {
    const created = await createProvider('moving');
    await ask(client('moving'));
    expect(dp.fake.requests).toHaveLength(1);

    await patch(created.id, { base_url: `${other.url}/v2`, headers: '{"x-acme-key":"rotated"}' });
    await ask(client('moving'));
    expect(dp.fake.requests).toHaveLength(1);
    expect(other.requests[0]!.path).toBe('/v2/v1/chat/completions');
    expect(other.requests[0]!.headers['x-acme-key']).toBe('rotated');
    expect(other.requests[0]!.headers['x-team']).toBeUndefined();

    await patch(created.id, { slug: 'moved' });
    expect((await gatewayError(ask(client('moving'))))[0]!.code).toBe(2002);
    await ask(client('moved'));
    expect(other.requests).toHaveLength(2);
  });

  it('drop the provider’s cached answers, and only those', async () => {
    const created = await createProvider('cachy');
    const first = await ask(client('cachy', 'cached'), 'cache me');
    expect(first.response.headers.get('cf-aig-cache-status')).toBe('MISS');
    const second = await ask(client('cachy', 'cached'), 'cache me');
    expect(second.response.headers.get('cf-aig-cache-status')).toBe('HIT');
    expect(dp.fake.requests).toHaveLength(1);
    const openai = new OpenAI({
      apiKey: 'sk-o',
      baseURL: `${dp.gw.url}/v1/${ACCOUNT}/cached/openai`,
      maxRetries: 0,
    });
    await ask(openai, 'cache me');
    expect(cachedRows('custom-cachy')).toBe(1);
    expect(cachedRows('openai')).toBe(1);

    await patch(created.id, { description: 'any edit clears the cache' });
    expect(cachedRows('custom-cachy')).toBe(0);
    expect(cachedRows('openai')).toBe(1);
    const third = await ask(client('cachy', 'cached'), 'cache me');
    expect(third.response.headers.get('cf-aig-cache-status')).toBe('MISS');
    expect(dp.fake.requests).toHaveLength(3);
    expect((await ask(openai, 'cache me')).response.headers.get('cf-aig-cache-status')).toBe('HIT');

    await dp.cf.aiGateway.customProviders.delete(created.id, { account_id: ACCOUNT });
    expect(cachedRows('custom-cachy')).toBe(0);
  });
});

describe('an upstream override', () => {
  it('still wins over the stored provider, without its headers', async () => {
    const overridden = await startTestGateway({ upstreams: { 'custom-acme': `${other.url}/override` } });
    try {
      createGateway(overridden, 'gw');
      await new Cloudflare({
        apiToken: 't',
        baseURL: apiBase(overridden),
        maxRetries: 0,
      }).aiGateway.customProviders.create({
        account_id: ACCOUNT,
        name: 'acme',
        slug: 'acme',
        base_url: dp.fake.url,
        headers: JSON.stringify(storedHeaders),
      });
      const res = await fetch(`${overridden.url}/v1/${ACCOUNT}/gw/custom-acme/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"model":"m"}',
      });
      expect(res.status).toBe(200);
      expect(dp.fake.requests).toHaveLength(0);
      expect(other.requests[0]!.path).toBe('/override/v1/chat/completions');
      expect(other.requests[0]!.headers['x-acme-key']).toBeUndefined();
    } finally {
      await overridden.close();
    }
  });
});

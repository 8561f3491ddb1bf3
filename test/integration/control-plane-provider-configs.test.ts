// The provider keys (BYOK) management API of the local gateway: list and create through the official cloudflare
// SDK, get, rotate (PUT) and delete (which the SDK lacks) by fetch; every request and response is checked against
// Cloudflare's contract, and no answer ever carries a stored secret.
import type Cloudflare from 'cloudflare';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { apiError, requiredGatewaySettings } from '../helpers/control-plane.js';
import { apiBase, startTestGateway } from '../helpers/local-gateway.js';
import { ContractRecorder, contractFetch } from '../helpers/openapi.js';

const account_id = '3ebbcb006d4d46d7bb6a8c7f14676cb0';
const SECRET = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const OTHER_SECRET = 'sk-ant-api03-ZyXwVuTsRqPoNmLkJiHgFeDcBa9876';
let clock = Date.parse('2026-03-01T12:00:00.000Z');
const stamp = () => new Date(clock).toISOString();

let gw: LocalGateway;
let cf: Cloudflare;
const recorder = new ContractRecorder();
/** Every answer's body, to check that no secret is ever in one. */
const answers: string[] = [];
let checkedFetch: typeof fetch;

beforeAll(async () => {
  gw = await startTestGateway({ now: () => new Date(clock) });
  const recording: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    answers.push(await res.clone().text());
    return res;
  };
  checkedFetch = contractFetch(recorder, recording);
  const { default: Cloudflare } = await import('cloudflare');
  cf = new Cloudflare({ apiToken: 'test-token', baseURL: apiBase(gw), fetch: checkedFetch, maxRetries: 0 });
  for (const id of ['chat', 'other']) {
    await cf.aiGateway.create({ account_id, id, ...requiredGatewaySettings, authentication: true });
  }
});
afterAll(async () => {
  for (const text of answers) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(OTHER_SECRET);
  }
  await gw.close();
});
afterEach(() => recorder.assertClean());

const path = (gateway: string, id = '') =>
  `/accounts/${account_id}/ai-gateway/gateways/${gateway}/provider_configs${id ? `/${id}` : ''}`;

/** A call the SDK lacks (get, rotate, delete), by fetch, checked against the contract like the SDK's. */
async function raw(method: string, p: string, body?: unknown) {
  const res = await checkedFetch(`${apiBase(gw)}${p}`, {
    method,
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: assertions read the envelope
  return { status: res.status, json: (await res.json()) as any };
}

const HEX32 = /^[0-9a-f]{32}$/;

function create(gateway: string, fields: Partial<Cloudflare.AIGateway.ProviderConfigCreateParams>) {
  return cf.aiGateway.providerConfigs.create(gateway, {
    account_id,
    provider_slug: 'openai',
    alias: 'default',
    default_config: true,
    secret: SECRET,
    ...fields,
  });
}

describe('create, list and get', () => {
  it('stores a key and answers with a preview, never the key', async () => {
    clock += 1000;
    const created = await create('chat', { rate_limit: 100 });
    expect(created).toEqual({
      id: expect.stringMatching(HEX32),
      gateway_id: 'chat',
      provider_slug: 'openai',
      alias: 'default',
      default_config: true,
      secret_id: expect.stringMatching(HEX32),
      secret_preview: '****6789',
      rate_limit: 100,
      rate_limit_period: 60,
      modified_at: stamp(),
    });
    const got = await raw('GET', path('chat', created.id));
    expect(got.status).toBe(200);
    expect(got.json.result).toEqual(created);
  });

  it('lists a gateway’s keys, oldest first, a page at a time', async () => {
    // Gateways of its own: `listed` with two keys, `unlisted` with none.
    for (const id of ['listed', 'unlisted']) {
      await cf.aiGateway.create({ account_id, id, ...requiredGatewaySettings, authentication: true });
    }
    clock += 1000;
    await create('listed', { rate_limit: 100 });
    clock += 1000;
    const second = await create('listed', {
      provider_slug: 'anthropic',
      secret: OTHER_SECRET,
      rate_limit_period: 30,
    });
    expect(second).not.toHaveProperty('rate_limit');
    const all = [];
    for await (const key of cf.aiGateway.providerConfigs.list('listed', { account_id, per_page: 1 })) {
      all.push(key);
    }
    expect(all.map((k) => [k.provider_slug, k.alias])).toEqual([
      ['openai', 'default'],
      ['anthropic', 'default'],
    ]);
    const page = await raw('GET', `${path('listed')}?page=2&per_page=1`);
    expect(page.json.result_info).toEqual({ page: 2, per_page: 1, count: 1, total_count: 2 });
    const other = await raw('GET', path('unlisted'));
    expect(other.json.result).toEqual([]);
  });

  it('answers 404 (7002) for an unknown gateway or key', async () => {
    for (const [method, p] of [
      ['GET', path('nope')],
      ['GET', path('chat', 'ffffffffffffffffffffffffffffffff')],
      ['PUT', path('chat', 'ffffffffffffffffffffffffffffffff')],
      ['DELETE', path('chat', 'ffffffffffffffffffffffffffffffff')],
    ] as const) {
      const res = await raw(method, p, method === 'PUT' ? { secret: 'sk-new-secret-value' } : undefined);
      expect(res.status, `${method} ${p}`).toBe(404);
      expect(res.json.errors[0].code).toBe(7002);
    }
    const err = await apiError(create('nope', {}));
    expect(err.status).toBe(404);
  });
});

describe('validation', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['no alias', { alias: undefined }, ['body', 'alias']],
    ['no provider', { provider_slug: undefined }, ['body', 'provider_slug']],
    ['no default flag', { default_config: undefined }, ['body', 'default_config']],
    ['an unknown provider', { provider_slug: 'nosuch' }, ['body', 'provider_slug']],
    ['an alias with a line break', { alias: 'a\nb' }, ['body', 'alias']],
    ['an empty alias', { alias: '' }, ['body', 'alias']],
    ['no secret nor secret id', { secret: undefined }, ['body', 'secret']],
    ['an empty secret', { secret: '' }, ['body', 'secret']],
    ['a secret with a line break', { secret: `${SECRET}\r\nx-evil: 1` }, ['body', 'secret']],
    ['an unknown secret id', { secret: undefined, secret_id: 'f'.repeat(32) }, ['body', 'secret_id']],
    ['a string rate limit', { rate_limit: '10' }, ['body', 'rate_limit']],
  ];
  for (const [what, fields, where] of cases) {
    it(`refuses ${what} with 7001 and its path`, async () => {
      const res = await raw('POST', path('other'), {
        provider_slug: 'groq',
        alias: 'v',
        default_config: false,
        secret: SECRET,
        ...fields,
      });
      expect(res.status).toBe(400);
      expect(res.json.errors).toContainEqual(expect.objectContaining({ code: 7001, path: where }));
    });
  }

  it('refuses a second key with the same provider and alias in a gateway, not in another gateway', async () => {
    await create('other', { provider_slug: 'groq', alias: 'team' });
    const err = await apiError(create('other', { provider_slug: 'groq', alias: 'team' }));
    expect(err.status).toBe(400);
    expect(err.errors[0]?.message).toMatch(/already has a key for groq with alias "team"/);
    // Another provider may use the alias.
    await create('other', { provider_slug: 'mistral', alias: 'team' });
  });

  it('never echoes a body it cannot parse', async () => {
    const res = await raw('POST', path('other'), `{"provider_slug":"openai","secret": ${SECRET}}`);
    expect(res.status).toBe(400);
    expect(res.json.errors[0]).toMatchObject({ code: 7001, path: ['body'] });
  });

  it('refuses a rotation without a secret', async () => {
    const key = await create('other', { provider_slug: 'deepseek', alias: 'r' });
    const res = await raw('PUT', path('other', key.id), {});
    expect(res.status).toBe(400);
    expect(res.json.errors[0]).toMatchObject({ code: 7001, path: ['body', 'secret'] });
  });
});

describe('default keys, rotation, shared secrets and deletion', () => {
  it('keeps one default key per provider in a gateway', async () => {
    const first = await create('other', { provider_slug: 'cohere', alias: 'a' });
    clock += 1000;
    const second = await create('other', { provider_slug: 'cohere', alias: 'b' });
    const demoted = await raw('GET', path('other', first.id));
    expect(demoted.json.result).toMatchObject({ default_config: false, modified_at: stamp() });
    expect(second.default_config).toBe(true);
    const keys = gw.runtime.providerKeys.keysFor(account_id, 'other').get('cohere')!;
    expect(keys.fallback?.alias).toBe('b');
  });

  it('rotates only the secret; the data plane sees the new one at once', async () => {
    const key = await create('other', { provider_slug: 'grok', alias: 'rot' });
    expect(gw.runtime.providerKeys.keysFor(account_id, 'other').get('grok')?.fallback?.secret).toBe(SECRET);
    clock += 1000;
    const rotated = await raw('PUT', path('other', key.id), { secret: OTHER_SECRET });
    expect(rotated.status).toBe(200);
    expect(rotated.json.result).toEqual({
      ...key,
      secret_preview: '****9876',
      modified_at: stamp(),
    });
    expect(gw.runtime.providerKeys.keysFor(account_id, 'other').get('grok')?.fallback?.secret).toBe(
      OTHER_SECRET,
    );
  });

  it('shares a stored secret by secret_id; deleting one config keeps the secret for the other', async () => {
    const first = await create('other', { provider_slug: 'cerebras', alias: 'one' });
    const second = await create('chat', {
      provider_slug: 'cerebras',
      alias: 'two',
      secret: undefined,
      secret_id: first.secret_id,
    });
    expect(second.secret_id).toBe(first.secret_id);
    expect(second.secret_preview).toBe(first.secret_preview);
    const deleted = await raw('DELETE', path('other', first.id));
    expect(deleted.json.result).toEqual(first);
    expect((await raw('GET', path('other', first.id))).status).toBe(404);
    expect(
      gw.runtime.providerKeys.keysFor(account_id, 'chat').get('cerebras')?.byAlias.get('two')?.secret,
    ).toBe(SECRET);
    await raw('DELETE', path('chat', second.id));
    const secrets = gw.runtime.store.db
      .prepare('SELECT count(*) AS n FROM provider_secrets WHERE account_id = ? AND id = ?')
      .get(account_id, first.secret_id) as { n: number };
    expect(secrets.n).toBe(0);
  });

  it('deletes a gateway’s keys and their secrets with the gateway', async () => {
    await cf.aiGateway.create({ account_id, id: 'doomed', ...requiredGatewaySettings, authentication: true });
    await create('doomed', {});
    expect(gw.runtime.providerKeys.keysFor(account_id, 'doomed').size).toBe(1);
    await cf.aiGateway.delete('doomed', { account_id });
    expect(gw.runtime.providerKeys.keysFor(account_id, 'doomed').size).toBe(0);
    await cf.aiGateway.create({ account_id, id: 'doomed', ...requiredGatewaySettings });
    const list = await raw('GET', path('doomed'));
    expect(list.json.result).toEqual([]);
    const orphans = gw.runtime.store.db
      .prepare(
        `SELECT count(*) AS n FROM provider_secrets s
         WHERE NOT EXISTS (SELECT 1 FROM provider_configs c WHERE c.account_id = s.account_id AND c.secret_id = s.id)`,
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
  });

  it('keeps accounts apart', async () => {
    const res = await raw('GET', path('chat').replace(account_id, 'ffffffffffffffffffffffffffffffff'));
    expect(res.status).toBe(404);
  });
});

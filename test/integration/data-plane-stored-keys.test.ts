// Stored provider keys (BYOK) on the data plane: keys created through the management API (the cloudflare SDK)
// reach a recording upstream although the client sent none, the one named by cf-aig-byok-alias, 2040 for an
// alias there is none of, only on an authenticated gateway; the request's own key wins; two keys never share a
// cache entry; a rotation does not fail a request under way; and no secret is in any answer, log or cache row.
import Cloudflare from 'cloudflare';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { requiredGatewaySettings } from '../helpers/control-plane.js';
import { ACCOUNT, anthropicMessage, logById, openaiCompletion } from '../helpers/fake-upstream.js';
import { apiBase, dataPlaneFixture } from '../helpers/local-gateway.js';
import { ContractRecorder, contractFetch } from '../helpers/openapi.js';

const TOKEN = 'gw-token-0123456789';
const OPENAI_DEFAULT = 'sk-openai-default-AAAA1111';
const OPENAI_TEAM = 'sk-openai-team-BBBB2222';
const OPENAI_ROTATED = 'sk-openai-rotated-CCCC3333';
const ANTHROPIC_DEFAULT = 'sk-ant-default-DDDD4444';
const SECRETS = [OPENAI_DEFAULT, OPENAI_TEAM, OPENAI_ROTATED, ANTHROPIC_DEFAULT];

let cf: Cloudflare;
/** Every management API answer's body. */
const apiAnswers: string[] = [];

const dp = dataPlaneFixture({
  upstreams: (url) => ({ openai: `${url}/v1`, anthropic: url }),
  gateway: { apiToken: TOKEN },
  fallback: { json: openaiCompletion('hello') },
  setUp: async ({ gw }) => {
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      apiAnswers.push(await res.clone().text());
      return res;
    };
    cf = new Cloudflare({
      apiToken: TOKEN,
      baseURL: apiBase(gw),
      fetch: contractFetch(new ContractRecorder(), recording),
      maxRetries: 0,
    });
    await cf.aiGateway.create({
      account_id: ACCOUNT,
      id: 'secure',
      ...requiredGatewaySettings,
      cache_ttl: 300,
      authentication: true,
    });
    await cf.aiGateway.create({ account_id: ACCOUNT, id: 'open', ...requiredGatewaySettings });
    await add('secure', 'openai', 'default', OPENAI_DEFAULT);
    await add('secure', 'openai', 'team', OPENAI_TEAM);
    await add('secure', 'anthropic', 'default', ANTHROPIC_DEFAULT);
    await add('open', 'openai', 'default', OPENAI_DEFAULT);
  },
});

/** Stores a provider key in a gateway; its id. */
const add = async (gateway: string, provider_slug: string, alias: string, secret: string) =>
  (
    await cf.aiGateway.providerConfigs.create(gateway, {
      account_id: ACCOUNT,
      provider_slug,
      alias,
      default_config: alias === 'default',
      secret,
    })
  ).id;

afterAll(async () => {
  // No secret in any management answer, log record or cache row.
  dp.gw.runtime.logs.flush();
  const db = dp.gw.runtime.store.db;
  const logs = JSON.stringify(db.prepare('SELECT * FROM logs').all(), bytesAsText);
  const cache = JSON.stringify(db.prepare('SELECT * FROM cache_entries').all(), bytesAsText);
  for (const secret of SECRETS) {
    for (const text of apiAnswers) expect(text).not.toContain(secret);
    expect(logs).not.toContain(secret);
    expect(cache).not.toContain(secret);
  }
});

function bytesAsText(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value;
}

const chatBody = (content: string) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });

function chat(gateway: string, content: string, headers: Record<string, string> = {}) {
  return fetch(`${dp.gw.url}/v1/${ACCOUNT}/${gateway}/openai/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: chatBody(content),
  });
}

const gatewayAuth = { 'cf-aig-authorization': `Bearer ${TOKEN}`, 'cf-aig-skip-cache': 'true' };

describe('a request without provider credentials', () => {
  it('gets the provider’s default key', async () => {
    const res = await chat('secure', 'hi', gatewayAuth);
    expect(res.status).toBe(200);
    await res.json();
    expect(dp.fake.requests).toHaveLength(1);
    expect(dp.fake.requests[0]!.headers.authorization).toBe(`Bearer ${OPENAI_DEFAULT}`);
    expect(dp.fake.requests[0]!.headers).not.toHaveProperty('cf-aig-authorization');
  });

  it('gets the key cf-aig-byok-alias names', async () => {
    const res = await chat('secure', 'hi', { ...gatewayAuth, 'cf-aig-byok-alias': 'team' });
    expect(res.status).toBe(200);
    await res.json();
    expect(dp.fake.requests[0]!.headers.authorization).toBe(`Bearer ${OPENAI_TEAM}`);
    expect(dp.fake.requests[0]!.headers).not.toHaveProperty('cf-aig-byok-alias');
  });

  it('is refused with 400, code 2040, for an alias the provider has no key under', async () => {
    const res = await chat('secure', 'hi', { ...gatewayAuth, 'cf-aig-byok-alias': 'nope' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      success: false,
      result: [],
      messages: [],
      error: [
        {
          code: 2040,
          message: "Provider 'openai' has no BYOK credential named 'nope'. Configured aliases: default, team",
        },
      ],
      name: 'AiGatewayError',
      httpCode: 400,
      internalCode: 2040,
    });
    expect(dp.fake.requests).toHaveLength(0);
    const log = await logById(dp.gw, 'secure', res.headers.get('cf-aig-log-id'));
    expect(log.status_code).toBe(400);
  });

  it('uses the provider’s own header: x-api-key for Anthropic, on its endpoint and through compat', async () => {
    dp.fake.fallback = { json: anthropicMessage('hi there') };
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/secure/anthropic/v1/messages`, {
      method: 'POST',
      headers: { ...gatewayAuth, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [] }),
    });
    expect(res.status).toBe(200);
    await res.json();
    const compat = new OpenAI({
      apiKey: TOKEN,
      baseURL: `${dp.gw.url}/v1/${ACCOUNT}/secure/compat`,
      defaultHeaders: gatewayAuth,
      maxRetries: 0,
    });
    const answer = await compat.chat.completions.create({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(answer.choices[0]!.message.content).toBe('hi there');
    expect(dp.fake.requests.map((r) => [r.headers['x-api-key'], r.headers.authorization])).toEqual([
      [ANTHROPIC_DEFAULT, undefined],
      [ANTHROPIC_DEFAULT, undefined],
    ]);
  });

  it('gets the key through the OpenAI SDK holding only the gateway token (as Cloudflare’s docs set it up)', async () => {
    const openai = new OpenAI({
      apiKey: TOKEN,
      baseURL: `${dp.gw.url}/v1/${ACCOUNT}/secure/openai`,
      defaultHeaders: gatewayAuth,
      maxRetries: 0,
    });
    const answer = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(answer.choices[0]!.message.content).toBe('hello');
    expect(dp.fake.requests[0]!.headers.authorization).toBe(`Bearer ${OPENAI_DEFAULT}`);
  });

  it('gets a step’s key on the universal endpoint, by the step’s alias', async () => {
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/secure`, {
      method: 'POST',
      headers: { ...gatewayAuth, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          provider: 'openai',
          endpoint: 'chat/completions',
          headers: { 'cf-aig-byok-alias': 'team' },
          query: JSON.parse(chatBody('hi')),
        },
      ]),
    });
    expect(res.status).toBe(200);
    await res.json();
    expect(dp.fake.requests[0]!.headers.authorization).toBe(`Bearer ${OPENAI_TEAM}`);
  });

  it('gets no stored key on a gateway without authentication (Cloudflare requires it for stored keys)', async () => {
    const res = await chat('open', 'hi', { 'cf-aig-byok-alias': 'nope' });
    expect(res.status).toBe(200);
    await res.json();
    expect(dp.fake.requests[0]!.headers).not.toHaveProperty('authorization');
  });
});

describe('a request with provider credentials', () => {
  it('keeps its own key, whatever the alias', async () => {
    const res = await chat('secure', 'hi', {
      ...gatewayAuth,
      authorization: 'Bearer sk-client-own',
      'cf-aig-byok-alias': 'nope',
    });
    expect(res.status).toBe(200);
    await res.json();
    expect(dp.fake.requests[0]!.headers.authorization).toBe('Bearer sk-client-own');
  });
});

describe('the cache', () => {
  const cached = { 'cf-aig-authorization': `Bearer ${TOKEN}` };

  it('never lets two keys share an entry', async () => {
    const status = async (headers: Record<string, string>) => {
      const res = await chat('secure', 'cache me', { ...cached, ...headers });
      await res.json();
      return res.headers.get('cf-aig-cache-status');
    };
    expect(await status({})).toBe('MISS');
    expect(await status({ 'cf-aig-byok-alias': 'team' })).toBe('MISS');
    expect(await status({ authorization: 'Bearer sk-client-own' })).toBe('MISS');
    expect(await status({})).toBe('HIT');
    expect(await status({ 'cf-aig-byok-alias': 'team' })).toBe('HIT');
    expect(dp.fake.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${OPENAI_DEFAULT}`,
      `Bearer ${OPENAI_TEAM}`,
      'Bearer sk-client-own',
    ]);
  });
});

describe('rotation and removal', () => {
  it('does not fail a request under way; the next one gets the new key', async () => {
    // In a gateway of its own: the key it rotates is no other test's.
    await cf.aiGateway.create({
      account_id: ACCOUNT,
      id: 'rotating',
      ...requiredGatewaySettings,
      authentication: true,
    });
    const team = await add('rotating', 'openai', 'team', OPENAI_TEAM);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    dp.fake.reply({
      write: async (res) => {
        await released;
        const text = JSON.stringify(openaiCompletion('slow'));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(text);
      },
    });
    const slow = chat('rotating', 'slow', { ...gatewayAuth, 'cf-aig-byok-alias': 'team' });
    while (dp.fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const rotated = await fetch(
      `${apiBase(dp.gw)}/accounts/${ACCOUNT}/ai-gateway/gateways/rotating/provider_configs/${team}`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ secret: OPENAI_ROTATED }),
      },
    );
    expect(rotated.status).toBe(200);
    apiAnswers.push(await rotated.text());
    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ choices: [{ message: { content: 'slow' } }] });
    const next = await chat('rotating', 'after', { ...gatewayAuth, 'cf-aig-byok-alias': 'team' });
    await next.json();
    expect(dp.fake.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${OPENAI_TEAM}`,
      `Bearer ${OPENAI_ROTATED}`,
    ]);
  });

  it('sends no key once the gateway that held it is deleted and made again', async () => {
    await cf.aiGateway.create({
      account_id: ACCOUNT,
      id: 'again',
      ...requiredGatewaySettings,
      authentication: true,
    });
    await cf.aiGateway.providerConfigs.create('again', {
      account_id: ACCOUNT,
      provider_slug: 'openai',
      alias: 'default',
      default_config: true,
      secret: OPENAI_DEFAULT,
    });
    const before = await chat('again', 'hi', gatewayAuth);
    await before.json();
    await cf.aiGateway.delete('again', { account_id: ACCOUNT });
    await cf.aiGateway.create({
      account_id: ACCOUNT,
      id: 'again',
      ...requiredGatewaySettings,
      authentication: true,
    });
    const after = await chat('again', 'hi', gatewayAuth);
    await after.json();
    expect(dp.fake.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${OPENAI_DEFAULT}`,
      undefined,
    ]);
  });
});

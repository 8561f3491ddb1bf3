// The universal endpoint (fallback chains) and the unified OpenAI-compatible endpoint, through a fake
// upstream; then `--mock` mode with both SDKs and no upstream at all.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import {
  ACCOUNT,
  anthropicMessage,
  anthropicStreamFrames,
  logById,
  openaiCompletion,
  storedLogs,
} from '../helpers/fake-upstream.js';
import { dataPlaneFixture, startTestGateway } from '../helpers/local-gateway.js';

const dp = dataPlaneFixture({
  upstreams: (url) => ({ openai: `${url}/v1`, anthropic: url }),
  gateways: { gw: {} },
  fallback: { json: openaiCompletion('fine') },
});

async function universal(steps: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof steps === 'string' ? steps : JSON.stringify(steps),
  });
  const text = await res.text();
  return { res, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const chatQuery = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

describe('universal endpoint', () => {
  it('falls back to step 1 when step 0 answers 503, and logs both steps', async () => {
    dp.fake.reply({ status: 503, json: { error: 'overloaded' } });
    dp.fake.reply({ json: anthropicMessage('from step one') });
    const { res, json } = await universal(
      [
        {
          provider: 'openai',
          endpoint: 'chat/completions',
          headers: { authorization: 'Bearer sk-openai' },
          query: chatQuery,
        },
        {
          provider: 'anthropic',
          endpoint: 'v1/messages',
          headers: { 'x-api-key': 'sk-ant', 'anthropic-version': '2023-06-01' },
          query: { model: 'claude-opus-4-7', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
        },
      ],
      { 'cf-aig-metadata': '{"run":"u1"}' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cf-aig-step')).toBe('1');
    expect(json()).toMatchObject({ content: [{ text: 'from step one' }] });

    const [first, second] = dp.fake.requests;
    expect(first).toMatchObject({ path: '/v1/chat/completions' });
    expect(first!.headers.authorization).toBe('Bearer sk-openai');
    expect(first!.json()).toEqual(chatQuery);
    expect(second).toMatchObject({ path: '/v1/messages' });
    expect(second!.headers['x-api-key']).toBe('sk-ant');
    expect(second!.headers['content-type']).toBe('application/json');
    expect(second!.headers['cf-aig-metadata']).toBeUndefined();

    const logs = storedLogs(dp.gw, 'gw').slice(-2);
    expect(logs.map((l) => [l.step, l.provider, l.status_code, l.request_type])).toEqual([
      [0, 'openai', 503, 'universal'],
      [1, 'anthropic', 200, 'universal'],
    ]);
    expect(logs[1]!.id).toBe(res.headers.get('cf-aig-log-id'));
    expect(JSON.parse(logs[1]!.metadata!)).toEqual({ run: 'u1' });
    expect(logs[1]).toMatchObject({ model: 'claude-opus-4-7', tokens_in: 12, tokens_out: 6 });
  });

  it('answers from step 0 when it succeeds, and accepts a single step object', async () => {
    const { res } = await universal({
      provider: 'openai',
      endpoint: 'v1/chat/completions',
      query: chatQuery,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cf-aig-step')).toBe('0');
    expect(dp.fake.requests).toHaveLength(1);
    expect(dp.fake.requests[0]!.path).toBe('/v1/chat/completions');
  });

  it('moves on after a step timeout, and passes the last failure through', async () => {
    dp.fake.reply({ hang: true }, { status: 500, json: { error: 'also down' } });
    const { res, json } = await universal([
      { provider: 'openai', endpoint: 'chat/completions', query: chatQuery, config: { requestTimeout: 100 } },
      { provider: 'openai', endpoint: 'chat/completions', query: chatQuery },
    ]);
    expect(res.status).toBe(500);
    expect(res.headers.get('cf-aig-step')).toBe('1');
    expect(json()).toEqual({ error: 'also down' });
    const logs = storedLogs(dp.gw, 'gw').slice(-2);
    expect(logs.map((l) => [l.step, l.status_code])).toEqual([
      [0, 504],
      [1, 500],
    ]);
  });

  it('retries within a step before falling back, and step headers override request headers', async () => {
    dp.fake.reply({ status: 503, json: {} }, { status: 503, json: {} });
    const { res } = await universal(
      [
        {
          provider: 'openai',
          endpoint: 'chat/completions',
          headers: { 'cf-aig-max-attempts': '2' },
          query: chatQuery,
        },
        { provider: 'openai', endpoint: 'chat/completions', query: chatQuery },
      ],
      { 'cf-aig-max-attempts': '1', 'x-trace': 'outer' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cf-aig-step')).toBe('1');
    expect(dp.fake.requests).toHaveLength(3);
    expect(dp.fake.requests.every((r) => r.headers['x-trace'] === 'outer')).toBe(true);
  });

  it('a per-step cache TTL overrides the request-level one', async () => {
    const steps = [{ provider: 'openai', endpoint: 'chat/completions', query: { ...chatQuery, seed: 7 } }];
    const h = { 'cf-aig-cache-ttl': '300' };
    expect((await universal(steps, h)).res.headers.get('cf-aig-cache-status')).toBe('MISS');
    expect((await universal(steps, h)).res.headers.get('cf-aig-cache-status')).toBe('HIT');
    const noCache = [{ ...steps[0], headers: { 'cf-aig-cache-ttl': '0' } }];
    expect((await universal(noCache, h)).res.headers.get('cf-aig-cache-status')).toBeNull();
    expect(dp.fake.requests).toHaveLength(2);
  });

  it('answers 400 for malformed JSON and invalid steps, without calling a provider', async () => {
    for (const body of [
      '{not json',
      '[]',
      '[1]',
      JSON.stringify([{ provider: 'openai' }]),
      JSON.stringify([{ provider: 'nope', endpoint: 'x', query: {} }]),
      JSON.stringify([
        { provider: 'openai', endpoint: 'x', query: {}, headers: { 'cf-aig-max-attempts': '9' } },
      ]),
    ]) {
      const { res, json } = await universal(body);
      expect(res.status, body).toBe(400);
      expect(json()).toMatchObject({ name: 'AiGatewayError' });
    }
    expect(dp.fake.requests).toHaveLength(0);
  });

  it('names where an invalid option came from: the step config key, or the header', async () => {
    const step = (extra: Record<string, unknown>) => [
      { provider: 'openai', endpoint: 'chat/completions', query: chatQuery, ...extra },
    ];
    const message = async (steps: unknown) =>
      ((await universal(steps)).json().error as { message: string }[])[0]!.message;
    expect(await message(step({ config: { requestTimeout: 'soon' } }))).toBe(
      'Universal step 0: Invalid config.requestTimeout: expected a whole number from 1 to 3600000',
    );
    expect(await message(step({ config: { backoff: 'random' } }))).toMatch(/Invalid config\.backoff:/);
    expect(await message(step({ headers: { 'cf-aig-max-attempts': '9' } }))).toMatch(
      /Invalid cf-aig-max-attempts header:/,
    );
    expect(dp.fake.requests).toHaveLength(0);
  });
});

describe('response headers', () => {
  const headersOf = (res: Response) => ({
    log: res.headers.get('cf-aig-log-id'),
    request: res.headers.get('cf-aig-request-id'),
    provider: res.headers.get('cf-aig-provider'),
    model: res.headers.get('cf-aig-model'),
  });

  it('cf-aig-request-id equals cf-aig-log-id when one step answers', async () => {
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatQuery),
    });
    const h = headersOf(res);
    expect(h.log).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(h.request).toBe(h.log);
    // The provider endpoint names its provider in the URL: nothing to add.
    expect(h.provider).toBeNull();
    expect(h.model).toBeNull();
  });

  it('after a fallback, cf-aig-request-id stays the first step’s log id', async () => {
    dp.fake.reply({ status: 503, json: {} });
    const step = { provider: 'openai', endpoint: 'chat/completions', query: chatQuery };
    const { res } = await universal([step, step]);
    expect(res.headers.get('cf-aig-step')).toBe('1');
    const logs = storedLogs(dp.gw, 'gw').slice(-2);
    expect(headersOf(res).log).toBe(logs[1]!.id);
    expect(headersOf(res).request).toBe(logs[0]!.id);
  });

  it('a refusal after admission carries both ids', async () => {
    const { res } = await universal('{not json');
    expect(res.status).toBe(400);
    expect(headersOf(res).request).toBe(headersOf(res).log);
    expect(headersOf(res).log).toBeTruthy();
  });

  it('the compat endpoint names the provider and model it used (cf-aig-provider, cf-aig-model), on hits too', async () => {
    dp.fake.reply({ json: anthropicMessage('named') });
    const send = () =>
      fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/compat/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-aig-cache-ttl': '120' },
        body: JSON.stringify({ ...chatQuery, model: 'anthropic/claude-opus-4-7' }),
      });
    const miss = await send();
    expect(miss.status).toBe(200);
    expect(headersOf(miss)).toMatchObject({ provider: 'anthropic', model: 'claude-opus-4-7' });
    expect(headersOf(miss).request).toBe(headersOf(miss).log);
    const hit = await send();
    expect(hit.headers.get('cf-aig-cache-status')).toBe('HIT');
    expect(headersOf(hit)).toMatchObject({ provider: 'anthropic', model: 'claude-opus-4-7' });
    expect(dp.fake.requests).toHaveLength(1);
  });

  it('leaves out a model name that cannot travel in a header', async () => {
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/compat/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...chatQuery, model: 'openai/gpt-4o\nx-evil: 1' }),
    });
    expect(res.status).toBe(200);
    expect(headersOf(res)).toMatchObject({ provider: 'openai', model: null });
    expect(res.headers.get('x-evil')).toBeNull();
  });
});

describe('compat endpoint', () => {
  const compat = (headers: Record<string, string> = {}) =>
    new OpenAI({
      apiKey: 'sk-ant-compat',
      baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/compat`,
      maxRetries: 0,
      defaultHeaders: headers,
    });

  it('translates to Anthropic and back', async () => {
    dp.fake.reply({ json: anthropicMessage('translated answer') });
    const { data, response } = await compat({ 'cf-aig-event-id': 'c1' })
      .chat.completions.create({
        model: 'anthropic/claude-opus-4-7',
        messages: [
          { role: 'system', content: 'be nice' },
          { role: 'user', content: 'hello' },
        ],
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]!.message.content).toBe('translated answer');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6 });

    const got = dp.fake.requests[0]!;
    expect(got.path).toBe('/v1/messages');
    expect(got.headers['x-api-key']).toBe('sk-ant-compat');
    expect(got.headers.authorization).toBeUndefined();
    expect(got.headers['anthropic-version']).toBeDefined();
    const sent = got.json();
    expect(sent.model).toBe('claude-opus-4-7');
    expect(sent.system).toBe('be nice');
    expect(sent.messages).toEqual([{ role: 'user', content: 'hello' }]);
    expect(sent.max_tokens).toBeGreaterThan(0);

    const log = await logById(dp.gw, 'gw', response.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({
      provider: 'anthropic',
      model: 'claude-opus-4-7',
      path: 'compat/chat/completions',
      tokens_in: 12,
      tokens_out: 6,
      event_id: 'c1',
    });
  });

  it('translates an Anthropic stream into OpenAI chunks', async () => {
    dp.fake.reply({ frames: anthropicStreamFrames(['Stre', 'amed']) });
    const stream = await compat().chat.completions.create({
      model: 'anthropic/claude-opus-4-7',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
    });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe('Streamed');
    expect(finish).toBe('stop');
    expect(dp.fake.requests[0]!.json().stream).toBe(true);
  });

  it('passes OpenAI through with the bare model name', async () => {
    const { choices } = await compat().chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(choices[0]!.message.content).toBe('fine');
    expect(dp.fake.requests[0]).toMatchObject({ path: '/v1/chat/completions' });
    expect(dp.fake.requests[0]!.json().model).toBe('gpt-4o-mini');
    expect(dp.fake.requests[0]!.headers.authorization).toBe('Bearer sk-ant-compat');
  });

  it('translates a provider error into an OpenAI error with the same status', async () => {
    dp.fake.reply({
      status: 400,
      json: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens too large' } },
    });
    const err = await compat()
      .chat.completions.create({
        model: 'anthropic/claude-opus-4-7',
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('max_tokens too large');
  });

  it('answers 400 for malformed JSON or a model without a provider', async () => {
    for (const body of [
      '{"model":',
      '{"model":"gpt-4o-mini","messages":[]}',
      '{"model":"nope/x","messages":[]}',
    ]) {
      const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/compat/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status, body).toBe(400);
      expect(await res.json()).toMatchObject({ name: 'AiGatewayError', success: false });
    }
    expect(dp.fake.requests).toHaveLength(0);
  });

  it('runs as a universal step', async () => {
    dp.fake.reply({ json: anthropicMessage('via universal compat') });
    const { res, json } = await universal([
      {
        provider: 'compat',
        endpoint: 'chat/completions',
        headers: { authorization: 'Bearer sk-ant-u' },
        query: { model: 'anthropic/claude-opus-4-7', messages: [{ role: 'user', content: 'x' }] },
      },
    ]);
    expect(res.status).toBe(200);
    expect(json()).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'via universal compat' } }],
    });
    expect(dp.fake.requests[0]!.headers['x-api-key']).toBe('sk-ant-u');
  });
});

describe('--mock mode', () => {
  let mocked: LocalGateway;
  beforeAll(async () => {
    mocked = await startTestGateway({ mock: true });
  });
  afterAll(async () => {
    await mocked.close();
  });

  it('answers the OpenAI and Anthropic SDKs end to end with no upstream, streaming and not', async () => {
    const openai = new OpenAI({
      apiKey: 'k',
      baseURL: `${mocked.url}/v1/${ACCOUNT}/default/openai`,
      maxRetries: 0,
    });
    const chat = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello, mock!' }],
    });
    expect(chat.choices[0]!.message.content).toBe('Mock reply to: "Hello, mock!"');
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream, mock!' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Mock reply to: "Stream, mock!"');

    const anthropic = new Anthropic({
      apiKey: 'k',
      baseURL: `${mocked.url}/v1/${ACCOUNT}/default/anthropic`,
      maxRetries: 0,
    });
    const msg = await anthropic.messages.create({
      model: 'claude-opus-4-7',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi Claude' }],
    });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Mock reply to: "Hi Claude"' });
    const final = await anthropic.messages
      .stream({ model: 'claude-opus-4-7', max_tokens: 100, messages: [{ role: 'user', content: 'Stream' }] })
      .finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Mock reply to: "Stream"' });

    const compat = new OpenAI({
      apiKey: 'k',
      baseURL: `${mocked.url}/v1/${ACCOUNT}/default/compat`,
      maxRetries: 0,
    });
    const translated = await compat.chat.completions.create({
      model: 'anthropic/claude-opus-4-7',
      messages: [{ role: 'user', content: 'Via compat' }],
    });
    expect(translated.choices[0]!.message.content).toBe('Mock reply to: "Via compat"');

    const logs = storedLogs(mocked, 'default');
    expect(logs.length).toBeGreaterThanOrEqual(4);
    expect(logs[0]).toMatchObject({ provider: 'openai', status_code: 200, tokens_in: 3, tokens_out: 8 });
  });
});

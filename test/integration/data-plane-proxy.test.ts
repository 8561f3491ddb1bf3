// Provider endpoints through the local gateway with the real OpenAI and Anthropic SDKs: what reaches the
// provider (headers, path, body), what comes back (JSON and SSE, unchanged), and the stored logs.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  anthropicMessage,
  anthropicStreamFrames,
  createGateway,
  logById,
  openaiCompletion,
  openaiStream,
  storedLogs,
} from '../helpers/fake-upstream.js';
import { dataPlaneFixture, startTestGateway } from '../helpers/local-gateway.js';

const dp = dataPlaneFixture({
  upstreams: (url) => ({ openai: `${url}/v1`, anthropic: url }),
  gateways: { gw: {} },
});

function openai(headers: Record<string, string> = {}, apiKey = 'sk-test-1') {
  return new OpenAI({
    apiKey,
    baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/openai`,
    maxRetries: 0,
    defaultHeaders: headers,
  });
}

function anthropic(headers: Record<string, string> = {}) {
  return new Anthropic({
    apiKey: 'sk-ant-test',
    baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/anthropic`,
    maxRetries: 0,
    defaultHeaders: headers,
  });
}

describe('openai provider endpoint', () => {
  it('passes the body and the provider headers through and strips every cf-aig-* header', async () => {
    dp.fake.reply({ json: openaiCompletion('hello there'), headers: { 'x-request-id': 'req_123' } });
    const { data, response } = await openai({
      'cf-aig-metadata': '{"user":"u1"}',
      'cf-aig-event-id': 'evt-1',
      'cf-aig-collect-log-payload': 'true',
      'cf-cache-ttl': '0',
      'cf-skip-cache': 'false',
      'x-custom': 'kept',
    })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();

    expect(data.choices[0]!.message.content).toBe('hello there');
    expect(response.headers.get('x-request-id')).toBe('req_123');
    expect(response.headers.get('cf-aig-log-id')).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(response.headers.get('cf-aig-event-id')).toBe('evt-1');
    expect(response.headers.get('cf-aig-cache-status')).toBeNull();

    expect(dp.fake.requests).toHaveLength(1);
    const got = dp.fake.requests[0]!;
    expect(got.method).toBe('POST');
    expect(got.path).toBe('/v1/chat/completions');
    expect(got.headers.authorization).toBe('Bearer sk-test-1');
    expect(got.headers['x-custom']).toBe('kept');
    expect(got.headers.host).toBe(new URL(dp.fake.url).host);
    const forwarded = Object.keys(got.headers).filter((h) => h.startsWith('cf-'));
    expect(forwarded).toEqual([]);
    expect(got.json()).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

    const log = await logById(dp.gw, 'gw', response.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({
      id: response.headers.get('cf-aig-log-id'),
      provider: 'openai',
      model: 'gpt-4o-mini',
      path: 'chat/completions',
      status_code: 200,
      success: 1,
      cached: 0,
      tokens_in: 11,
      tokens_out: 7,
      event_id: 'evt-1',
      request_type: null,
      request_content_type: 'application/json',
      response_content_type: 'application/json',
      error: null,
    });
    expect(JSON.parse(log!.metadata!)).toEqual({ user: 'u1' });
    expect(log!.user_agent).toMatch(/OpenAI/);
    expect(JSON.parse(log!.request_head!).authorization).toBeUndefined();
    expect(JSON.parse(Buffer.from(log!.request_body!).toString()).model).toBe('gpt-4o-mini');
    expect(JSON.parse(Buffer.from(log!.response_body!).toString()).choices[0].message.content).toBe(
      'hello there',
    );
  });

  it('accepts the upstream v1/ in the path for a base that already ends in /v1', async () => {
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/openai/v1/models?limit=2`, {
      headers: { authorization: 'Bearer sk-x' },
    });
    expect(res.status).toBe(200);
    expect(dp.fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', query: 'limit=2' });
  });

  it('streams SSE through chunk by chunk, unchanged, and reads usage from the stream', async () => {
    const pieces = ['Hel', 'lo', ' wor', 'ld'];
    dp.fake.reply({ sse: openaiStream(pieces), intervalMs: 5 });
    const { data: stream, response } = await openai()
      .chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'stream please' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = '';
    let usage: unknown = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello world');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3 });
    const log = await logById(dp.gw, 'gw', response.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ status_code: 200, success: 1, tokens_in: 5, tokens_out: 3 });
    expect(log.response_content_type).toMatch(/text\/event-stream/);
    expect(Buffer.from(log.response_body!).toString()).toContain('data: [DONE]');
  });

  it('forwards the first streamed byte before the upstream finishes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    dp.fake.reply({
      write: async (res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"first":true}\n\n');
        await gate;
        res.end('data: [DONE]\n\n');
      },
    });
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: '{"model":"gpt-4o-mini","stream":true}',
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('data: {"first":true}\n\n');
    release();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += Buffer.from(value).toString();
    }
    expect(rest).toBe('data: [DONE]\n\n');
  });

  it('passes a provider error through unchanged, status and body', async () => {
    dp.fake.reply({
      status: 401,
      json: {
        error: {
          message: 'Incorrect API key provided',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    });
    const err = await openai()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    const logs = storedLogs(dp.gw, 'gw');
    expect(logs[logs.length - 1]).toMatchObject({ status_code: 401, success: 0 });
  });

  it('passes a non-JSON body through untouched', async () => {
    const bytes = Buffer.from([0, 1, 2, 3, 250, 251, 252]);
    dp.fake.reply({ body: Buffer.from('audio-bytes'), headers: { 'content-type': 'audio/mpeg' } });
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/openai/audio/transcriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: 'Bearer k' },
      body: bytes,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('audio-bytes');
    expect(dp.fake.requests[0]!.body.equals(bytes)).toBe(true);
  });
  it('keeps a credential sent in the query string out of the log', async () => {
    dp.fake.reply({ json: openaiCompletion('ok') });
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions?key=AIzaQuerySecret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"gpt-4o-mini"}',
    });
    expect(res.status).toBe(200);
    expect(dp.fake.requests[0]!.query).toBe('key=AIzaQuerySecret');
    const log = await logById(dp.gw, 'gw', res.headers.get('cf-aig-log-id'));
    expect(log.path).toBe('chat/completions');
    expect(JSON.stringify(log)).not.toContain('AIzaQuerySecret');
  });

  it('answers a JSON body over 1 MB whole and logs its first 1 MB, as it does a streamed one', async () => {
    const big = JSON.stringify({ id: 'chatcmpl-big', filler: 'x'.repeat(1_500_000) });
    const stream = `data: ${'y'.repeat(1_500_000)}\n\n`;
    dp.fake.reply({ body: big, headers: { 'content-type': 'application/json' } });
    dp.fake.reply({ body: stream, headers: { 'content-type': 'text/event-stream' } });
    const base = `${dp.gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions`;
    for (const sent of [big, stream]) {
      const res = await fetch(base, { method: 'POST', body: '{"model":"gpt-4o-mini"}' });
      expect(await res.text()).toBe(sent);
      const log = await logById(dp.gw, 'gw', res.headers.get('cf-aig-log-id'));
      expect(log.response_size).toBe(sent.length);
      expect(Buffer.from(log.response_body!).toString()).toBe(sent.slice(0, 1024 * 1024));
    }
  });
  it('passes empty answers through: 204, HEAD, and an empty 200 JSON body', async () => {
    dp.fake.reply(
      { status: 204, body: '', headers: { 'content-type': 'application/json' } },
      { body: '', headers: { 'content-type': 'application/json' } },
    );
    const base = `${dp.gw.url}/v1/${ACCOUNT}/gw/openai`;
    const deleted = await fetch(`${base}/files/f1`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const empty = await fetch(`${base}/files/f2`, { method: 'POST', body: '{}' });
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('');
    dp.fake.reply({ json: { a: 1 } });
    const head = await fetch(`${base}/models`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(dp.fake.requests.map((r) => r.method)).toEqual(['DELETE', 'POST', 'HEAD']);
  });
});

describe('anthropic provider endpoint', () => {
  it('passes x-api-key and anthropic-version through and returns the message', async () => {
    dp.fake.reply({ json: anthropicMessage('bonjour') });
    const msg = await anthropic({ 'cf-aig-metadata': '{"team":"a"}' }).messages.create({
      model: 'claude-opus-4-7',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'salut' }],
    });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'bonjour' });
    const got = dp.fake.requests[0]!;
    expect(got.path).toBe('/v1/messages');
    // This SDK version sends its API key as a bearer token; whichever it uses reaches the provider.
    expect(got.headers['x-api-key'] ?? got.headers.authorization).toMatch(/sk-ant-test$/);
    expect(got.headers['anthropic-version']).toBeDefined();
    expect(got.headers['cf-aig-metadata']).toBeUndefined();
    const logs = storedLogs(dp.gw, 'gw');
    expect(logs[logs.length - 1]).toMatchObject({
      provider: 'anthropic',
      model: 'claude-opus-4-7',
      path: 'v1/messages',
      tokens_in: 12,
      tokens_out: 6,
    });
  });

  it('streams a message', async () => {
    dp.fake.reply({ frames: anthropicStreamFrames(['Bon', 'jour']) });
    const stream = anthropic().messages.stream({
      model: 'claude-opus-4-7',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'salut' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Bonjour' });
    const { response } = await stream.withResponse();
    const log = await logById(dp.gw, 'gw', response.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ provider: 'anthropic', status_code: 200, tokens_in: 9, tokens_out: 4 });
  });
});

describe('routing', () => {
  it('answers 400 for an unknown provider and for a custom provider with no base URL', async () => {
    for (const provider of ['nope', 'custom-mine']) {
      const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/${provider}/x`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: number; message: string }[]; name: string };
      expect(body.name).toBe('AiGatewayError');
      expect(body.error[0]!.code).toBe(2002);
      expect(body.error[0]!.message).toContain(provider);
    }
    expect(dp.fake.requests).toHaveLength(0);
  });

  it('sends custom-{slug} providers to their configured base URL', async () => {
    const custom = await startTestGateway({ upstreams: { 'custom-mine': `${dp.fake.url}/api` } });
    try {
      createGateway(custom, 'gw');
      const res = await fetch(`${custom.url}/v1/${ACCOUNT}/gw/custom-mine/v2/run?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'abc' },
        body: '{"model":"m1"}',
      });
      expect(res.status).toBe(200);
      expect(dp.fake.requests[0]).toMatchObject({ path: '/api/v2/run', query: 'x=1' });
      expect(dp.fake.requests[0]!.headers['x-api-key']).toBe('abc');
    } finally {
      await custom.close();
    }
  });
});

import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, mockBaseUrl, startMockUpstream } from '../../src/local/mock/server.js';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(async () => {
  await mock.close();
});

function openai(options: { maxRetries?: number; timeout?: number } = {}) {
  return new OpenAI({ apiKey: 'k', baseURL: mockBaseUrl(mock, 'openai'), maxRetries: 0, ...options });
}
function anthropic() {
  return new Anthropic({ apiKey: 'k', baseURL: mockBaseUrl(mock, 'anthropic'), maxRetries: 0 });
}

const hello = [{ role: 'user' as const, content: 'Hello, mock!' }];

describe('mock upstream with the openai SDK', () => {
  it('answers chat completions deterministically', async () => {
    const a = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    const b = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    expect(a.choices[0]?.message.content).toBe('Mock reply to: "Hello, mock!"');
    expect(a.choices[0]?.finish_reason).toBe('stop');
    expect(a.model).toBe('gpt-4o-mini');
    expect(a.id).toMatch(/^chatcmpl-/);
    expect(a).toEqual(b);
    expect(a.usage).toEqual(
      expect.objectContaining({ prompt_tokens: 3, completion_tokens: 8, total_tokens: 11 }),
    );
    const other = await openai().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Something else' }],
    });
    expect(other.id).not.toBe(a.id);
  });

  it('quotes only the first 60 characters of the last user message', async () => {
    const long = 'x'.repeat(100);
    const r = await openai().chat.completions.create({
      model: 'm',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: long }] },
      ],
    });
    expect(r.choices[0]?.message.content).toBe(`Mock reply to: "${'x'.repeat(60)}"`);
  });

  it('cuts the reply at max_tokens with finish_reason length', async () => {
    const r = await openai().chat.completions.create({
      model: 'm',
      messages: hello,
      max_completion_tokens: 2,
    });
    expect(r.choices[0]?.message.content).toBe('Mock rep');
    expect(r.choices[0]?.finish_reason).toBe('length');
    expect(r.usage?.completion_tokens).toBe(2);
  });

  it('answers a forced tool choice with a tool call', async () => {
    const r = await openai().chat.completions.create({
      model: 'm',
      messages: hello,
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
      tool_choice: 'required',
    });
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
    const call = r.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function).toEqual({ name: 'lookup', arguments: '{}' });
  });

  it('streams chunks with usage when include_usage is set', async () => {
    const stream = await openai().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: hello,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Mock reply to: "Hello, mock!"');
    expect(chunks).toBeGreaterThan(4);
    expect(finish).toBe('stop');
    expect(usage?.total_tokens).toBe(11);
  });

  it('streams without usage when not asked, with SSE headers and no content-length', async () => {
    const { data, response } = await openai()
      .chat.completions.create({ model: 'm', messages: hello, stream: true })
      .withResponse();
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('content-length')).toBeNull();
    for await (const chunk of data) expect(chunk.usage ?? undefined).toBeUndefined();
  });

  it('answers the responses API, streamed and not', async () => {
    const r = await openai().responses.create({ model: 'gpt-5-mini', input: 'Hi there' });
    expect(r.output_text).toBe('Mock reply to: "Hi there"');
    expect(r.usage?.output_tokens).toBeGreaterThan(0);
    const stream = openai().responses.stream({ model: 'gpt-5-mini', input: 'Hi there' });
    let deltas = '';
    stream.on('response.output_text.delta', (e) => {
      deltas += e.delta;
    });
    const final = await stream.finalResponse();
    expect(deltas).toBe('Mock reply to: "Hi there"');
    expect(final.output_text).toBe(deltas);
  });

  it('answers embeddings (base64 by default in the SDK) and the models list', async () => {
    const e = await openai().embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(e.data).toHaveLength(2);
    expect(e.data[0]?.embedding).toHaveLength(8);
    const norm = Math.hypot(...(e.data[0]?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 5);
    expect(e.data[0]?.embedding).not.toEqual(e.data[1]?.embedding);
    const again = await openai().embeddings.create({
      model: 'text-embedding-3-small',
      input: 'a',
      encoding_format: 'float',
      dimensions: 8,
    });
    expect(again.data[0]?.embedding).toEqual(e.data[0]?.embedding.map((v) => expect.closeTo(v, 6)));
    const models = await openai().models.list();
    expect(models.data.map((m) => m.id)).toContain('mock-model');
  });

  it('injects a status the SDK sees, in OpenAI error shape', async () => {
    const err = await openai()
      .chat.completions.create({ model: 'm', messages: hello }, { headers: { 'x-mock-status': '503' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((err as InstanceType<typeof OpenAI.APIError>).type).toBe('server_error');
    const viaModel = await openai()
      .chat.completions.create({ model: 'gpt-4o@fail=429', messages: hello })
      .catch((e: unknown) => e);
    expect(viaModel).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('resets the connection: APIConnectionError', async () => {
    const err = await openai()
      .chat.completions.create({ model: 'm', messages: hello }, { headers: { 'x-mock-fail': 'reset' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(err).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it('never answers on timeout: the client gives up', async () => {
    const started = performance.now();
    const err = await openai({ timeout: 300 })
      .chat.completions.create({ model: 'm@fail=timeout', messages: hello })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers garbage that the SDK cannot parse', async () => {
    const res = await fetch(`${mockBaseUrl(mock, 'openai')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mock-fail': 'garbage' },
      body: JSON.stringify({ model: 'm', messages: hello }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow();
    await expect(
      openai().chat.completions.create({ model: 'm@fail=garbage', messages: hello }),
    ).rejects.toThrow();
  });

  it('delays the first byte by x-mock-latency-ms and spaces stream chunks', async () => {
    let started = performance.now();
    await openai().chat.completions.create(
      { model: 'm', messages: hello },
      { headers: { 'x-mock-latency-ms': '150' } },
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);

    started = performance.now();
    const stream = await openai().chat.completions.create({
      model: 'm@chunk-delay=20',
      messages: hello,
      stream: true,
    });
    const arrivals: number[] = [];
    for await (const _ of stream) arrivals.push(performance.now() - started);
    expect(arrivals.length).toBeGreaterThan(4);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual((arrivals.length - 1) * 20 - 10);
  });

  it('fails only the first K requests with the same key, so retries succeed', async () => {
    const headers = { 'x-mock-fail-times': '2', 'x-mock-status': '500', 'x-mock-key': `k-${Math.random()}` };
    const client = openai();
    const call = () => client.chat.completions.create({ model: 'm', messages: hello }, { headers });
    await expect(call()).rejects.toMatchObject({ status: 500 });
    await expect(call()).rejects.toMatchObject({ status: 500 });
    await expect(call()).resolves.toMatchObject({ object: 'chat.completion' });

    // The SDK's own retries see the same behaviour: two failures, then success on the third attempt.
    const retrying = new OpenAI({ apiKey: 'k', baseURL: mockBaseUrl(mock, 'openai'), maxRetries: 2 });
    const key = `r-${Math.random()}`;
    const r = await retrying.chat.completions
      .create({ model: `m@fail-times=2@fail=503@key=${key}`, messages: hello })
      .withResponse();
    expect(r.data.choices[0]?.message.content).toBe('Mock reply to: "Hello, mock!"');
    expect(r.data.model).toBe('m');
  });

  it('answers an unknown path with a 404 that names the mock, in the provider shape but no code it uses', async () => {
    const res = await fetch(`${mock.url}/openai/nope`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-aigw-mock')).toBe('no-route');
    const body = (await res.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('mock_no_route');
    expect(body.error.message).toMatch(/^aigw mock upstream \(--mock\): no answer for POST \/nope/);
    expect(body.error.message).toContain('--upstream openai=URL');
    const a = await fetch(`${mock.url}/anthropic/v1/nope`, { method: 'POST', body: '{}' });
    expect(a.status).toBe(404);
    expect(await a.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: expect.stringContaining('aigw mock upstream') },
    });
  });
});

describe('mock upstream with the anthropic SDK', () => {
  it('answers messages with usage', async () => {
    const m = await anthropic().messages.create({
      model: 'claude-mock',
      max_tokens: 100,
      messages: hello,
    });
    expect(m.content).toEqual([{ type: 'text', text: 'Mock reply to: "Hello, mock!"' }]);
    expect(m.stop_reason).toBe('end_turn');
    expect(m.id).toMatch(/^msg_/);
    expect(m.usage.input_tokens).toBe(3);
    expect(m.usage.output_tokens).toBe(8);
  });

  it('streams messages with usage', async () => {
    const stream = anthropic().messages.stream({
      model: 'claude-mock',
      max_tokens: 100,
      messages: hello,
    });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const final = await stream.finalMessage();
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.join('')).toBe('Mock reply to: "Hello, mock!"');
    expect(final.usage.output_tokens).toBe(8);
    expect(final.usage.input_tokens).toBe(3);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('streams a forced tool call as input_json_delta', async () => {
    const stream = anthropic().messages.stream({
      model: 'claude',
      max_tokens: 100,
      messages: hello,
      tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content[0]).toMatchObject({ type: 'tool_use', name: 'lookup', input: {} });
  });

  it('injects an Anthropic-shaped error', async () => {
    const err = await anthropic()
      .messages.create({ model: 'claude@status=529', max_tokens: 10, messages: hello })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error' },
    });
  });
});

describe('mock upstream, Google shape', () => {
  const url = (model: string, action: string) =>
    `${mockBaseUrl(mock, 'google-ai-studio')}/v1beta/models/${model}:${action}`;
  const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hello, mock!' }] }] });

  it('answers generateContent', async () => {
    const res = await fetch(url('gemini-2.5-flash', 'generateContent'), { method: 'POST', body });
    const json = await res.json();
    expect(json).toMatchObject({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: 'Mock reply to: "Hello, mock!"' }] },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 8, totalTokenCount: 11 },
      modelVersion: 'gemini-2.5-flash',
    });
  });

  it('streams streamGenerateContent?alt=sse with CRLF-terminated events', async () => {
    const res = await fetch(`${url('gemini-2.5-flash', 'streamGenerateContent')}?alt=sse`, {
      method: 'POST',
      body,
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const raw = await res.text();
    const events = raw.split('\r\n\r\n').filter(Boolean);
    expect(events.length).toBeGreaterThan(2);
    const parsed = events.map((e) => JSON.parse(e.slice('data: '.length)));
    expect(parsed.map((p) => p.candidates[0].content.parts[0].text).join('')).toBe(
      'Mock reply to: "Hello, mock!"',
    );
    expect(parsed.at(-1)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { totalTokenCount: 11 },
    });
  });

  it('injects a Google-shaped error through a model suffix in the path', async () => {
    const res = await fetch(url('gemini@status=503', 'generateContent'), { method: 'POST', body });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { code: 503, message: expect.any(String), status: 'UNAVAILABLE' },
    });
  });
});

// The compat adapters between the real OpenAI SDK and the mock upstream: a minimal relay stands in for the
// request pipeline, so that this checks the translated wire shapes, not routing.
import { createServer, type Server } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatAdapterFor, parseCompatModel } from '../../src/local/compat/index.js';
import { type MockUpstream, mockBaseUrl, startMockUpstream } from '../../src/local/mock/server.js';

/** `created` the gateway's clock gives a translated answer (epoch seconds). */
const CREATED = 1767225600;

let mock: MockUpstream;
let relay: Server;
let relayUrl: string;
const seenUpstream: { url: string; headers: Record<string, string> }[] = [];

beforeAll(async () => {
  mock = await startMockUpstream();
  relay = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const target = parseCompatModel(body.model);
    if ('error' in target) {
      res.writeHead(400).end(JSON.stringify({ error: { message: target.error } }));
      return;
    }
    const adapter = compatAdapterFor(target.provider);
    const stream = body.stream === true;
    const upstream = adapter.toUpstream(body, target, req.headers.authorization);
    const url = mockBaseUrl(mock, target.provider) + adapter.upstreamPath(target, stream);
    seenUpstream.push({ url, headers: upstream.headers });
    const answer = await fetch(url, { method: 'POST', headers: upstream.headers, body: upstream.body });
    if (!stream || !answer.ok) {
      const json = await answer.json();
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(adapter.fromUpstream(answer.status, json, target, CREATED)));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const translator = adapter.streamTranslator(target, CREATED);
    for await (const piece of answer.body!) res.write(translator.push(Buffer.from(piece)));
    res.end(translator.end());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  relayUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/compat`;
});

afterAll(async () => {
  await new Promise((resolve) => relay.close(resolve));
  await mock.close();
});

const client = () => new OpenAI({ apiKey: 'provider-key', baseURL: relayUrl, maxRetries: 0 });
const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Wie geht’s? 😀' },
];
const reply = 'Mock reply to: "Wie geht’s? 😀"';
const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object' } } }];

describe.each([
  ['anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5', '/anthropic/v1/messages', 'x-api-key'],
  [
    'google-ai-studio/gemini-2.5-flash',
    'gemini-2.5-flash',
    '/google-ai-studio/v1beta/models/gemini-2.5-flash:',
    'x-goog-api-key',
  ],
  ['openai/gpt-5-mini', 'gpt-5-mini', '/openai/chat/completions', 'authorization'],
  ['mistral/mistral-small', 'mistral-small', '/mistral/v1/chat/completions', 'authorization'],
])('compat %s through the mock', (model, bare, path, authHeader) => {
  it('answers a chat completion', async () => {
    const r = await client().chat.completions.create({ model, messages });
    expect(r.object).toBe('chat.completion');
    expect(r.model).toBe(bare);
    expect(r.choices[0]?.message).toMatchObject({ role: 'assistant', content: reply });
    expect(r.choices[0]?.finish_reason).toBe('stop');
    expect(r.usage?.completion_tokens).toBe(Math.ceil(reply.length / 4));
    expect(r.usage?.total_tokens).toBe((r.usage?.prompt_tokens ?? 0) + (r.usage?.completion_tokens ?? 0));
    const seen = seenUpstream.at(-1)!;
    expect(seen.url).toContain(path);
    expect(seen.headers[authHeader]).toMatch(/provider-key$/);
  });

  it('streams a chat completion that the SDK accumulates', async () => {
    const stream = client().chat.completions.stream({
      model,
      messages,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(reply);
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(final.usage?.completion_tokens).toBe(Math.ceil(reply.length / 4));
  });

  it('returns a forced tool call, streamed and not', async () => {
    const r = await client().chat.completions.create({ model, messages, tools, tool_choice: 'required' });
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
    const call = r.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function).toEqual({ name: 'lookup', arguments: '{}' });

    const final = await client()
      .chat.completions.stream({ model, messages, tools, tool_choice: 'required' })
      .finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: 'lookup', arguments: '{}' },
    });
  });

  it('maps a provider error to an OpenAI error with the same status', async () => {
    const err = await client()
      .chat.completions.create({ model: `${model}@status=429`, messages })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.APIError>).message).toContain('injected HTTP 429');
  });
});

import { describe, expect, it } from 'vitest';
import { compatAdapterFor, parseCompatModel } from '../../src/local/compat/index.js';
import { type SseEvent, SseParser } from '../../src/local/compat/sse.js';

/** `created` the gateway's clock gives a translated answer (epoch seconds). */
const CREATED = 1767225600;

function parseAll(chunks: Buffer[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const c of chunks) parser.push(c, (e) => events.push(e));
  parser.end((e) => events.push(e));
  return events;
}

describe('parseCompatModel', () => {
  it.each([
    ['openai/gpt-5-mini', { provider: 'openai', model: 'gpt-5-mini' }],
    ['anthropic/claude-sonnet-4-5', { provider: 'anthropic', model: 'claude-sonnet-4-5' }],
    [
      'workers-ai/@cf/meta/llama-3.1-8b-instruct',
      { provider: 'workers-ai', model: '@cf/meta/llama-3.1-8b-instruct' },
    ],
    [
      'google-vertex-ai/google/gemini-2.5-pro',
      { provider: 'google-vertex-ai', model: 'google/gemini-2.5-pro' },
    ],
    ['custom-acme/m', { provider: 'custom-acme', model: 'm' }],
  ])('%s', (input, expected) => {
    expect(parseCompatModel(input)).toEqual(expected);
  });

  it.each([undefined, 42, '', 'gpt-4o', '/gpt-4o', 'openai/'])('rejects %j', (input) => {
    expect(parseCompatModel(input)).toEqual({ error: expect.any(String) });
  });
});

describe('pass-through adapter', () => {
  it.each([
    ['openai', '/chat/completions'],
    ['groq', '/chat/completions'],
    ['deepseek', '/chat/completions'],
    ['cerebras', '/chat/completions'],
    ['perplexity-ai', '/chat/completions'],
    ['mistral', '/v1/chat/completions'],
    ['grok', '/v1/chat/completions'],
    ['openrouter', '/v1/chat/completions'],
    ['workers-ai', '/v1/chat/completions'],
    ['custom-acme', '/chat/completions'],
  ])('%s → %s', (provider, path) => {
    expect(compatAdapterFor(provider).upstreamPath({ provider, model: 'm' }, false)).toBe(path);
    expect(compatAdapterFor(provider).upstreamPath({ provider, model: 'm' }, true)).toBe(path);
  });

  it('only strips the provider prefix from the model and forwards Authorization', () => {
    const adapter = compatAdapterFor('workers-ai');
    const target = { provider: 'workers-ai', model: '@cf/meta/llama-3.1-8b-instruct' };
    const body = {
      model: 'workers-ai/@cf/meta/llama-3.1-8b-instruct',
      messages: [{ role: 'user', content: 'é' }],
      n: 2,
    };
    const out = adapter.toUpstream(body, target, 'Bearer cf-token');
    expect(JSON.parse(out.body.toString())).toEqual({ ...body, model: '@cf/meta/llama-3.1-8b-instruct' });
    expect(out.headers.authorization).toBe('Bearer cf-token');
    expect(adapter.fromUpstream(200, { id: 'x' }, target, CREATED)).toEqual({ id: 'x' });
    const t = adapter.streamTranslator(target, CREATED);
    const bytes = Buffer.from('data: {"a":1}\n\n');
    expect(Buffer.concat([t.push(bytes), t.end()]).equals(bytes)).toBe(true);
  });
});

describe('SseParser', () => {
  const text =
    'event: a\ndata: {"t":"héllo 😀"}\n\n: comment\r\ndata: line1\r\ndata: line2\r\n\r\ndata:nospace\n\n';
  const expected: SseEvent[] = [
    { event: 'a', data: '{"t":"héllo 😀"}' },
    { event: undefined, data: 'line1\nline2' },
    { event: undefined, data: 'nospace' },
  ];

  it('parses events, comments, CRLF and multi-line data', () => {
    expect(parseAll([Buffer.from(text)])).toEqual(expected);
  });

  it('gives the same events for every split point and byte by byte', () => {
    const bytes = Buffer.from(text);
    for (let i = 0; i <= bytes.length; i++) {
      expect(parseAll([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(expected);
    }
    expect(parseAll([...bytes].map((b) => Buffer.from([b])))).toEqual(expected);
  });

  it('flushes a last event without a trailing blank line', () => {
    expect(parseAll([Buffer.from('data: x\n\ndata: y')])).toEqual([
      { event: undefined, data: 'x' },
      { event: undefined, data: 'y' },
    ]);
  });
});

// The mock upstream in providers' own shapes, called directly: Workers AI, Bedrock (JSON and AWS event streams),
// Cohere, Replicate, Hugging Face and ElevenLabs, streamed and not, tool calls, and injected errors in each
// provider's error shape.
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../../src/local/mock/server.js';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(async () => {
  await mock.close();
});

async function call(path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${mock.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes, text: bytes.toString('utf8'), json: () => JSON.parse(bytes.toString('utf8')) };
}

/** SSE `data:` payloads, parsed (`[DONE]` kept as a string). */
function sseData(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((event) =>
      event
        .split('\n')
        .find((l) => l.startsWith('data:'))!
        .replace(/^data: ?/, ''),
    )
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

/** Decodes AWS event stream messages, checking both CRCs. */
function awsEvents(bytes: Buffer): { type: string; payload: Record<string, unknown> }[] {
  const out: { type: string; payload: Record<string, unknown> }[] = [];
  for (let at = 0; at < bytes.length; ) {
    const total = bytes.readUInt32BE(at);
    const headersLength = bytes.readUInt32BE(at + 4);
    expect(bytes.readUInt32BE(at + 8)).toBe(crc32(bytes.subarray(at, at + 8)));
    expect(bytes.readUInt32BE(at + total - 4)).toBe(crc32(bytes.subarray(at, at + total - 4)));
    const headers: Record<string, string> = {};
    for (let h = at + 12; h < at + 12 + headersLength; ) {
      const nameLength = bytes.readUInt8(h);
      const name = bytes.subarray(h + 1, h + 1 + nameLength).toString();
      expect(bytes.readUInt8(h + 1 + nameLength)).toBe(7);
      const valueLength = bytes.readUInt16BE(h + 2 + nameLength);
      headers[name] = bytes.subarray(h + 4 + nameLength, h + 4 + nameLength + valueLength).toString();
      h += 4 + nameLength + valueLength;
    }
    expect(headers[':message-type']).toBe('event');
    const payload = bytes.subarray(at + 12 + headersLength, at + total - 4).toString();
    out.push({ type: headers[':event-type']!, payload: JSON.parse(payload) });
    at += total;
  }
  return out;
}

describe('Workers AI', () => {
  it('runs a prompt, streams it with usage at the end, and embeds with bge models', async () => {
    const run = await call('/workers-ai/run/@cf/meta/llama-3.1-8b-instruct', {
      prompt: 'Tell me',
      max_tokens: 3,
    });
    expect(run.json()).toMatchObject({ result: { response: 'Mock reply t' }, success: true });

    const stream = await call('/workers-ai/run/@cf/meta/llama-3.1-8b-instruct', {
      prompt: 'Hi',
      stream: true,
    });
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseData(stream.text) as { response?: string; usage?: unknown }[];
    expect(events.at(-1)).toBe('[DONE]');
    expect(
      events
        .slice(0, -1)
        .map((e) => e.response)
        .join(''),
    ).toBe('Mock reply to: "Hi"');
    expect(events.at(-2)).toMatchObject({ usage: { prompt_tokens: 1, completion_tokens: 5 } });

    const embed = await call('/workers-ai/run/@cf/baai/bge-base-en-v1.5', { text: ['a', 'b'] });
    const result = embed.json().result;
    expect(result.shape).toEqual([2, 768]);
    expect(result.data[0]).toHaveLength(768);
  });
});

describe('Bedrock', () => {
  const converse = '/aws-bedrock/model/anthropic.claude-3-haiku-20240307-v1%3A0';

  it('converse-stream answers an AWS event stream of Converse events', async () => {
    const { res, bytes } = await call(`${converse}/converse-stream`, {
      messages: [{ role: 'user', content: [{ text: 'Stream it' }] }],
    });
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const events = awsEvents(bytes);
    expect(events[0]).toEqual({ type: 'messageStart', payload: { role: 'assistant' } });
    const text = events
      .filter((e) => e.type === 'contentBlockDelta')
      .map((e) => (e.payload.delta as { text: string }).text)
      .join('');
    expect(text).toBe('Mock reply to: "Stream it"');
    expect(events.map((e) => e.type).slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    expect(events.at(-1)!.payload).toMatchObject({ usage: { inputTokens: 3, outputTokens: 7 } });
  });

  it('converse answers a forced tool with a toolUse block', async () => {
    const { json } = await call(`${converse}/converse`, {
      messages: [{ role: 'user', content: [{ text: 'Weather?' }] }],
      toolConfig: { tools: [{ toolSpec: { name: 'get_weather' } }], toolChoice: { any: {} } },
    });
    expect(json()).toMatchObject({
      output: { message: { content: [{ toolUse: { name: 'get_weather', input: {} } }] } },
      stopReason: 'tool_use',
    });
  });

  it('invoke and invoke-with-response-stream speak Anthropic for Anthropic models', async () => {
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi Claude' }],
    };
    const invoked = await call(`${converse}/invoke`, body);
    expect(invoked.json()).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'Mock reply to: "Hi Claude"' }],
      usage: { input_tokens: 3 },
    });
    const streamed = await call(`${converse}/invoke-with-response-stream`, body);
    const chunks = awsEvents(streamed.bytes).map((e) => {
      expect(e.type).toBe('chunk');
      return JSON.parse(Buffer.from(e.payload.bytes as string, 'base64').toString()) as { type: string };
    });
    expect(chunks[0]!.type).toBe('message_start');
    expect(chunks.at(-1)!.type).toBe('message_stop');
  });

  it('invoke for a model family it does not speak is an error that names the mock', async () => {
    const { res, json } = await call('/aws-bedrock/model/meta.llama3-8b-instruct-v1%3A0/invoke', {
      prompt: 'x',
    });
    expect(res.status).toBe(404);
    expect(json().message).toContain('aigw mock upstream');
  });

  it('an injected status has Bedrock’s error shape and x-amzn-errortype', async () => {
    const { res, json } = await call(`${converse}/converse`, { messages: [] }, { 'x-mock-status': '429' });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
    expect(json()).toEqual({ message: 'Mock upstream: injected HTTP 429' });
  });
});

describe('Cohere', () => {
  it('streams v2 chat as Cohere events with usage at the end', async () => {
    const { text } = await call('/cohere/v2/chat', {
      model: 'command-r',
      stream: true,
      messages: [{ role: 'user', content: 'Stream Cohere' }],
    });
    const events = sseData(text) as { type: string; delta?: Record<string, unknown> }[];
    expect(events.map((e) => e.type)).toEqual([
      'message-start',
      'content-start',
      ...Array(5).fill('content-delta'),
      'content-end',
      'message-end',
    ]);
    expect(events.at(-1)!.delta).toMatchObject({
      finish_reason: 'COMPLETE',
      usage: { billed_units: { input_tokens: 4, output_tokens: 8 } },
    });
  });

  it('answers v1 chat, v2 embed, and a required tool', async () => {
    const v1 = await call('/cohere/v1/chat', { model: 'command-r', message: 'Old API' });
    expect(v1.json()).toMatchObject({ text: 'Mock reply to: "Old API"', finish_reason: 'COMPLETE' });
    const embed = await call('/cohere/v2/embed', {
      model: 'embed-v4.0',
      texts: ['one', 'two'],
      input_type: 'search_document',
      embedding_types: ['float'],
    });
    expect(embed.json().embeddings.float).toHaveLength(2);
    const tool = await call('/cohere/v2/chat', {
      model: 'command-r',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: {} } }],
      tool_choice: 'REQUIRED',
    });
    expect(tool.json()).toMatchObject({
      finish_reason: 'TOOL_CALL',
      message: { tool_calls: [{ type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
    });
  });
});

describe('Replicate, Hugging Face, ElevenLabs', () => {
  it('a Replicate prediction can be fetched again by id; an unknown id is a Replicate 404', async () => {
    const created = await call('/replicate/predictions', { version: 'abc123', input: { prompt: 'Poll me' } });
    expect(created.res.status).toBe(201);
    const prediction = created.json();
    const again = await call(`/replicate/predictions/${prediction.id}`);
    expect(again.json()).toEqual(prediction);
    const missing = await call('/replicate/predictions/nope');
    expect(missing.res.status).toBe(404);
    expect(missing.res.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.json()).toMatchObject({ status: 404 });
  });

  it('Hugging Face streams Text Generation Inference tokens, the last with the whole text', async () => {
    const { text } = await call('/huggingface/gpt2', { inputs: 'Go', stream: true });
    const events = sseData(text) as { token: { text: string }; generated_text: string | null }[];
    expect(events.map((e) => e.token.text).join('')).toBe('Mock reply to: "Go"');
    expect(events.at(-1)!.generated_text).toBe('Mock reply to: "Go"');
    expect(events[0]!.generated_text).toBeNull();
  });

  it('ElevenLabs answers silent MP3 frames as long as the text, streamed too; errors in its shape', async () => {
    const whole = await call('/elevenlabs/v1/text-to-speech/voice1', { text: 'Hello there', model_id: 'm' });
    expect(whole.res.headers.get('character-cost')).toBe('11');
    expect(whole.bytes.length % 417).toBe(0);
    expect(whole.bytes.length / 417).toBe(Math.ceil((11 * 60) / 26));
    const streamed = await call('/elevenlabs/v1/text-to-speech/voice1/stream', { text: 'Hello there' });
    expect(streamed.bytes.equals(whole.bytes)).toBe(true);
    const failed = await call(
      '/elevenlabs/v1/text-to-speech/voice1',
      { text: 'x' },
      { 'x-mock-status': '401' },
    );
    expect(failed.res.status).toBe(401);
    expect(failed.json()).toMatchObject({ detail: { message: 'Mock upstream: injected HTTP 401' } });
  });
});

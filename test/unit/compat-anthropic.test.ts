import { describe, expect, it } from 'vitest';
import { compatAdapterFor } from '../../src/local/compat/index.js';
import { accumulate, splits, translate } from '../helpers/compat-stream.js';

/** `created` the gateway's clock gives a translated answer (epoch seconds). */
const CREATED = 1767225600;

const adapter = compatAdapterFor('anthropic');
const target = { provider: 'anthropic', model: 'claude-sonnet-4-5' };

function upstreamBody(body: Record<string, unknown>) {
  return JSON.parse(adapter.toUpstream(body, target, 'Bearer sk-ant-1').body.toString('utf8'));
}

describe('anthropic request translation', () => {
  it('maps path, auth and the bare model', () => {
    expect(adapter.upstreamPath(target, false)).toBe('/v1/messages');
    expect(adapter.upstreamPath(target, true)).toBe('/v1/messages');
    const out = adapter.toUpstream(
      { model: 'anthropic/claude-sonnet-4-5', messages: [] },
      target,
      'Bearer sk-ant-1',
    );
    expect(out.headers).toEqual({
      'content-type': 'application/json',
      'x-api-key': 'sk-ant-1',
      'anthropic-version': '2023-06-01',
    });
    expect(JSON.parse(out.body.toString()).model).toBe('claude-sonnet-4-5');
    expect(adapter.toUpstream({ messages: [] }, target, undefined).headers['x-api-key']).toBeUndefined();
  });

  it.each([
    ['max_tokens defaults to 4096', {}, { max_tokens: 4096 }],
    ['max_tokens', { max_tokens: 12 }, { max_tokens: 12 }],
    ['max_completion_tokens', { max_completion_tokens: 34 }, { max_tokens: 34 }],
    ['temperature and top_p', { temperature: 0.2, top_p: 0.9 }, { temperature: 0.2, top_p: 0.9 }],
    ['stop string', { stop: 'END' }, { stop_sequences: ['END'] }],
    ['stop list', { stop: ['a', 'b'] }, { stop_sequences: ['a', 'b'] }],
    ['stream', { stream: true, stream_options: { include_usage: true } }, { stream: true }],
    ['user', { user: 'u-1' }, { metadata: { user_id: 'u-1' } }],
  ])('%s', (_name, extra, expected) => {
    const out = upstreamBody({ model: 'x', messages: [{ role: 'user', content: 'hi' }], ...extra });
    expect(out).toMatchObject(expected);
    expect(out).not.toHaveProperty('stream_options');
    expect(out).not.toHaveProperty('max_completion_tokens');
    expect(out).not.toHaveProperty('stop');
  });

  it('moves system messages to system and keeps turns', () => {
    const out = upstreamBody({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Bonjour' },
        { role: 'user', content: [{ type: 'text', text: 'Again' }] },
      ],
    });
    expect(out.system).toBe('Be terse.\n\nUse French.');
    expect(out.messages).toEqual([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: [{ type: 'text', text: 'Bonjour' }] },
      { role: 'user', content: [{ type: 'text', text: 'Again' }] },
    ]);
  });

  it('translates images: data URLs to base64 sources, others to url sources', () => {
    const out = upstreamBody({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
          ],
        },
      ],
    });
    expect(out.messages[0].content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('translates tool calls to tool_use and tool messages to one tool_result turn', () => {
    const out = upstreamBody({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '21C' }] },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Get weather',
            parameters: { type: 'object', properties: {} },
          },
        },
        { type: 'function', function: { name: 'noop' } },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: false,
    });
    expect(out.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '21C' },
        ],
      },
    ]);
    expect(out.tools).toEqual([
      { name: 'weather', description: 'Get weather', input_schema: { type: 'object', properties: {} } },
      { name: 'noop', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(out.tool_choice).toEqual({ type: 'tool', name: 'weather', disable_parallel_tool_use: true });
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
  ])('tool_choice %s', (choice, expected) => {
    const tools = [{ type: 'function', function: { name: 't' } }];
    expect(upstreamBody({ messages: [], tools, tool_choice: choice }).tool_choice).toEqual(expected);
  });
});

describe('anthropic response translation', () => {
  const message = {
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [
      { type: 'thinking', thinking: 'hmm', signature: 's' },
      { type: 'text', text: 'Let me check. ' },
      { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 10, cache_read_input_tokens: 4, cache_creation_input_tokens: 2, output_tokens: 7 },
  };

  it('maps content, tool calls and usage', () => {
    const out = adapter.fromUpstream(200, message, target, CREATED);
    expect(out).toEqual({
      id: 'msg_01',
      object: 'chat.completion',
      created: CREATED,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check. ',
            refusal: null,
            tool_calls: [
              {
                id: 'toolu_1',
                type: 'function',
                function: { name: 'weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 16,
        completion_tokens: 7,
        total_tokens: 23,
        prompt_tokens_details: { cached_tokens: 4 },
      },
    });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
  ])('stop_reason %s → %s', (stop, finish) => {
    const out = adapter.fromUpstream(200, { ...message, stop_reason: stop }, target, CREATED) as {
      choices: { finish_reason: string }[];
    };
    expect(out.choices[0]?.finish_reason).toBe(finish);
  });

  it('maps error bodies to OpenAI errors', () => {
    const body = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    expect(adapter.fromUpstream(529, body, target, CREATED)).toEqual({
      error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: 'overloaded_error' },
    });
    expect(adapter.fromUpstream(502, 'nonsense', target, CREATED)).toMatchObject({
      error: { type: 'api_error', message: expect.stringContaining('502') },
    });
  });
});

const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const anthropicStream = Buffer.from(
  ev('message_start', {
    message: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [],
      stop_reason: null,
      usage: {
        input_tokens: 25,
        cache_read_input_tokens: 5,
        cache_creation_input_tokens: 0,
        output_tokens: 1,
      },
    },
  }) +
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
    ev('ping', {}) +
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Grüße 🌍, ' } }) +
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'ça va? 日本' } }) +
    ev('content_block_stop', { index: 0 }) +
    ev('content_block_start', {
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_01', name: 'weather', input: {} },
    }) +
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }) +
    ev('content_block_delta', {
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '{"city": "Zür' },
    }) +
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: 'ich"}' } }) +
    ev('content_block_stop', { index: 1 }) +
    ev('message_delta', {
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 42 },
    }) +
    ev('message_stop', {}),
);

describe('anthropic stream translation', () => {
  const make = () => adapter.streamTranslator(target, CREATED);

  it('translates text, tool calls, finish reason and usage', () => {
    const acc = accumulate(translate(make, [anthropicStream]));
    expect(acc).toEqual({
      id: 'msg_01',
      model: 'claude-sonnet-4-5-20250929',
      roles: ['assistant'],
      content: 'Grüße 🌍, ça va? 日本',
      toolCalls: [{ id: 'toolu_01', name: 'weather', arguments: '{"city": "Zürich"}' }],
      finishReason: 'tool_calls',
      usage: {
        prompt_tokens: 30,
        completion_tokens: 42,
        total_tokens: 72,
        prompt_tokens_details: { cached_tokens: 5 },
      },
      done: true,
      errors: [],
    });
  });

  it('gives identical output for every split point, including inside multi-byte characters', () => {
    const whole = translate(make, [anthropicStream]);
    for (const pieces of splits(anthropicStream)) expect(translate(make, pieces)).toBe(whole);
  });

  it('emits as events arrive rather than at the end', () => {
    const t = make();
    const cut = anthropicStream.indexOf('content_block_stop');
    const early = t.push(anthropicStream.subarray(0, cut)).toString('utf8');
    expect(accumulate(early).content).toBe('Grüße 🌍, ça va? 日本');
  });

  it('accepts input_tokens on message_delta and maps max_tokens to length', () => {
    const stream = Buffer.from(
      ev('message_start', {
        message: { id: 'm', model: 'c', usage: { input_tokens: 0, output_tokens: 0 } },
      }) +
        ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'x' } }) +
        ev('message_delta', {
          delta: { stop_reason: 'max_tokens' },
          usage: { input_tokens: 9, output_tokens: 3, cache_read_input_tokens: null },
        }) +
        ev('message_stop', {}),
    );
    const acc = accumulate(translate(make, [stream]));
    expect(acc.finishReason).toBe('length');
    expect(acc.usage).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 });
  });

  it('turns an error event into an OpenAI error chunk', () => {
    const stream = Buffer.from(
      ev('message_start', {
        message: { id: 'm', model: 'c', usage: { input_tokens: 1, output_tokens: 0 } },
      }) + ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    const acc = accumulate(translate(make, [stream]));
    expect(acc.errors).toEqual([
      expect.objectContaining({ type: 'overloaded_error', message: 'Overloaded' }),
    ]);
    expect(acc.done).toBe(true);
  });

  it('still terminates a stream cut before message_stop', () => {
    const cut = anthropicStream.subarray(0, anthropicStream.indexOf('event: content_block_stop'));
    const acc = accumulate(translate(make, [cut]));
    expect(acc.done).toBe(true);
    expect(acc.finishReason).toBe('stop');
  });
});

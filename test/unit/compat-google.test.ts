import { describe, expect, it } from 'vitest';
import { compatAdapterFor } from '../../src/local/compat/index.js';
import { accumulate, splits, translate } from '../helpers/compat-stream.js';

/** `created` the gateway's clock gives a translated answer (epoch seconds). */
const CREATED = 1767225600;

const adapter = compatAdapterFor('google-ai-studio');
const target = { provider: 'google-ai-studio', model: 'gemini-2.5-flash' };

function upstreamBody(body: Record<string, unknown>) {
  return JSON.parse(adapter.toUpstream(body, target, 'Bearer AIza-key').body.toString('utf8'));
}

describe('google request translation', () => {
  it('maps paths and auth', () => {
    expect(adapter.upstreamPath(target, false)).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(adapter.upstreamPath(target, true)).toBe(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    expect(adapter.upstreamPath({ ...target, model: 'models/gemini-pro' }, false)).toBe(
      '/v1beta/models/gemini-pro:generateContent',
    );
    const out = adapter.toUpstream({ messages: [] }, target, 'Bearer AIza-key');
    expect(out.headers).toEqual({ 'content-type': 'application/json', 'x-goog-api-key': 'AIza-key' });
  });

  it('maps messages to contents and system to systemInstruction', () => {
    const out = upstreamBody({
      model: 'google-ai-studio/gemini-2.5-flash',
      stream: true,
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi!' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'And this?' },
            { type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGRg==' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
      ],
    });
    expect(out).toEqual({
      systemInstruction: { parts: [{ text: 'Be terse.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hello' }] },
        { role: 'model', parts: [{ text: 'Hi!' }] },
        {
          role: 'user',
          parts: [
            { text: 'And this?' },
            { inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } },
            { fileData: { fileUri: 'https://example.com/a.png', mimeType: 'image/png' } },
          ],
        },
      ],
    });
  });

  it.each([
    ['max_tokens', { max_tokens: 5 }, { maxOutputTokens: 5 }],
    ['max_completion_tokens', { max_completion_tokens: 6 }, { maxOutputTokens: 6 }],
    ['temperature/top_p', { temperature: 0.5, top_p: 0.8 }, { temperature: 0.5, topP: 0.8 }],
    ['stop', { stop: 'END' }, { stopSequences: ['END'] }],
    ['n and seed', { n: 2, seed: 7 }, { candidateCount: 2, seed: 7 }],
    ['json mode', { response_format: { type: 'json_object' } }, { responseMimeType: 'application/json' }],
  ])('generationConfig: %s', (_name, extra, expected) => {
    expect(upstreamBody({ messages: [{ role: 'user', content: 'x' }], ...extra }).generationConfig).toEqual(
      expected,
    );
  });

  it('omits generationConfig when nothing is set', () => {
    expect(upstreamBody({ messages: [{ role: 'user', content: 'x' }] })).not.toHaveProperty(
      'generationConfig',
    );
  });

  it('maps tools, tool calls and tool results', () => {
    const out = upstreamBody({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: '3C' },
      ],
      tools: [
        { type: 'function', function: { name: 'weather', description: 'd', parameters: { type: 'object' } } },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
    });
    expect(out.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'weather', args: { city: 'Oslo' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { content: '3C' } } }] },
    ]);
    expect(out.tools).toEqual([
      { functionDeclarations: [{ name: 'weather', description: 'd', parameters: { type: 'object' } }] },
    ]);
    expect(out.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] },
    });
    expect(upstreamBody({ messages: [], tool_choice: 'none' }).toolConfig).toEqual({
      functionCallingConfig: { mode: 'NONE' },
    });
  });
});

describe('google response translation', () => {
  const response = {
    candidates: [
      {
        content: { role: 'model', parts: [{ text: 'Hel' }, { text: 'lo' }] },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: 4,
      candidatesTokenCount: 2,
      thoughtsTokenCount: 3,
      totalTokenCount: 9,
    },
    modelVersion: 'gemini-2.5-flash-001',
    responseId: 'resp-1',
  };

  it('maps candidates and usage', () => {
    expect(adapter.fromUpstream(200, response, target, CREATED)).toEqual({
      id: 'resp-1',
      object: 'chat.completion',
      created: CREATED,
      model: 'gemini-2.5-flash-001',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 },
    });
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['OTHER', 'stop'],
  ])('finishReason %s → %s', (reason, finish) => {
    const body = { ...response, candidates: [{ ...response.candidates[0], finishReason: reason }] };
    const out = adapter.fromUpstream(200, body, target, CREATED) as { choices: { finish_reason: string }[] };
    expect(out.choices[0]?.finish_reason).toBe(finish);
  });

  it('maps function calls to tool_calls', () => {
    const body = {
      candidates: [
        {
          content: { role: 'model', parts: [{ functionCall: { name: 'weather', args: { city: 'Oslo' } } }] },
          finishReason: 'STOP',
        },
      ],
    };
    const out = adapter.fromUpstream(200, body, target, CREATED) as {
      choices: { message: unknown; finish_reason: string }[];
    };
    expect(out.choices[0]).toMatchObject({
      message: {
        content: null,
        tool_calls: [
          { id: 'call_0', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('maps error bodies (object and array forms)', () => {
    const error = { error: { code: 400, message: 'API key not valid', status: 'INVALID_ARGUMENT' } };
    const expected = {
      error: { message: 'API key not valid', type: 'invalid_argument', param: null, code: 400 },
    };
    expect(adapter.fromUpstream(400, error, target, CREATED)).toEqual(expected);
    expect(adapter.fromUpstream(400, [error], target, CREATED)).toEqual(expected);
  });
});

const data = (obj: object) => `data: ${JSON.stringify(obj)}\r\n\r\n`;
const googleStream = Buffer.from(
  data({
    candidates: [{ content: { role: 'model', parts: [{ text: 'Ünïcödé ' }] }, index: 0 }],
    usageMetadata: { promptTokenCount: 6, totalTokenCount: 6 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'r-9',
  }) +
    data({
      candidates: [{ content: { role: 'model', parts: [{ text: '🚀 fin' }] }, index: 0 }],
      modelVersion: 'gemini-2.5-flash',
      responseId: 'r-9',
    }) +
    data({
      candidates: [{ content: { role: 'model', parts: [{ text: '.' }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 6, candidatesTokenCount: 4, totalTokenCount: 10 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'r-9',
    }),
);

describe('google stream translation', () => {
  const make = () => adapter.streamTranslator(target, CREATED);

  it('translates text, finish reason and usage', () => {
    expect(accumulate(translate(make, [googleStream]))).toEqual({
      id: 'r-9',
      model: 'gemini-2.5-flash',
      roles: ['assistant'],
      content: 'Ünïcödé 🚀 fin.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 },
      done: true,
      errors: [],
    });
  });

  it('gives identical output for every split point, including inside multi-byte characters', () => {
    const whole = translate(make, [googleStream]);
    for (const pieces of splits(googleStream)) expect(translate(make, pieces)).toBe(whole);
  });

  it('streams function calls and maps MAX_TOKENS', () => {
    const stream = Buffer.from(
      data({ candidates: [{ content: { parts: [{ functionCall: { name: 'a', args: { x: 1 } } }] } }] }) +
        data({
          candidates: [
            { content: { parts: [{ functionCall: { name: 'b', args: {} } }] }, finishReason: 'STOP' },
          ],
        }),
    );
    const acc = accumulate(translate(make, [stream]));
    expect(acc.toolCalls).toEqual([
      { id: 'call_0', name: 'a', arguments: '{"x":1}' },
      { id: 'call_1', name: 'b', arguments: '{}' },
    ]);
    expect(acc.finishReason).toBe('tool_calls');
    const cut = Buffer.from(
      data({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'MAX_TOKENS' }] }),
    );
    expect(accumulate(translate(make, [cut])).finishReason).toBe('length');
  });

  it('terminates a stream that ends without a finishReason, and passes errors on', () => {
    const acc = accumulate(translate(make, [googleStream.subarray(0, googleStream.indexOf('data:', 10))]));
    expect(acc).toMatchObject({ content: 'Ünïcödé ', finishReason: 'stop', done: true });
    const err = accumulate(
      translate(make, [
        Buffer.from(data({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } })),
      ]),
    );
    expect(err.errors).toEqual([expect.objectContaining({ message: 'quota', code: 429 })]);
    expect(err.done).toBe(true);
  });
});

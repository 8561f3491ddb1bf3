import { describe, expect, it } from 'vitest';
import {
  modelFromRequest,
  StreamUsageTracker,
  type Usage,
  usageFromJson,
} from '../../src/local/pipeline/usage.js';

const core = (u: Usage) => ({ tokensIn: u.tokensIn, tokensOut: u.tokensOut, model: u.model });

describe('usageFromJson', () => {
  it('reads OpenAI chat completions', () => {
    const body = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 19,
        completion_tokens: 10,
        total_tokens: 29,
        prompt_tokens_details: { cached_tokens: 8, audio_tokens: 0 },
      },
    };
    const u = usageFromJson(body);
    expect(core(u)).toEqual({ tokensIn: 19, tokensOut: 10, model: 'gpt-4o-mini-2024-07-18' });
    expect(u.cacheReadTokens).toBe(8);
  });

  it('reads OpenAI responses', () => {
    const body = {
      id: 'resp_1',
      object: 'response',
      model: 'gpt-5-mini',
      output: [],
      usage: {
        input_tokens: 36,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 87,
        total_tokens: 123,
      },
    };
    const u = usageFromJson(body);
    expect(core(u)).toEqual({ tokensIn: 36, tokensOut: 87, model: 'gpt-5-mini' });
    expect(u.cacheReadTokens).toBe(4);
  });

  it('reads OpenAI embeddings (no completion tokens: 0 out)', () => {
    const body = {
      object: 'list',
      data: [],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 8, total_tokens: 8 },
    };
    expect(core(usageFromJson(body))).toEqual({
      tokensIn: 8,
      tokensOut: 0,
      model: 'text-embedding-3-small',
    });
  });

  it('reads Anthropic messages, counting prompt-cache tokens as input', () => {
    const body = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Hello' }],
      usage: {
        input_tokens: 10,
        cache_creation_input_tokens: 200,
        cache_read_input_tokens: 3000,
        output_tokens: 25,
      },
    };
    const u = usageFromJson(body);
    expect(core(u)).toEqual({ tokensIn: 3210, tokensOut: 25, model: 'claude-sonnet-4-5-20250929' });
    expect(u.cacheReadTokens).toBe(3000);
    expect(u.cacheWriteTokens).toBe(200);
  });

  it('reads Google generateContent, thinking tokens counted as output', () => {
    const body = {
      candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' } }],
      usageMetadata: {
        promptTokenCount: 7,
        candidatesTokenCount: 12,
        thoughtsTokenCount: 30,
        totalTokenCount: 49,
      },
      modelVersion: 'gemini-2.5-flash',
    };
    expect(core(usageFromJson(body))).toEqual({
      tokensIn: 7,
      tokensOut: 42,
      model: 'gemini-2.5-flash',
    });
  });

  it('reads Cohere v2 chat and v1 billed units', () => {
    const v2 = {
      id: 'c1',
      message: { role: 'assistant', content: [{ type: 'text', text: 'x' }] },
      usage: {
        billed_units: { input_tokens: 5, output_tokens: 9 },
        tokens: { input_tokens: 70, output_tokens: 9 },
      },
    };
    expect(core(usageFromJson(v2))).toEqual({ tokensIn: 5, tokensOut: 9, model: null });
    const v1 = { text: 'x', meta: { billed_units: { input_tokens: 3, output_tokens: 4 } } };
    expect(core(usageFromJson(v1))).toEqual({ tokensIn: 3, tokensOut: 4, model: null });
  });

  it('reads Workers AI result.usage', () => {
    const body = {
      result: { response: 'Hi', usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } },
      success: true,
      errors: [],
      messages: [],
    };
    expect(core(usageFromJson(body))).toEqual({ tokensIn: 11, tokensOut: 3, model: null });
  });

  it('reads Bedrock Converse usage', () => {
    const body = { output: {}, usage: { inputTokens: 12, outputTokens: 34, totalTokens: 46 } };
    expect(core(usageFromJson(body))).toEqual({ tokensIn: 12, tokensOut: 34, model: null });
  });

  it('gives nulls for bodies without usage', () => {
    expect(core(usageFromJson({ error: { message: 'bad' } }))).toEqual({
      tokensIn: null,
      tokensOut: null,
      model: null,
    });
    expect(core(usageFromJson('text'))).toEqual({ tokensIn: null, tokensOut: null, model: null });
    expect(core(usageFromJson(null))).toEqual({ tokensIn: null, tokensOut: null, model: null });
  });
});

/** Feeds `text` to a tracker in pieces cut at the given byte offsets. */
function track(text: string, cuts: number[]): Usage {
  const bytes = Buffer.from(text, 'utf8');
  const tracker = new StreamUsageTracker();
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    const piece = Buffer.from(bytes.subarray(at, cut));
    tracker.push(piece);
    piece.fill(0); // the tracker must not keep references to chunks it was given
    at = cut;
  }
  return tracker.result();
}

/** Every way to cut the stream into two pieces, plus a byte-at-a-time feed. */
function everySplit(text: string): Usage[] {
  const length = Buffer.byteLength(text);
  const results: Usage[] = [];
  for (let cut = 0; cut <= length; cut++) results.push(track(text, [cut]));
  results.push(
    track(
      text,
      Array.from({ length }, (_, i) => i),
    ),
  );
  return results;
}

const sse = (events: unknown[], done = true) =>
  events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');

describe('StreamUsageTracker', () => {
  it('reads the final usage chunk of an OpenAI stream, at every split point', () => {
    const base = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18' };
    const text = sse([
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }], usage: null },
      { ...base, choices: [{ index: 0, delta: { content: 'Grüße, 世界 🌍' } }], usage: null },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
      { ...base, choices: [], usage: { prompt_tokens: 21, completion_tokens: 6, total_tokens: 27 } },
    ]);
    for (const u of everySplit(text)) {
      expect(core(u)).toEqual({ tokensIn: 21, tokensOut: 6, model: 'gpt-4o-mini-2024-07-18' });
    }
  });

  it('reads Anthropic message_start input and message_delta output, with CRLF lines and multi-byte text', () => {
    const events = [
      `event: message_start\r\ndata: ${JSON.stringify({
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [],
          usage: {
            input_tokens: 25,
            cache_creation_input_tokens: 5,
            cache_read_input_tokens: 100,
            output_tokens: 1,
          },
        },
      })}\r\n\r\n`,
      `event: ping\r\ndata: {"type":"ping"}\r\n\r\n`,
      `event: content_block_delta\r\ndata: ${JSON.stringify({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'héllo — “usage” 😀' },
      })}\r\n\r\n`,
      `event: message_delta\r\ndata: ${JSON.stringify({
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 15 },
      })}\r\n\r\n`,
      `event: message_stop\r\ndata: {"type":"message_stop"}\r\n\r\n`,
    ].join('');
    for (const u of everySplit(events)) {
      expect(core(u)).toEqual({ tokensIn: 130, tokensOut: 15, model: 'claude-sonnet-4-5-20250929' });
      expect(u.cacheReadTokens).toBe(100);
    }
  });

  it('reads the last usageMetadata of a Google stream', () => {
    const text = sse(
      [
        {
          candidates: [{ content: { parts: [{ text: 'Ça va? ' }] } }],
          usageMetadata: { promptTokenCount: 9 },
          modelVersion: 'gemini-2.5-flash',
        },
        {
          candidates: [{ content: { parts: [{ text: 'Très bien ✓' }] }, finishReason: 'STOP' }],
          usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 14, totalTokenCount: 23 },
          modelVersion: 'gemini-2.5-flash',
        },
      ],
      false,
    );
    for (const u of everySplit(text)) {
      expect(core(u)).toEqual({ tokensIn: 9, tokensOut: 14, model: 'gemini-2.5-flash' });
    }
  });

  it('reads usage from an OpenAI responses stream', () => {
    const text = [
      'event: response.created',
      `data: ${JSON.stringify({ type: 'response.created', response: { id: 'r1', model: 'gpt-5-mini', usage: null } })}`,
      '',
      'event: response.output_text.delta',
      `data: ${JSON.stringify({ type: 'response.output_text.delta', delta: 'Hi' })}`,
      '',
      'event: response.completed',
      `data: ${JSON.stringify({
        type: 'response.completed',
        response: {
          id: 'r1',
          model: 'gpt-5-mini',
          usage: { input_tokens: 12, output_tokens: 3, total_tokens: 15 },
        },
      })}`,
      '',
      '',
    ].join('\n');
    expect(core(track(text, [7, 50, 51, 200]))).toEqual({
      tokensIn: 12,
      tokensOut: 3,
      model: 'gpt-5-mini',
    });
  });

  it('reads a final event that has no trailing newline', () => {
    const text = `data: ${JSON.stringify({ usage: { prompt_tokens: 1, completion_tokens: 2 } })}`;
    expect(core(track(text, [10]))).toEqual({ tokensIn: 1, tokensOut: 2, model: null });
  });

  it('ignores malformed events and streams without usage', () => {
    const text =
      'data: {not json\n\ndata: {"choices":[{"delta":{"content":"x"}}],"usage":null}\n\n: comment\n\n';
    expect(core(track(text, [5, 13]))).toEqual({ tokensIn: null, tokensOut: null, model: null });
  });

  it('holds no more than one partial line, and skips lines that grow past the cap', () => {
    const tracker = new StreamUsageTracker();
    const filler = Buffer.alloc(1024 * 1024, 0x61);
    tracker.push(Buffer.from('data: {"text":"'));
    for (let i = 0; i < 9; i++) tracker.push(filler); // a 9 MB line: dropped, not held
    tracker.push(Buffer.from('"}\n\ndata: {"usage":{"prompt_tokens":4,"completion_tokens":5}}\n\n'));
    expect(core(tracker.result())).toEqual({ tokensIn: 4, tokensOut: 5, model: null });
  });
});

describe('modelFromRequest', () => {
  it('prefers body.model', () => {
    expect(modelFromRequest('openai', '/chat/completions', { model: 'gpt-4o', messages: [] })).toBe('gpt-4o');
    expect(modelFromRequest('workers-ai', '/@cf/meta/llama-3', { model: 'x' })).toBe('x');
  });

  it('reads Google AI Studio and Vertex paths', () => {
    expect(modelFromRequest('google-ai-studio', '/v1beta/models/gemini-2.5-flash:generateContent', {})).toBe(
      'gemini-2.5-flash',
    );
    expect(
      modelFromRequest('google-ai-studio', '/v1/models/gemini-2.5-pro:streamGenerateContent?alt=sse', {}),
    ).toBe('gemini-2.5-pro');
    expect(
      modelFromRequest(
        'google-vertex-ai',
        '/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent',
        {},
      ),
    ).toBe('gemini-2.5-pro');
    expect(
      modelFromRequest(
        'google-vertex-ai',
        '/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict',
        {},
      ),
    ).toBe('claude-sonnet-4@20250514');
  });

  it('reads Workers AI, Azure, Bedrock and Hugging Face paths', () => {
    expect(modelFromRequest('workers-ai', '/@cf/meta/llama-3', null)).toBe('@cf/meta/llama-3');
    expect(modelFromRequest('workers-ai', '/workers-ai/@cf/meta/llama-3.1-8b-instruct?x=1', null)).toBe(
      '@cf/meta/llama-3.1-8b-instruct',
    );
    expect(
      modelFromRequest(
        'azure-openai',
        '/my-resource/gpt4o-deploy/chat/completions?api-version=2024-10-21',
        {},
      ),
    ).toBe('gpt4o-deploy');
    expect(modelFromRequest('azure-openai', '/openai/deployments/dep1/chat/completions', {})).toBe('dep1');
    expect(
      modelFromRequest(
        'aws-bedrock',
        '/bedrock-runtime/us-east-1/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse',
        {},
      ),
    ).toBe('anthropic.claude-3-5-sonnet-20240620-v1:0');
    expect(modelFromRequest('huggingface', '/bigcode/starcoder', undefined)).toBe('bigcode/starcoder');
  });

  it('returns null when the model is nowhere', () => {
    expect(modelFromRequest('openai', '/chat/completions', { messages: [] })).toBeNull();
    expect(modelFromRequest('google-ai-studio', '/v1beta/cachedContents', {})).toBeNull();
    expect(modelFromRequest('openai', '/chat/completions', 'not json')).toBeNull();
  });
});

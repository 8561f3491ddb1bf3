// Provider wire shapes for the mock upstream (server.ts): one neutral reply rendered as OpenAI chat / responses,
// Anthropic messages or Google generateContent, non-streamed (a JSON string) or streamed (SSE event strings).

/** Fixed so that the same request always gets byte-identical answers. */
export const MOCK_CREATED = 1767225600;

export interface MockReply {
  /** Hex digest of the request body; ids derive from it. */
  hash: string;
  model: string;
  text: string;
  tool: { name: string; args: string } | undefined;
  finish: 'stop' | 'length' | 'tool';
  promptTokens: number;
  completionTokens: number;
}

export type ErrorFamily = 'openai' | 'anthropic' | 'google';

/** Words with their trailing space: the stream's pieces. */
export function pieces(text: string): string[] {
  const out = text.match(/\S+\s*|\s+/g);
  return out ?? [];
}

// ---------------------------------------------------------------- OpenAI chat.completions

const CHAT_FINISH = { stop: 'stop', length: 'length', tool: 'tool_calls' } as const;

function chatUsage(r: MockReply) {
  return {
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    total_tokens: r.promptTokens + r.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

export function openaiChat(r: MockReply): string {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: r.tool ? null : r.text,
    refusal: null,
    annotations: [],
  };
  if (r.tool) {
    message.tool_calls = [
      {
        id: `call_${r.hash.slice(0, 24)}`,
        type: 'function',
        function: { name: r.tool.name, arguments: r.tool.args },
      },
    ];
  }
  return JSON.stringify({
    id: `chatcmpl-${r.hash.slice(0, 29)}`,
    object: 'chat.completion',
    created: MOCK_CREATED,
    model: r.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: CHAT_FINISH[r.finish] }],
    usage: chatUsage(r),
    service_tier: 'default',
    system_fingerprint: null,
  });
}

export function openaiChatStream(r: MockReply, includeUsage: boolean): string[] {
  const head = `{"id":"chatcmpl-${r.hash.slice(0, 29)}","object":"chat.completion.chunk","created":${MOCK_CREATED},"model":${JSON.stringify(r.model)},"service_tier":"default","system_fingerprint":null,"choices":`;
  const tail = includeUsage ? ',"usage":null}' : '}';
  const event = (delta: unknown, finish: string | null) =>
    `data: ${head}[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]${tail}\n\n`;
  const events = [event({ role: 'assistant', content: r.tool ? null : '', refusal: null }, null)];
  if (r.tool) {
    const id = `call_${r.hash.slice(0, 24)}`;
    events.push(
      event(
        { tool_calls: [{ index: 0, id, type: 'function', function: { name: r.tool.name, arguments: '' } }] },
        null,
      ),
    );
    for (const part of pieces(r.tool.args)) {
      events.push(event({ tool_calls: [{ index: 0, function: { arguments: part } }] }, null));
    }
  } else {
    for (const part of pieces(r.text)) events.push(event({ content: part }, null));
  }
  events.push(event({}, CHAT_FINISH[r.finish]));
  if (includeUsage) events.push(`data: ${head}[],"usage":${JSON.stringify(chatUsage(r))}}\n\n`);
  events.push('data: [DONE]\n\n');
  return events;
}

// ---------------------------------------------------------------- OpenAI responses

function responseObject(r: MockReply, status: 'in_progress' | 'completed') {
  const done = status === 'completed';
  return {
    id: `resp_${r.hash.slice(0, 32)}`,
    object: 'response',
    created_at: MOCK_CREATED,
    status,
    error: null,
    incomplete_details: null,
    model: r.model,
    output: done ? [responseMessage(r, 'completed')] : [],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: done
      ? {
          input_tokens: r.promptTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: r.completionTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: r.promptTokens + r.completionTokens,
        }
      : null,
  };
}

function responseMessage(r: MockReply, status: 'in_progress' | 'completed') {
  const content = status === 'completed' ? [{ type: 'output_text', text: r.text, annotations: [] }] : [];
  return { id: `msg_${r.hash.slice(0, 32)}`, type: 'message', status, role: 'assistant', content };
}

export function openaiResponse(r: MockReply): string {
  return JSON.stringify(responseObject(r, 'completed'));
}

export function openaiResponseStream(r: MockReply): string[] {
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  const itemId = `msg_${r.hash.slice(0, 32)}`;
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  const events = [
    ev('response.created', { response: responseObject(r, 'in_progress') }),
    ev('response.in_progress', { response: responseObject(r, 'in_progress') }),
    ev('response.output_item.added', { output_index: 0, item: responseMessage(r, 'in_progress') }),
    ev('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } }),
  ];
  for (const part of pieces(r.text))
    events.push(ev('response.output_text.delta', { ...at, delta: part, logprobs: [] }));
  events.push(
    ev('response.output_text.done', { ...at, text: r.text, logprobs: [] }),
    ev('response.content_part.done', { ...at, part: { type: 'output_text', text: r.text, annotations: [] } }),
    ev('response.output_item.done', { output_index: 0, item: responseMessage(r, 'completed') }),
    ev('response.completed', { response: responseObject(r, 'completed') }),
  );
  return events;
}

// ---------------------------------------------------------------- Anthropic messages

const ANTHROPIC_STOP = { stop: 'end_turn', length: 'max_tokens', tool: 'tool_use' } as const;

function anthropicUsage(r: MockReply, output: number) {
  return {
    input_tokens: r.promptTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: output,
    service_tier: 'standard',
  };
}

function anthropicMessage(r: MockReply, content: unknown[], stop: string | null, output: number) {
  return {
    id: `msg_${r.hash.slice(0, 24)}`,
    type: 'message',
    role: 'assistant',
    model: r.model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: anthropicUsage(r, output),
  };
}

export function anthropicMessages(r: MockReply): string {
  const content = r.tool
    ? [
        {
          type: 'tool_use',
          id: `toolu_${r.hash.slice(0, 24)}`,
          name: r.tool.name,
          input: JSON.parse(r.tool.args),
        },
      ]
    : [{ type: 'text', text: r.text }];
  return JSON.stringify(anthropicMessage(r, content, ANTHROPIC_STOP[r.finish], r.completionTokens));
}

export function anthropicMessagesStream(r: MockReply): string[] {
  const ev = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const events = [ev('message_start', { message: anthropicMessage(r, [], null, 1) })];
  if (r.tool) {
    const block = { type: 'tool_use', id: `toolu_${r.hash.slice(0, 24)}`, name: r.tool.name, input: {} };
    events.push(ev('content_block_start', { index: 0, content_block: block }), ev('ping', {}));
    for (const part of pieces(r.tool.args)) {
      events.push(
        ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: part } }),
      );
    }
  } else {
    events.push(
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('ping', {}),
    );
    for (const part of pieces(r.text)) {
      events.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: part } }));
    }
  }
  events.push(
    ev('content_block_stop', { index: 0 }),
    ev('message_delta', {
      delta: { stop_reason: ANTHROPIC_STOP[r.finish], stop_sequence: null },
      usage: { output_tokens: r.completionTokens },
    }),
    ev('message_stop', {}),
  );
  return events;
}

// ---------------------------------------------------------------- Google generateContent

const GOOGLE_FINISH = { stop: 'STOP', length: 'MAX_TOKENS', tool: 'STOP' } as const;

function googleBody(r: MockReply, parts: unknown[], finish: string | undefined, completion: number): string {
  const candidate: Record<string, unknown> = { content: { parts, role: 'model' }, index: 0 };
  if (finish) candidate.finishReason = finish;
  return JSON.stringify({
    candidates: [candidate],
    usageMetadata: {
      promptTokenCount: r.promptTokens,
      candidatesTokenCount: completion,
      totalTokenCount: r.promptTokens + completion,
    },
    modelVersion: r.model,
    responseId: r.hash.slice(0, 22),
  });
}

function googleParts(r: MockReply): unknown[] {
  return r.tool
    ? [{ functionCall: { name: r.tool.name, args: JSON.parse(r.tool.args) } }]
    : [{ text: r.text }];
}

export function googleGenerate(r: MockReply): string {
  return googleBody(r, googleParts(r), GOOGLE_FINISH[r.finish], r.completionTokens);
}

/** Google ends its SSE events with CRLF pairs. */
export function googleGenerateStream(r: MockReply): string[] {
  if (r.tool) return [`data: ${googleGenerate(r)}\r\n\r\n`];
  const parts = pieces(r.text);
  return parts.map((text, i) => {
    const last = i === parts.length - 1;
    const completion = last ? r.completionTokens : 0;
    return `data: ${googleBody(r, [{ text }], last ? GOOGLE_FINISH[r.finish] : undefined, completion)}\r\n\r\n`;
  });
}

// ---------------------------------------------------------------- errors

const OPENAI_TYPES: Record<number, [string, string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  403: ['invalid_request_error', 'unsupported_country_region_territory'],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
};
const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};
const GOOGLE_STATUSES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function errorBody(family: ErrorFamily, status: number, message: string): string {
  if (family === 'anthropic') {
    const type = ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    return JSON.stringify({ type: 'error', error: { type, message } });
  }
  if (family === 'google') {
    const code = GOOGLE_STATUSES[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
    return JSON.stringify({ error: { code: status, message, status: code } });
  }
  const [type, code] = OPENAI_TYPES[status] ?? [
    status >= 500 ? 'server_error' : 'invalid_request_error',
    null,
  ];
  return JSON.stringify({ error: { message, type, param: null, code } });
}

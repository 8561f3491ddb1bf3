// Providers' own response shapes for the mock upstream's native answers (native.ts): Bedrock Converse (JSON and
// AWS event stream), Cohere chat and embed, Workers AI embeddings, Replicate predictions, Text Generation
// Inference streams and ElevenLabs audio.
import { isObject, type Json } from '../compat/openai.js';
import { eventMessage } from './eventstream.js';
import type { NativeKind, NativeRoute } from './native.js';
import { unitVector } from './request.js';
import { MOCK_CREATED, type MockReply, pieces } from './shapes.js';

/** A reply: whole, or chunks written one by one (x-mock-chunk-delay-ms apart). */
export type Answer =
  | { status: number; headers: Record<string, string>; body: string | Buffer }
  | { status: number; headers: Record<string, string>; chunks: (string | Buffer)[] };

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export const JSON_HEADERS = { 'content-type': 'application/json' };
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};
export const AWS_STREAM = { 'content-type': 'application/vnd.amazon.eventstream' };

export function json(value: unknown): Answer {
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(value) };
}

export function uuidOf(hash: string): string {
  const h = hash.padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------- Bedrock Converse

const CONVERSE_STOP = { stop: 'end_turn', length: 'max_tokens', tool: 'tool_use' } as const;

export function converseBody(r: MockReply) {
  const content = r.tool
    ? [{ toolUse: { toolUseId: `tooluse_${r.hash.slice(0, 22)}`, name: r.tool.name, input: {} } }]
    : [{ text: r.text }];
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: CONVERSE_STOP[r.finish],
    usage: converseUsage(r),
    metrics: { latencyMs: 1 },
  };
}

function converseUsage(r: MockReply) {
  return {
    inputTokens: r.promptTokens,
    outputTokens: r.completionTokens,
    totalTokens: r.promptTokens + r.completionTokens,
  };
}

export function converseEvents(r: MockReply): Buffer[] {
  const events = [eventMessage('messageStart', { role: 'assistant' })];
  if (r.tool) {
    const start = { toolUse: { toolUseId: `tooluse_${r.hash.slice(0, 22)}`, name: r.tool.name } };
    events.push(eventMessage('contentBlockStart', { start, contentBlockIndex: 0 }));
    events.push(
      eventMessage('contentBlockDelta', { delta: { toolUse: { input: r.tool.args } }, contentBlockIndex: 0 }),
    );
  } else {
    for (const text of pieces(r.text)) {
      events.push(eventMessage('contentBlockDelta', { delta: { text }, contentBlockIndex: 0 }));
    }
  }
  events.push(
    eventMessage('contentBlockStop', { contentBlockIndex: 0 }),
    eventMessage('messageStop', { stopReason: CONVERSE_STOP[r.finish] }),
    eventMessage('metadata', { usage: converseUsage(r), metrics: { latencyMs: 1 } }),
  );
  return events;
}

// ---------------------------------------------------------------- Cohere

export const COHERE_FINISH = { stop: 'COMPLETE', length: 'MAX_TOKENS', tool: 'TOOL_CALL' } as const;

export function cohereMeta(r: MockReply, version: string) {
  const units = { input_tokens: r.promptTokens, output_tokens: r.completionTokens };
  return { api_version: { version }, billed_units: units, tokens: units };
}

function cohereUsage(r: MockReply) {
  const units = { input_tokens: r.promptTokens, output_tokens: r.completionTokens };
  return { billed_units: units, tokens: units };
}

export function cohereMessage(r: MockReply) {
  const message: Record<string, unknown> = { role: 'assistant' };
  if (r.tool) {
    message.tool_calls = [
      {
        id: `${r.tool.name}_${r.hash.slice(0, 12)}`,
        type: 'function',
        function: { name: r.tool.name, arguments: r.tool.args },
      },
    ];
  } else {
    message.content = [{ type: 'text', text: r.text }];
  }
  return { id: uuidOf(r.hash), finish_reason: COHERE_FINISH[r.finish], message, usage: cohereUsage(r) };
}

export function cohereEvents(r: MockReply): string[] {
  const ev = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const start = { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } };
  const events = [ev('message-start', { id: uuidOf(r.hash), delta: start })];
  if (!r.tool) {
    events.push(
      ev('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
    );
    for (const text of pieces(r.text)) {
      events.push(ev('content-delta', { index: 0, delta: { message: { content: { text } } } }));
    }
    events.push(ev('content-end', { index: 0 }));
  } else {
    const call = {
      id: `${r.tool.name}_${r.hash.slice(0, 12)}`,
      type: 'function',
      function: { name: r.tool.name, arguments: r.tool.args },
    };
    events.push(ev('tool-call-start', { index: 0, delta: { message: { tool_calls: call } } }));
    events.push(ev('tool-call-end', { index: 0 }));
  }
  events.push(
    ev('message-end', { delta: { finish_reason: COHERE_FINISH[r.finish], usage: cohereUsage(r) } }),
  );
  return events;
}

// ---------------------------------------------------------------- embeddings (Workers AI, Cohere)

export function embedAnswer(kind: NativeKind, body: Json, model: string, hash: string): Answer {
  const raw = kind === 'cohere-embed' ? body.texts : body.text;
  const texts = (Array.isArray(raw) ? raw : [raw]).map((t) =>
    typeof t === 'string' ? t : JSON.stringify(t ?? ''),
  );
  const dims = kind === 'cohere-embed' ? 1024 : 768;
  const vectors = texts.map((t) => Array.from(unitVector(t, dims)));
  const tokens = texts.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0);
  if (kind === 'workers-ai-embed') {
    return json({
      result: { shape: [vectors.length, dims], data: vectors, pooling: 'mean' },
      success: true,
      errors: [],
      messages: [],
    });
  }
  const v2 = Array.isArray(body.embedding_types);
  return json({
    id: uuidOf(hash),
    embeddings: v2 ? { float: vectors } : vectors,
    texts,
    ...(v2 ? {} : { response_type: 'embeddings_floats' }),
    meta: { api_version: { version: v2 ? '2' : '1' }, billed_units: { input_tokens: tokens } },
    model,
  });
}

// ---------------------------------------------------------------- Replicate, Hugging Face

export function replicatePrediction(route: NativeRoute, body: Json, r: MockReply) {
  const id = r.hash.slice(0, 26);
  const version = str(body.version);
  const at = new Date(MOCK_CREATED * 1000).toISOString();
  return {
    id,
    model: route.model ?? (version?.includes('/') ? version.split(':')[0]! : 'mock/mock-model'),
    version: version?.split(':').pop() ?? 'mock-version',
    input: isObject(body.input) ? body.input : {},
    logs: '',
    output: pieces(r.text),
    data_removed: false,
    error: null,
    status: 'succeeded',
    created_at: at,
    started_at: at,
    completed_at: at,
    urls: {
      cancel: `https://api.replicate.com/v1/predictions/${id}/cancel`,
      get: `https://api.replicate.com/v1/predictions/${id}`,
      web: `https://replicate.com/p/${id}`,
    },
    metrics: {
      predict_time: 0.001,
      total_time: 0.001,
      input_token_count: r.promptTokens,
      output_token_count: r.completionTokens,
    },
  };
}

/** Text Generation Inference's stream: one event per token, the last with the whole text. */
export function tgiEvents(r: MockReply): string[] {
  const parts = pieces(r.text);
  return parts.map((text, i) => {
    const last = i === parts.length - 1;
    const event = {
      index: i + 1,
      token: { id: i + 1, text, logprob: 0, special: false },
      generated_text: last ? r.text : null,
      details: last
        ? {
            finish_reason: r.finish === 'length' ? 'length' : 'eos_token',
            generated_tokens: r.completionTokens,
            seed: null,
          }
        : null,
    };
    return `data:${JSON.stringify(event)}\n\n`;
  });
}

// ---------------------------------------------------------------- ElevenLabs

/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono: 417-byte frames of 26 ms; all-zero side info is silence. */
const MP3_FRAME = (() => {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0xc4]);
  return frame;
})();

/** Silent MP3 about as long as the text would take to read (60 ms a character, 26 ms frames). */
export function speech(text: string, streamed: boolean): Answer {
  const frames = Math.max(1, Math.ceil((text.length * 60) / 26));
  const headers = { 'content-type': 'audio/mpeg', 'character-cost': String(text.length) };
  const audio = Buffer.alloc(frames * MP3_FRAME.length);
  for (let i = 0; i < frames; i++) MP3_FRAME.copy(audio, i * MP3_FRAME.length);
  if (!streamed) return { status: 200, headers, body: audio };
  const chunks: Buffer[] = [];
  const size = MP3_FRAME.length * 16;
  for (let at = 0; at < audio.length; at += size) chunks.push(audio.subarray(at, at + size));
  return { status: 200, headers, chunks };
}

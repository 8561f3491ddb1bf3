// The mock upstream's answers in providers' own API shapes (server.ts routes to them): Workers AI `run`,
// Bedrock converse / invoke (streams as AWS event streams), Cohere chat and embed, Replicate predictions,
// Hugging Face text generation and ElevenLabs text to speech. Each reads its request's prompt into the neutral
// reply (request.ts) and renders it (native-shapes.ts); the same body always gets the same bytes.
import { isObject, type Json } from '../compat/openai.js';
import { eventMessage } from './eventstream.js';
import {
  type Answer,
  AWS_STREAM,
  COHERE_FINISH,
  cohereEvents,
  cohereMessage,
  cohereMeta,
  converseBody,
  converseEvents,
  embedAnswer,
  JSON_HEADERS,
  json,
  replicatePrediction,
  SSE_HEADERS,
  speech,
  str,
  tgiEvents,
  uuidOf,
} from './native-shapes.js';
import { buildReply, type Prompt, promptOf, textOf } from './request.js';
import { anthropicMessages, anthropicMessagesStream, pieces } from './shapes.js';

export type { Answer } from './native-shapes.js';

export type NativeKind =
  | 'workers-ai'
  | 'workers-ai-embed'
  | 'converse'
  | 'converse-stream'
  | 'invoke'
  | 'invoke-stream'
  | 'cohere-chat'
  | 'cohere-v1-chat'
  | 'cohere-embed'
  | 'replicate-create'
  | 'replicate-get'
  | 'huggingface'
  | 'elevenlabs';

export interface NativeRoute {
  kind: NativeKind;
  /** The model the path names (Workers AI, Bedrock, Replicate, Hugging Face), else undefined. */
  model: string | undefined;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The provider-specific request `path` (after `/{provider}`) asks for, if the mock answers it. */
export function nativeRoute(provider: string, method: string, path: string): NativeRoute | undefined {
  if (provider === 'workers-ai' && method === 'POST' && path.startsWith('/run/')) {
    const model = decoded(path.slice(5));
    const embed = /(?:^|\/)bge-|embedding/.test(model);
    return { kind: embed ? 'workers-ai-embed' : 'workers-ai', model };
  }
  if (provider === 'aws-bedrock' && method === 'POST') {
    const m = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/.exec(path);
    if (!m) return undefined;
    const model = decoded(m[1]!);
    const action = m[2]!;
    if (action.startsWith('invoke') && !/anthropic\.|amazon\.nova/.test(model)) return undefined;
    const kind = action === 'invoke-with-response-stream' ? 'invoke-stream' : (action as NativeKind);
    if (kind === 'invoke-stream' && !model.includes('anthropic.')) return undefined;
    return { kind, model };
  }
  if (provider === 'cohere' && method === 'POST') {
    if (path === '/v2/chat') return { kind: 'cohere-chat', model: undefined };
    if (path === '/v1/chat') return { kind: 'cohere-v1-chat', model: undefined };
    if (path === '/v1/embed' || path === '/v2/embed') return { kind: 'cohere-embed', model: undefined };
    return undefined;
  }
  if (provider === 'replicate') {
    const rest = path.startsWith('/v1/') ? path.slice(3) : path;
    if (method === 'GET' && /^\/predictions\/[^/]+$/.test(rest))
      return { kind: 'replicate-get', model: undefined };
    if (method !== 'POST') return undefined;
    if (rest === '/predictions') return { kind: 'replicate-create', model: undefined };
    const m = /^\/(?:models|deployments)\/([^/]+\/[^/]+)\/predictions$/.exec(rest);
    return m ? { kind: 'replicate-create', model: decoded(m[1]!) } : undefined;
  }
  if (provider === 'huggingface' && method === 'POST' && /^\/[^/]+(?:\/[^/]+)?$/.test(path)) {
    return { kind: 'huggingface', model: decoded(path.slice(1)) };
  }
  if (
    provider === 'elevenlabs' &&
    method === 'POST' &&
    /^\/v1\/text-to-speech\/[^/]+(?:\/stream)?$/.test(path)
  ) {
    return { kind: 'elevenlabs', model: undefined };
  }
  return undefined;
}

/** What the mock answers for a provider, for the error that says it does not answer something else. */
export function answeredFor(provider: string): string {
  const native: Record<string, string> = {
    'workers-ai': 'POST /run/{model} (text generation; embeddings for bge models)',
    'aws-bedrock':
      'POST /model/{id}/converse and /converse-stream, /invoke for Anthropic and Nova models, ' +
      '/invoke-with-response-stream for Anthropic models, and bedrock-mantle /anthropic/v1/messages',
    cohere: 'POST /v2/chat (streamed too), /v1/chat, /v1/embed, /v2/embed',
    replicate:
      'POST /predictions, /models/{owner}/{name}/predictions, /deployments/{owner}/{name}/predictions, ' +
      'GET /predictions/{id}',
    huggingface: 'POST /{org}/{model} (text generation, "stream": true too)',
    elevenlabs: 'POST /v1/text-to-speech/{voice_id} and .../stream (silent MP3)',
  };
  const common =
    'POST .../chat/completions, .../responses, .../embeddings, .../messages, ' +
    '.../models/{model}:generateContent and :streamGenerateContent, GET .../models';
  return native[provider] ? `${native[provider]}; and ${common}` : common;
}

function posNum(value: unknown): number | undefined {
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The prompt of a provider-shaped request. */
function nativePrompt(kind: NativeKind, body: Json, model: string): Prompt {
  const input = isObject(body.input) ? body.input : {};
  const params = isObject(body.parameters) ? body.parameters : {};
  switch (kind) {
    case 'workers-ai': {
      if (typeof body.prompt === 'string') {
        return {
          last: body.prompt,
          chars: body.prompt.length,
          maxTokens: posNum(body.max_tokens),
          tool: undefined,
        };
      }
      return { ...promptOf('chat', body), tool: undefined };
    }
    case 'converse':
    case 'converse-stream':
      return conversePrompt(body);
    case 'invoke':
    case 'invoke-stream':
      return model.includes('anthropic.') ? promptOf('anthropic', body) : conversePrompt(body);
    case 'cohere-chat': {
      const prompt = promptOf('chat', body);
      const first = list(body.tools)[0];
      const name = isObject(first) && isObject(first.function) ? str(first.function.name) : undefined;
      return { ...prompt, tool: body.tool_choice === 'REQUIRED' ? name : undefined };
    }
    case 'cohere-v1-chat': {
      const last = str(body.message) ?? '';
      let chars = last.length + (str(body.preamble)?.length ?? 0);
      for (const turn of list(body.chat_history)) if (isObject(turn)) chars += str(turn.message)?.length ?? 0;
      return { last, chars, maxTokens: posNum(body.max_tokens), tool: undefined };
    }
    case 'replicate-create': {
      const last = str(input.prompt) ?? '';
      const chars = last.length + (str(input.system_prompt)?.length ?? 0);
      return {
        last,
        chars,
        maxTokens: posNum(input.max_tokens) ?? posNum(input.max_new_tokens),
        tool: undefined,
      };
    }
    case 'huggingface': {
      const last = str(body.inputs) ?? '';
      return { last, chars: last.length, maxTokens: posNum(params.max_new_tokens), tool: undefined };
    }
    default: {
      const last = str(body.text) ?? '';
      return { last, chars: last.length, maxTokens: undefined, tool: undefined };
    }
  }
}

/** Bedrock Converse (and Nova invoke): messages of content blocks, system blocks, inferenceConfig, toolConfig. */
function conversePrompt(body: Json): Prompt {
  let last = '';
  let chars = 0;
  for (const block of list(body.system)) if (isObject(block)) chars += str(block.text)?.length ?? 0;
  for (const turn of list(body.messages)) {
    if (!isObject(turn)) continue;
    const text = textOf(turn.content);
    chars += text.length;
    if (turn.role === 'user') last = text;
  }
  const config = isObject(body.inferenceConfig) ? body.inferenceConfig : {};
  const tools = isObject(body.toolConfig) ? body.toolConfig : {};
  const choice = isObject(tools.toolChoice) ? tools.toolChoice : {};
  const first = list(tools.tools)[0];
  const firstName = isObject(first) && isObject(first.toolSpec) ? str(first.toolSpec.name) : undefined;
  const named = isObject(choice.tool) ? str(choice.tool.name) : undefined;
  return {
    last,
    chars,
    maxTokens: posNum(config.maxTokens) ?? posNum(config.max_new_tokens),
    tool: named ?? (isObject(choice.any) ? firstName : undefined),
  };
}

/** Predictions made, for GET /predictions/{id}; bounded (the oldest go first). */
export type Predictions = Map<string, string>;
const MAX_PREDICTIONS = 1000;

/** The answer to a provider-shaped request. */
export function answerNative(
  route: NativeRoute,
  body: Json,
  model: string,
  hash: string,
  path: string,
  predictions: Predictions,
): Answer {
  if (route.kind === 'replicate-get') {
    const found = predictions.get(path.slice(path.lastIndexOf('/') + 1));
    if (found) return { status: 200, headers: JSON_HEADERS, body: found };
    return nativeError(
      'replicate',
      404,
      'Mock upstream: no prediction with that id (predictions live in memory)',
    );
  }
  if (route.kind === 'workers-ai-embed' || route.kind === 'cohere-embed')
    return embedAnswer(route.kind, body, model, hash);
  const reply = buildReply(nativePrompt(route.kind, body, model), model, hash);
  const usage = { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens };
  const total = reply.promptTokens + reply.completionTokens;
  switch (route.kind) {
    case 'workers-ai':
      if (body.stream === true) {
        const events = pieces(reply.text).map(
          (p) => `data: ${JSON.stringify({ response: p, p: hash.slice(0, 8) })}\n\n`,
        );
        events.push(
          `data: ${JSON.stringify({ response: '', usage: { ...usage, total_tokens: total } })}\n\n`,
          'data: [DONE]\n\n',
        );
        return { status: 200, headers: SSE_HEADERS, chunks: events };
      }
      return json({
        result: { response: reply.text, usage: { ...usage, total_tokens: total } },
        success: true,
        errors: [],
        messages: [],
      });
    case 'converse':
      return json(converseBody(reply));
    case 'converse-stream':
      return { status: 200, headers: AWS_STREAM, chunks: converseEvents(reply) };
    case 'invoke':
      return model.includes('anthropic.')
        ? { status: 200, headers: JSON_HEADERS, body: anthropicMessages(reply) }
        : json(converseBody(reply));
    case 'invoke-stream':
      return {
        status: 200,
        headers: AWS_STREAM,
        chunks: anthropicMessagesStream(reply).map((event) => {
          const data = event.slice(event.indexOf('\ndata: ') + 7).trimEnd();
          return eventMessage('chunk', { bytes: Buffer.from(data).toString('base64') });
        }),
      };
    case 'cohere-chat':
      return body.stream === true
        ? { status: 200, headers: SSE_HEADERS, chunks: cohereEvents(reply) }
        : json(cohereMessage(reply));
    case 'cohere-v1-chat':
      return json({
        response_id: uuidOf(hash),
        text: reply.text,
        generation_id: uuidOf(hash.slice(8)),
        chat_history: [
          { role: 'USER', message: str(body.message) ?? '' },
          { role: 'CHATBOT', message: reply.text },
        ],
        finish_reason: COHERE_FINISH[reply.finish],
        meta: cohereMeta(reply, '1'),
      });
    case 'replicate-create': {
      const prediction = replicatePrediction(route, body, reply);
      if (predictions.size >= MAX_PREDICTIONS) predictions.delete(predictions.keys().next().value!);
      predictions.set(prediction.id, JSON.stringify(prediction));
      return { status: 201, headers: JSON_HEADERS, body: JSON.stringify(prediction) };
    }
    case 'huggingface':
      if (body.stream === true) return { status: 200, headers: SSE_HEADERS, chunks: tgiEvents(reply) };
      return json([{ generated_text: reply.text }]);
    default:
      return speech(str(body.text) ?? '', path.endsWith('/stream'));
  }
}

// ---------------------------------------------------------------- errors

export type NativeFamily = 'workers-ai' | 'bedrock' | 'cohere' | 'replicate' | 'huggingface' | 'elevenlabs';

const WORKERS_AI_CODES: Record<number, number> = { 400: 5006, 401: 10000, 403: 10000, 404: 7003, 429: 3040 };
const BEDROCK_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

/** A provider-shaped error for the providers whose shapes live here. */
export function nativeError(family: NativeFamily, status: number, message: string): Answer {
  switch (family) {
    case 'workers-ai': {
      const code = WORKERS_AI_CODES[status] ?? (status >= 500 ? 3043 : 5006);
      return {
        status,
        headers: JSON_HEADERS,
        body: JSON.stringify({ result: null, success: false, errors: [{ code, message }], messages: [] }),
      };
    }
    case 'bedrock': {
      const type =
        BEDROCK_TYPES[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException');
      return {
        status,
        headers: { ...JSON_HEADERS, 'x-amzn-errortype': type },
        body: JSON.stringify({ message }),
      };
    }
    case 'cohere':
      return { status, headers: JSON_HEADERS, body: JSON.stringify({ id: uuidOf(''), message }) };
    case 'replicate':
      return {
        status,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify({
          title: status >= 500 ? 'Internal Server Error' : 'Request failed',
          detail: message,
          status,
        }),
      };
    case 'huggingface':
      return { status, headers: JSON_HEADERS, body: JSON.stringify({ error: message }) };
    default:
      return {
        status,
        headers: JSON_HEADERS,
        body: JSON.stringify({ detail: { status: `http_${status}`, message } }),
      };
  }
}

const FAMILY_OF: Record<string, NativeFamily> = {
  'workers-ai': 'workers-ai',
  'aws-bedrock': 'bedrock',
  cohere: 'cohere',
  replicate: 'replicate',
  huggingface: 'huggingface',
  elevenlabs: 'elevenlabs',
};

/** The error family of a provider whose own shapes live here, else undefined. */
export function nativeFamily(provider: string): NativeFamily | undefined {
  return FAMILY_OF[provider];
}

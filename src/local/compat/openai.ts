// OpenAI-side shapes shared by the translating adapters, and the pass-through adapter for providers that already
// speak OpenAI chat.completions.
import type { CompatAdapter, CompatTarget } from './index.js';
import { tryParseJson } from './sse.js';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The text of an OpenAI message `content` (a string, or an array of parts of which `text` parts count). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of asArray(content)) {
    if (isObject(part) && typeof part.text === 'string') text += part.text;
  }
  return text;
}

/** `Bearer KEY` → `KEY`; anything else unchanged. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^\s*bearer\s+(.*)$/i.exec(authorization);
  return (match ? match[1]! : authorization).trim();
}

/** `stop` (a string or an array) → an array, or undefined. */
export function stopList(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop)) {
    const list = stop.filter((s): s is string => typeof s === 'string');
    return list.length > 0 ? list : undefined;
  }
  return undefined;
}

export function maxTokensOf(body: Json): number | undefined {
  return num(body.max_tokens) ?? num(body.max_completion_tokens);
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
}

export function usage(prompt: number, completion: number, cached?: number): OpenAIUsage {
  const result: OpenAIUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  if (cached !== undefined && cached > 0) result.prompt_tokens_details = { cached_tokens: cached };
  return result;
}

export function openAIError(message: string, type: string, code: string | number | null): Json {
  return { error: { message, type, param: null, code } };
}

/** The URL of an OpenAI `image_url` content part (`{url}` or a bare string), if it has one. */
export function imageUrlOf(part: Json): string | undefined {
  const url = isObject(part.image_url) ? part.image_url.url : part.image_url;
  return typeof url === 'string' ? url : undefined;
}

/** A tool call's `arguments` (a JSON string, or already an object) as an object; `{}` when it is neither. */
export function toolArguments(args: unknown): Json {
  if (isObject(args)) return args;
  const parsed = typeof args === 'string' ? tryParseJson(args) : undefined;
  return isObject(parsed) ? parsed : {};
}

/** A data: URL → its media type and base64 payload. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!match) return undefined;
  return { mediaType: match[1] ?? 'application/octet-stream', data: match[2]! };
}

export interface ChunkState {
  id: string;
  created: number;
  model: string;
}

/** One `chat.completion.chunk` with a single choice at index 0. */
export function chunk(
  state: ChunkState,
  delta: Json,
  finishReason: string | null = null,
  extra?: Json,
): Json {
  return {
    id: state.id,
    object: 'chat.completion.chunk',
    created: state.created,
    model: state.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...extra,
  };
}

/**
 * Chat-completions path per OpenAI-compatible provider, relative to the upstream base in gateway-runtime.md §1.2
 * (bases that already end in `/v1` take `/chat/completions`).
 */
const CHAT_PATHS: Record<string, string> = {
  openai: '/chat/completions',
  groq: '/chat/completions',
  deepseek: '/chat/completions',
  cerebras: '/chat/completions',
  'perplexity-ai': '/chat/completions',
  perplexity: '/chat/completions',
  fireworks: '/chat/completions',
  'azure-openai': '/chat/completions',
  mistral: '/v1/chat/completions',
  grok: '/v1/chat/completions',
  openrouter: '/v1/chat/completions',
  'workers-ai': '/v1/chat/completions',
  baseten: '/v1/chat/completions',
  cohere: '/compatibility/v1/chat/completions',
};

function chatPathFor(provider: string): string {
  return CHAT_PATHS[provider] ?? '/chat/completions';
}

/** Body unchanged except `model`, which loses its provider prefix; the response stream is copied as is. */
export const passThroughAdapter: CompatAdapter = {
  upstreamPath: (target: CompatTarget) => chatPathFor(target.provider),
  toUpstream(body, target, clientAuthorization) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (clientAuthorization !== undefined) headers.authorization = clientAuthorization;
    return { body: Buffer.from(JSON.stringify({ ...body, model: target.model })), headers };
  },
  fromUpstream: (_status, json) => json,
  streamTranslator: () => ({ push: (bytes) => bytes, end: () => Buffer.alloc(0) }),
};

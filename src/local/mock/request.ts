// Reading mock-upstream requests (see server.ts): behaviour knobs, the prompt, and the neutral reply.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isObject, type Json } from '../compat/openai.js';
import type { MockReply } from './shapes.js';

/** The OpenAI-, Anthropic- and Google-shaped requests every provider's mock answers (server.ts). */
export type Kind = 'chat' | 'responses' | 'embeddings' | 'models' | 'anthropic' | 'google';

/** What a reply is built from, whatever the request's shape. */
export interface Prompt {
  /** The last user (or tool) text. */
  last: string;
  /** Every prompt character, for the token count. */
  chars: number;
  maxTokens: number | undefined;
  /** The tool a forced tool choice names (or the first declared). */
  tool: string | undefined;
}

export interface Knobs {
  latencyMs: number;
  chunkDelayMs: number;
  status: number;
  fail: string | undefined;
  failTimes: number | undefined;
  key: string | undefined;
}

const KNOB_NAMES = 'latency|chunk-delay|status|fail|fail-times|key';
const KNOB_START = new RegExp(`@(?:${KNOB_NAMES})=`);
const KNOB_SUFFIX = new RegExp(`@(${KNOB_NAMES})=([^@]*)`, 'g');

function intHeader(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Splits `name@k=v@k=v` into the bare model and its knobs; headers override suffixes. */
export function readKnobs(req: IncomingMessage, model: string): { model: string; knobs: Knobs } {
  const knobs: Knobs = {
    latencyMs: 0,
    chunkDelayMs: 0,
    status: 0,
    fail: undefined,
    failTimes: undefined,
    key: undefined,
  };
  let bare = model;
  if (model.includes('@') && model.includes('=')) {
    const first = model.search(KNOB_START);
    if (first !== -1) {
      bare = model.slice(0, first);
      for (const [, name, value] of model.slice(first).matchAll(KNOB_SUFFIX)) {
        const n = Number.parseInt(value!, 10);
        if (name === 'latency') knobs.latencyMs = n || 0;
        else if (name === 'chunk-delay') knobs.chunkDelayMs = n || 0;
        else if (name === 'status') knobs.status = n || 0;
        else if (name === 'fail-times') knobs.failTimes = n || 0;
        else if (name === 'key') knobs.key = value;
        else if (Number.isFinite(n)) knobs.status = n;
        else knobs.fail = value;
      }
    }
  }
  const h = req.headers;
  knobs.latencyMs = intHeader(h['x-mock-latency-ms']) ?? knobs.latencyMs;
  knobs.chunkDelayMs = intHeader(h['x-mock-chunk-delay-ms']) ?? knobs.chunkDelayMs;
  knobs.status = intHeader(h['x-mock-status']) ?? knobs.status;
  knobs.failTimes = intHeader(h['x-mock-fail-times']) ?? knobs.failTimes;
  const fail = h['x-mock-fail'];
  if (typeof fail === 'string') knobs.fail = fail;
  const key = h['x-mock-key'];
  if (typeof key === 'string') knobs.key = key;
  return { model: bare, knobs };
}

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (!isObject(part)) continue;
    if (typeof part.text === 'string') text += part.text;
    else if (part.type === 'tool_result') text += textOf(part.content);
    else if (isObject(part.functionResponse)) text += JSON.stringify(part.functionResponse.response ?? '');
  }
  return text;
}

type ChatKind = 'chat' | 'responses' | 'anthropic' | 'google';

/** The prompt of an OpenAI chat or responses, Anthropic messages or Google generateContent request. */
export function promptOf(kind: ChatKind, body: Json): Prompt {
  return {
    ...turnsOf(kind, body),
    maxTokens: maxTokens(kind, body),
    tool: kind === 'responses' ? undefined : forcedTool(kind, body),
  };
}

/** Last user text and total prompt characters. */
function turnsOf(kind: ChatKind, body: Json): { last: string; chars: number } {
  let turns: unknown[];
  if (kind === 'google') turns = Array.isArray(body.contents) ? body.contents : [];
  else if (kind === 'responses') {
    if (typeof body.input === 'string') return { last: body.input, chars: body.input.length };
    turns = Array.isArray(body.input) ? body.input : [];
  } else turns = Array.isArray(body.messages) ? body.messages : [];
  let last = '';
  let chars = typeof body.system === 'string' ? body.system.length : 0;
  for (const turn of turns) {
    if (!isObject(turn)) continue;
    const text = textOf(kind === 'google' ? turn.parts : turn.content);
    chars += text.length;
    if (turn.role === 'user' || turn.role === 'tool' || (kind === 'google' && turn.role !== 'model'))
      last = text;
  }
  return { last, chars };
}

/** The tool a forced tool choice names (or the first declared), else undefined. */
function forcedTool(kind: ChatKind, body: Json): string | undefined {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  if (kind === 'google') {
    const config = isObject(body.toolConfig) ? body.toolConfig.functionCallingConfig : undefined;
    if (!isObject(config) || config.mode !== 'ANY') return undefined;
    const allowed = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames[0] : undefined;
    const decls =
      isObject(tools[0]) && Array.isArray(tools[0].functionDeclarations) ? tools[0].functionDeclarations : [];
    return typeof allowed === 'string' ? allowed : isObject(decls[0]) ? String(decls[0].name) : undefined;
  }
  const choice = body.tool_choice;
  const first = tools[0];
  const firstName = isObject(first)
    ? isObject(first.function)
      ? first.function.name
      : first.name
    : undefined;
  if (kind === 'anthropic') {
    if (!isObject(choice)) return undefined;
    if (choice.type === 'tool' && typeof choice.name === 'string') return choice.name;
    return choice.type === 'any' && typeof firstName === 'string' ? firstName : undefined;
  }
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string') {
    return choice.function.name;
  }
  return choice === 'required' && typeof firstName === 'string' ? firstName : undefined;
}

function maxTokens(kind: ChatKind, body: Json): number | undefined {
  const v =
    kind === 'google'
      ? isObject(body.generationConfig)
        ? body.generationConfig.maxOutputTokens
        : undefined
      : (body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens);
  return typeof v === 'number' && v > 0 ? v : undefined;
}

/** The neutral reply to a prompt: a quote of its last message (cut at maxTokens), or a call to its forced tool. */
export function buildReply(prompt: Prompt, model: string, hash: string): MockReply {
  const promptTokens = Math.max(1, Math.ceil(prompt.chars / 4));
  if (prompt.tool !== undefined) {
    return {
      hash,
      model,
      text: '',
      tool: { name: prompt.tool, args: '{}' },
      finish: 'tool',
      promptTokens,
      completionTokens: 8,
    };
  }
  let quoted = prompt.last.slice(0, 60);
  if (/[\ud800-\udbff]$/.test(quoted)) quoted = quoted.slice(0, -1);
  let text = `Mock reply to: "${quoted}"`;
  let finish: MockReply['finish'] = 'stop';
  const limit = prompt.maxTokens;
  if (limit !== undefined && Math.ceil(text.length / 4) > limit) {
    text = text.slice(0, limit * 4);
    finish = 'length';
  }
  return {
    hash,
    model,
    text,
    tool: undefined,
    finish,
    promptTokens,
    completionTokens: Math.ceil(text.length / 4),
  };
}

/** A deterministic unit vector for a text. */
export function unitVector(text: string, dims: number): Float32Array {
  const seed = createHash('sha256').update(text).digest();
  const vector = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const v = (seed[i % 32]! ^ (i * 31)) / 255 - 0.5;
    vector[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) vector[i] = vector[i]! / norm;
  return vector;
}

export function embeddings(body: Json, model: string): string {
  const inputs = Array.isArray(body.input) && typeof body.input[0] !== 'number' ? body.input : [body.input];
  const dims =
    typeof body.dimensions === 'number' && body.dimensions > 0 ? Math.min(body.dimensions, 4096) : 8;
  let tokens = 0;
  const data = inputs.map((input, index) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input ?? '');
    tokens += Math.max(1, Math.ceil(text.length / 4));
    const vector = unitVector(text, dims);
    const embedding =
      body.encoding_format === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
    return { object: 'embedding', index, embedding };
  });
  return JSON.stringify({
    object: 'list',
    data,
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

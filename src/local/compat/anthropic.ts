// OpenAI chat.completions ⇄ Anthropic Messages.
import type { CompatAdapter, CompatTarget, StreamTranslator } from './index.js';
import {
  asArray,
  bearerToken,
  type ChunkState,
  chunk,
  contentText,
  imageUrlOf,
  isObject,
  type Json,
  maxTokensOf,
  num,
  openAIError,
  parseDataUrl,
  stopList,
  toolArguments,
  usage,
} from './openai.js';
import { SSE_DONE, sseData, sseTranslator, tryParseJson } from './sse.js';

const ANTHROPIC_VERSION = '2023-06-01';
/** Anthropic requires max_tokens; OpenAI clients usually leave it out. */
const DEFAULT_MAX_TOKENS = 4096;

const FINISH_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

function anthropicFinishReason(stopReason: unknown): string | null {
  if (typeof stopReason !== 'string') return null;
  return FINISH_REASONS[stopReason] ?? 'stop';
}

function userBlocks(content: unknown): Json[] | string {
  if (typeof content === 'string') return content;
  const blocks: Json[] = [];
  for (const part of asArray(content)) {
    if (!isObject(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') {
      blocks.push({ type: 'text', text: part.text });
    } else if (part.type === 'image_url') {
      const url = imageUrlOf(part);
      if (url === undefined) continue;
      const data = parseDataUrl(url);
      blocks.push({
        type: 'image',
        source: data ? { type: 'base64', media_type: data.mediaType, data: data.data } : { type: 'url', url },
      });
    }
  }
  return blocks;
}

function assistantBlocks(message: Json): Json[] {
  const blocks: Json[] = [];
  const text = contentText(message.content);
  if (text !== '') blocks.push({ type: 'text', text });
  for (const call of asArray(message.tool_calls)) {
    if (!isObject(call) || !isObject(call.function)) continue;
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: toolArguments(call.function.arguments),
    });
  }
  return blocks;
}

function toBlocks(content: Json[] | string): Json[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** OpenAI messages → Anthropic `system` and `messages`; consecutive same-role turns are merged. */
function toAnthropicMessages(messages: unknown): { system: string | undefined; messages: Json[] } {
  const system: string[] = [];
  const out: { role: string; content: Json[] | string }[] = [];
  const append = (role: string, content: Json[] | string) => {
    const last = out[out.length - 1];
    if (last && last.role === role) {
      last.content = [...toBlocks(last.content), ...toBlocks(content)];
    } else {
      out.push({ role, content });
    }
  };
  for (const message of asArray(messages)) {
    if (!isObject(message)) continue;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(contentText(message.content));
        break;
      case 'user':
        append('user', userBlocks(message.content));
        break;
      case 'assistant':
        append('assistant', assistantBlocks(message));
        break;
      case 'tool':
        append('user', [
          { type: 'tool_result', tool_use_id: message.tool_call_id, content: contentText(message.content) },
        ]);
        break;
    }
  }
  return { system: system.length > 0 ? system.join('\n\n') : undefined, messages: out };
}

function toolChoice(choice: unknown, parallel: unknown): Json | undefined {
  let result: Json | undefined;
  if (choice === 'auto') result = { type: 'auto' };
  else if (choice === 'required') result = { type: 'any' };
  else if (choice === 'none') result = { type: 'none' };
  else if (isObject(choice) && isObject(choice.function)) {
    result = { type: 'tool', name: choice.function.name };
  }
  if (parallel === false) result = { ...(result ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return result;
}

function toAnthropicBody(body: Json, model: string): Json {
  const { system, messages } = toAnthropicMessages(body.messages);
  const out: Json = { model, max_tokens: maxTokensOf(body) ?? DEFAULT_MAX_TOKENS, messages };
  if (system !== undefined) out.system = system;
  if (num(body.temperature) !== undefined) out.temperature = body.temperature;
  if (num(body.top_p) !== undefined) out.top_p = body.top_p;
  const stop = stopList(body.stop);
  if (stop) out.stop_sequences = stop;
  if (body.stream === true) out.stream = true;
  const tools = asArray(body.tools).flatMap((tool) => {
    if (!isObject(tool) || !isObject(tool.function)) return [];
    const fn = tool.function;
    const def: Json = { name: fn.name, input_schema: fn.parameters ?? { type: 'object', properties: {} } };
    if (typeof fn.description === 'string') def.description = fn.description;
    return [def];
  });
  if (tools.length > 0) out.tools = tools;
  const choice = toolChoice(body.tool_choice, body.parallel_tool_calls);
  if (choice && (tools.length > 0 || choice.type === 'none')) out.tool_choice = choice;
  if (typeof body.user === 'string') out.metadata = { user_id: body.user };
  return out;
}

function anthropicUsage(raw: unknown) {
  const u = isObject(raw) ? raw : {};
  const cacheRead = num(u.cache_read_input_tokens) ?? 0;
  const prompt = (num(u.input_tokens) ?? 0) + cacheRead + (num(u.cache_creation_input_tokens) ?? 0);
  return usage(prompt, num(u.output_tokens) ?? 0, cacheRead);
}

function fromAnthropicError(status: number, json: unknown): Json {
  const error = isObject(json) && isObject(json.error) ? json.error : undefined;
  const message =
    typeof error?.message === 'string'
      ? error.message
      : `Upstream returned HTTP ${status} without an error body`;
  const type = typeof error?.type === 'string' ? error.type : 'api_error';
  return openAIError(message, type, type);
}

function fromAnthropicMessage(status: number, json: unknown, target: CompatTarget, created: number): unknown {
  if (status >= 400 || !isObject(json) || json.type === 'error') return fromAnthropicError(status, json);
  let text = '';
  let hasText = false;
  const toolCalls: Json[] = [];
  for (const block of asArray(json.content)) {
    if (!isObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') {
      text += block.text;
      hasText = true;
    } else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const message: Json = { role: 'assistant', content: hasText ? text : null, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: typeof json.id === 'string' ? json.id : `chatcmpl-${created}`,
    object: 'chat.completion',
    created,
    model: typeof json.model === 'string' ? json.model : target.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: anthropicFinishReason(json.stop_reason) }],
    usage: anthropicUsage(json.usage),
  };
}

/** Anthropic Messages SSE → OpenAI chunk SSE. */
function anthropicStreamTranslator(target: CompatTarget, created: number): StreamTranslator {
  return sseTranslator((emit) => {
    const state: ChunkState = { id: '', created, model: target.model };
    const toolIndexByBlock = new Map<number, number>();
    let inputUsage: unknown;
    let outputTokens = 0;
    let finishReason: string | null = null;
    let finished = false;

    const finish = () => {
      if (finished) return;
      finished = true;
      const u = anthropicUsage({ ...(isObject(inputUsage) ? inputUsage : {}), output_tokens: outputTokens });
      emit(sseData(chunk(state, {}, finishReason ?? 'stop', { usage: u })));
      emit(SSE_DONE);
    };

    const onEvent = (event: { event: string | undefined; data: string }) => {
      if (finished) return;
      const data = tryParseJson(event.data);
      if (!isObject(data)) return;
      switch (data.type) {
        case 'message_start': {
          const message = isObject(data.message) ? data.message : {};
          if (typeof message.id === 'string') state.id = message.id;
          if (typeof message.model === 'string') state.model = message.model;
          inputUsage = message.usage;
          outputTokens = (isObject(message.usage) && num(message.usage.output_tokens)) || 0;
          emit(sseData(chunk(state, { role: 'assistant', content: '' })));
          break;
        }
        case 'content_block_start': {
          const block = isObject(data.content_block) ? data.content_block : {};
          const index = num(data.index) ?? 0;
          if (block.type === 'tool_use') {
            const toolIndex = toolIndexByBlock.size;
            toolIndexByBlock.set(index, toolIndex);
            const call = {
              index: toolIndex,
              id: block.id,
              type: 'function',
              function: { name: block.name, arguments: '' },
            };
            emit(sseData(chunk(state, { tool_calls: [call] })));
          } else if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
            emit(sseData(chunk(state, { content: block.text })));
          }
          break;
        }
        case 'content_block_delta': {
          const delta = isObject(data.delta) ? data.delta : {};
          if (delta.type === 'text_delta' && typeof delta.text === 'string') {
            emit(sseData(chunk(state, { content: delta.text })));
          } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
            const toolIndex = toolIndexByBlock.get(num(data.index) ?? 0);
            if (toolIndex !== undefined && delta.partial_json !== '') {
              const call = { index: toolIndex, function: { arguments: delta.partial_json } };
              emit(sseData(chunk(state, { tool_calls: [call] })));
            }
          }
          break;
        }
        case 'message_delta': {
          if (isObject(data.delta) && data.delta.stop_reason != null) {
            finishReason = anthropicFinishReason(data.delta.stop_reason);
          }
          if (isObject(data.usage)) {
            outputTokens = num(data.usage.output_tokens) ?? outputTokens;
            if (num(data.usage.input_tokens) !== undefined) {
              inputUsage = { ...(isObject(inputUsage) ? inputUsage : {}), ...stripNulls(data.usage) };
            }
          }
          break;
        }
        case 'message_stop':
          finish();
          break;
        case 'error':
          finished = true;
          emit(sseData(fromAnthropicError(500, data)));
          emit(SSE_DONE);
          break;
      }
    };

    const onEnd = () => {
      if (finished) return;
      if (state.id !== '') return finish();
      finished = true;
      emit(SSE_DONE);
    };
    return { onEvent, onEnd };
  });
}

function stripNulls(value: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && k !== 'output_tokens') out[k] = v;
  return out;
}

export const anthropicAdapter: CompatAdapter = {
  upstreamPath: () => '/v1/messages',
  toUpstream(body, target, clientAuthorization) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'anthropic-version': ANTHROPIC_VERSION,
    };
    const key = bearerToken(clientAuthorization);
    if (key) headers['x-api-key'] = key;
    return { body: Buffer.from(JSON.stringify(toAnthropicBody(body, target.model))), headers };
  },
  fromUpstream: fromAnthropicMessage,
  streamTranslator: anthropicStreamTranslator,
};

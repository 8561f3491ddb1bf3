// OpenAI chat.completions ⇄ Google AI Studio generateContent.
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

const FINISH_REASONS: Record<string, string> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
};

function googleFinishReason(reason: unknown, hasToolCalls: boolean): string | null {
  if (typeof reason !== 'string' || reason === '' || reason === 'FINISH_REASON_UNSPECIFIED') return null;
  const mapped = FINISH_REASONS[reason] ?? 'stop';
  return mapped === 'stop' && hasToolCalls ? 'tool_calls' : mapped;
}

function bareModel(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model;
}

function userParts(content: unknown): Json[] {
  if (typeof content === 'string') return [{ text: content }];
  const parts: Json[] = [];
  for (const part of asArray(content)) {
    if (!isObject(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') parts.push({ text: part.text });
    else if (part.type === 'image_url') {
      const url = imageUrlOf(part);
      if (url === undefined) continue;
      const data = parseDataUrl(url);
      parts.push(
        data
          ? { inlineData: { mimeType: data.mediaType, data: data.data } }
          : { fileData: { fileUri: url, mimeType: guessImageType(url) } },
      );
    }
  }
  return parts;
}

function guessImageType(url: string): string {
  const ext = /\.(png|gif|webp|jpe?g)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  if (ext === 'png' || ext === 'gif' || ext === 'webp') return `image/${ext}`;
  return 'image/jpeg';
}

function toGoogleBody(body: Json): Json {
  const system: string[] = [];
  const contents: { role: string; parts: Json[] }[] = [];
  const toolNames = new Map<string, string>();
  const append = (role: string, parts: Json[]) => {
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of asArray(body.messages)) {
    if (!isObject(message)) continue;
    if (message.role === 'system' || message.role === 'developer') {
      system.push(contentText(message.content));
    } else if (message.role === 'user') {
      append('user', userParts(message.content));
    } else if (message.role === 'assistant') {
      const parts: Json[] = [];
      const text = contentText(message.content);
      if (text !== '') parts.push({ text });
      for (const call of asArray(message.tool_calls)) {
        if (!isObject(call) || !isObject(call.function)) continue;
        const name = String(call.function.name);
        if (typeof call.id === 'string') toolNames.set(call.id, name);
        parts.push({ functionCall: { name, args: toolArguments(call.function.arguments) } });
      }
      append('model', parts);
    } else if (message.role === 'tool') {
      const id = typeof message.tool_call_id === 'string' ? message.tool_call_id : '';
      const name = toolNames.get(id) ?? id;
      append('user', [{ functionResponse: { name, response: { content: contentText(message.content) } } }]);
    }
  }
  const out: Json = { contents };
  if (system.length > 0) out.systemInstruction = { parts: [{ text: system.join('\n\n') }] };

  const config: Json = {};
  const maxTokens = maxTokensOf(body);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  if (num(body.temperature) !== undefined) config.temperature = body.temperature;
  if (num(body.top_p) !== undefined) config.topP = body.top_p;
  const stop = stopList(body.stop);
  if (stop) config.stopSequences = stop;
  if (num(body.n) !== undefined) config.candidateCount = body.n;
  if (num(body.seed) !== undefined) config.seed = body.seed;
  if (num(body.presence_penalty) !== undefined) config.presencePenalty = body.presence_penalty;
  if (num(body.frequency_penalty) !== undefined) config.frequencyPenalty = body.frequency_penalty;
  const format = isObject(body.response_format) ? body.response_format.type : undefined;
  if (format === 'json_object' || format === 'json_schema') config.responseMimeType = 'application/json';
  if (Object.keys(config).length > 0) out.generationConfig = config;

  const declarations = asArray(body.tools).flatMap((tool) => {
    if (!isObject(tool) || !isObject(tool.function)) return [];
    const fn = tool.function;
    const decl: Json = { name: fn.name };
    if (typeof fn.description === 'string') decl.description = fn.description;
    if (isObject(fn.parameters)) decl.parameters = fn.parameters;
    return [decl];
  });
  if (declarations.length > 0) out.tools = [{ functionDeclarations: declarations }];
  const choice = body.tool_choice;
  if (choice === 'auto' || choice === 'none' || choice === 'required') {
    const mode = choice === 'required' ? 'ANY' : choice.toUpperCase();
    out.toolConfig = { functionCallingConfig: { mode } };
  } else if (isObject(choice) && isObject(choice.function)) {
    out.toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
  }
  return out;
}

function googleUsage(raw: unknown) {
  const u = isObject(raw) ? raw : {};
  const prompt = num(u.promptTokenCount) ?? 0;
  const completion = (num(u.candidatesTokenCount) ?? 0) + (num(u.thoughtsTokenCount) ?? 0);
  return usage(prompt, completion, num(u.cachedContentTokenCount));
}

function fromGoogleError(status: number, json: unknown): Json {
  const body = Array.isArray(json) ? json[0] : json;
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const message =
    typeof error?.message === 'string'
      ? error.message
      : `Upstream returned HTTP ${status} without an error body`;
  const type = typeof error?.status === 'string' ? error.status.toLowerCase() : 'api_error';
  return openAIError(message, type, num(error?.code) ?? status);
}

/** One candidate's parts → text and OpenAI tool calls (ids are positional: Google has none). */
function candidateParts(candidate: Json, firstToolIndex: number): { text: string | null; calls: Json[] } {
  let text: string | null = null;
  const calls: Json[] = [];
  const parts = isObject(candidate.content) ? asArray(candidate.content.parts) : [];
  for (const part of parts) {
    if (!isObject(part) || part.thought === true) continue;
    if (typeof part.text === 'string') text = (text ?? '') + part.text;
    else if (isObject(part.functionCall)) {
      const index = firstToolIndex + calls.length;
      calls.push({
        index,
        id: `call_${index}`,
        type: 'function',
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      });
    }
  }
  return { text, calls };
}

function fromGoogleResponse(status: number, json: unknown, target: CompatTarget, created: number): unknown {
  if (status >= 400 || !isObject(json) || isObject(json.error)) return fromGoogleError(status, json);
  const choices = asArray(json.candidates).map((raw, i) => {
    const candidate = isObject(raw) ? raw : {};
    const { text, calls } = candidateParts(candidate, 0);
    const message: Json = { role: 'assistant', content: text, refusal: null };
    if (calls.length > 0) message.tool_calls = calls.map(({ index: _index, ...call }) => call);
    return {
      index: num(candidate.index) ?? i,
      message,
      logprobs: null,
      finish_reason: googleFinishReason(candidate.finishReason, calls.length > 0) ?? 'stop',
    };
  });
  return {
    id: typeof json.responseId === 'string' ? json.responseId : `chatcmpl-${created}`,
    object: 'chat.completion',
    created,
    model: typeof json.modelVersion === 'string' ? json.modelVersion : bareModel(target.model),
    choices,
    usage: googleUsage(json.usageMetadata),
  };
}

/** `:streamGenerateContent?alt=sse` events → OpenAI chunk SSE (first candidate only). */
function googleStreamTranslator(target: CompatTarget, created: number): StreamTranslator {
  return sseTranslator((emit) => {
    const state: ChunkState = { id: '', created, model: bareModel(target.model) };
    let started = false;
    let toolCount = 0;
    let lastUsage: unknown;
    let finished = false;

    const onEvent = (event: { data: string }) => {
      if (finished) return;
      const data = tryParseJson(event.data);
      const body = Array.isArray(data) ? data[0] : data;
      if (!isObject(body)) return;
      if (isObject(body.error)) {
        finished = true;
        emit(sseData(fromGoogleError(500, body)) + SSE_DONE);
        return;
      }
      if (!started) {
        started = true;
        state.id = typeof body.responseId === 'string' ? body.responseId : `chatcmpl-${state.created}`;
        if (typeof body.modelVersion === 'string') state.model = body.modelVersion;
        emit(sseData(chunk(state, { role: 'assistant', content: '' })));
      }
      if (body.usageMetadata !== undefined) lastUsage = body.usageMetadata;
      const candidate = asArray(body.candidates)[0];
      if (!isObject(candidate)) return;
      const { text, calls } = candidateParts(candidate, toolCount);
      toolCount += calls.length;
      if (text !== null && text !== '') emit(sseData(chunk(state, { content: text })));
      if (calls.length > 0) emit(sseData(chunk(state, { tool_calls: calls })));
      const reason = googleFinishReason(candidate.finishReason, toolCount > 0);
      if (reason !== null) {
        finished = true;
        emit(sseData(chunk(state, {}, reason, { usage: googleUsage(lastUsage) })) + SSE_DONE);
      }
    };

    const onEnd = () => {
      if (finished) return;
      finished = true;
      if (started) emit(sseData(chunk(state, {}, 'stop', { usage: googleUsage(lastUsage) })));
      emit(SSE_DONE);
    };
    return { onEvent, onEnd };
  });
}

export const googleAdapter: CompatAdapter = {
  upstreamPath: (target, stream) =>
    `/v1beta/models/${bareModel(target.model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
  toUpstream(body, _target, clientAuthorization) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const key = bearerToken(clientAuthorization);
    if (key) headers['x-goog-api-key'] = key;
    return { body: Buffer.from(JSON.stringify(toGoogleBody(body))), headers };
  },
  fromUpstream: fromGoogleResponse,
  streamTranslator: googleStreamTranslator,
};

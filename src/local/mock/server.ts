// Deterministic mock upstream (`aigw proxy --mock`, tests, bench): it stands in for every provider, so it answers
// each one's main endpoints in that provider's shapes, and anything else with an error that names the mock (a
// 404 whose message says what it answers, and `x-aigw-mock: no-route`), never an answer a real provider gives.
//
// URL: `${url}/{provider}/{provider's own path}`. Answered for every provider (by suffix): POST …/chat/completions,
// …/responses, …/embeddings, …/messages (Anthropic), …/models/{m}:generateContent and :streamGenerateContent
// (Google, `?alt=sse`); GET …/models. Provider-specific (native.ts): Workers AI `run/{model}`, Bedrock converse,
// converse-stream, invoke and invoke-with-response-stream, Cohere v1/v2 chat and embed, Replicate predictions,
// Hugging Face text generation, ElevenLabs text to speech.
//
// Replies: `Mock reply to: "<first 60 chars of the last user message>"`. The same body always gets the same bytes
// (ids derive from a hash of the body; `created` is fixed). Tokens: ceil(chars / 4) for the prompt text and the
// reply. A reply longer than max_tokens (max_completion_tokens, max_output_tokens, maxOutputTokens, maxTokens,
// max_new_tokens) is cut, with the provider's "length" finish reason. A forced tool choice (OpenAI `required` or a
// named function, Anthropic `any` / `tool`, Google mode ANY, Bedrock `any` / `tool`, Cohere `REQUIRED`) answers
// with a call to that tool (or the first) with arguments `{}`. `stream: true` answers in the provider's event
// format; OpenAI `stream_options.include_usage` is honoured.
//
// Behaviour knobs, as request headers:
//   x-mock-latency-ms: N       wait N ms before the first byte (of any answer, failures included)
//   x-mock-chunk-delay-ms: N   wait N ms between stream events
//   x-mock-status: S           answer HTTP S with the provider's error body
//   x-mock-fail: reset         destroy the socket without answering
//   x-mock-fail: timeout       never answer (the connection stays open until the client gives up)
//   x-mock-fail: garbage       200, content-type application/json, a body that is not JSON
//   x-mock-fail-times: K       apply x-mock-status / x-mock-fail (503 when neither is set) only to the first K
//                              requests with the same x-mock-key (default key: path + body), then answer normally
//   x-mock-key: K              the counter key for x-mock-fail-times
// or as `@name=value` suffixes of the model (for SDK users; headers win):
//   gpt-4o@latency=50@chunk-delay=5@status=503@fail=reset|timeout|garbage|503@fail-times=2@key=abc
// (`@fail=503` is short for `@status=503`). Suffixes are stripped from the model echoed back.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isObject, type Json } from '../compat/openai.js';
import {
  type Answer,
  answeredFor,
  answerNative,
  type NativeRoute,
  nativeError,
  nativeFamily,
  nativeRoute,
  type Predictions,
} from './native.js';
import { buildReply, embeddings, type Kind, promptOf, readKnobs } from './request.js';
import {
  anthropicMessages,
  anthropicMessagesStream,
  type ErrorFamily,
  errorBody,
  googleGenerate,
  googleGenerateStream,
  MOCK_CREATED,
  type MockReply,
  openaiChat,
  openaiChatStream,
  openaiResponse,
  openaiResponseStream,
} from './shapes.js';

export interface MockUpstream {
  url: string;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const EMPTY = Buffer.alloc(0);

function kindOf(method: string | undefined, path: string): Kind | undefined {
  if (method === 'GET') return path.endsWith('/models') ? 'models' : undefined;
  if (method !== 'POST') return undefined;
  if (path.endsWith('/chat/completions')) return 'chat';
  if (path.endsWith('/messages')) return 'anthropic';
  if (path.endsWith('/responses')) return 'responses';
  if (path.endsWith('/embeddings')) return 'embeddings';
  if (path.endsWith(':generateContent') || path.endsWith(':streamGenerateContent')) return 'google';
  return undefined;
}

function familyOf(kind: Kind | undefined, provider: string): ErrorFamily {
  if (kind === 'anthropic' || (kind === undefined && provider === 'anthropic')) return 'anthropic';
  if (kind === 'google' || (kind === undefined && provider.startsWith('google'))) return 'google';
  return 'openai';
}

function modelsList(family: ErrorFamily): string {
  if (family === 'anthropic') {
    const data = [
      { type: 'model', id: 'mock-model', display_name: 'Mock model', created_at: '2026-01-01T00:00:00Z' },
    ];
    return JSON.stringify({ data, has_more: false, first_id: 'mock-model', last_id: 'mock-model' });
  }
  if (family === 'google') {
    return JSON.stringify({ models: [{ name: 'models/mock-model', displayName: 'Mock model' }] });
  }
  return JSON.stringify({
    object: 'list',
    data: [{ id: 'mock-model', object: 'model', created: MOCK_CREATED, owned_by: 'mock' }],
  });
}

function isStream(kind: Kind, path: string, search: string, body: Json): boolean {
  if (kind === 'google') return path.endsWith(':streamGenerateContent') && search.includes('alt=sse');
  return body.stream === true;
}

function render(kind: Kind, reply: MockReply): string {
  if (kind === 'anthropic') return anthropicMessages(reply);
  if (kind === 'google') return googleGenerate(reply);
  if (kind === 'responses') return openaiResponse(reply);
  return openaiChat(reply);
}

function renderStream(kind: Kind, reply: MockReply, body: Json): string[] {
  if (kind === 'anthropic') return anthropicMessagesStream(reply);
  if (kind === 'google') return googleGenerateStream(reply);
  if (kind === 'responses') return openaiResponseStream(reply);
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  return openaiChatStream(reply, includeUsage);
}

function writeChunks(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  chunks: (string | Buffer)[],
  delayMs: number,
): void {
  res.writeHead(status, headers);
  if (delayMs <= 0) {
    for (const chunk of chunks) res.write(chunk);
    res.end();
    return;
  }
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    res.write(chunks[i++]!);
    if (i < chunks.length) setTimeout(next, delayMs).unref();
    else res.end();
  };
  next();
}

function send(res: ServerResponse, answer: Answer, delayMs: number): void {
  if ('chunks' in answer) {
    writeChunks(res, answer.status, answer.headers, answer.chunks, delayMs);
    return;
  }
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

export function startMockUpstream(options: { port?: number; host?: string } = {}): Promise<MockUpstream> {
  const failures = new Map<string, number>();
  const predictions: Predictions = new Map();
  const sockets = new Set<Socket>();

  const answer = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? '' : url.slice(q);
    const slash = path.indexOf('/', 1);
    const provider = path.slice(1, slash === -1 ? path.length : slash);
    const method = req.method ?? 'GET';
    const kind = kindOf(method, path);
    const native: NativeRoute | undefined =
      kind === undefined ? nativeRoute(provider, method, path.slice(provider.length + 1)) : undefined;
    const nativeErrors = kind === undefined ? nativeFamily(provider) : undefined;
    const family = familyOf(kind, provider);
    const fail = (status: number, message: string) => {
      if (nativeErrors) {
        send(res, nativeError(nativeErrors, status, message), 0);
        return;
      }
      res.writeHead(status, JSON_HEADERS);
      res.end(errorBody(family, status, message));
    };
    if (kind === undefined && native === undefined) {
      // Not an answer any provider gives: an error that says it comes from the mock, and what the mock answers.
      res.setHeader('x-aigw-mock', 'no-route');
      const message =
        `aigw mock upstream (--mock): no answer for ${method} ${path.slice(provider.length + 1) || '/'} ` +
        `(provider ${provider}). It answers ${answeredFor(provider)}. ` +
        `Send ${provider} to a real or fake upstream with --upstream ${provider}=URL.`;
      if (nativeErrors || family !== 'openai') return fail(404, message);
      // OpenAI's own 404 says model_not_found: this one must not pass for it.
      res.writeHead(404, JSON_HEADERS);
      return res.end(
        JSON.stringify({
          error: { message, type: 'mock_upstream_error', param: null, code: 'mock_no_route' },
        }),
      );
    }

    let body: Json = {};
    if (raw.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (isObject(parsed)) body = parsed;
      } catch {
        return fail(400, 'Mock upstream: the request body is not valid JSON');
      }
    }
    const rawModel =
      kind === 'google'
        ? decodeURIComponent(path.slice(path.lastIndexOf('/models/') + 8, path.lastIndexOf(':')))
        : (native?.model ??
          (typeof body.model === 'string'
            ? body.model
            : typeof body.model_id === 'string'
              ? body.model_id
              : 'mock-model'));
    const { model, knobs } = readKnobs(req, rawModel);
    const hash = createHash('sha256').update(raw).digest('hex');
    let failing = knobs.status >= 400 || knobs.fail !== undefined;
    if (knobs.failTimes !== undefined) {
      const key = knobs.key ?? `${path}\n${hash}`;
      const seen = failures.get(key) ?? 0;
      if (failures.size > 10_000) failures.clear();
      failures.set(key, seen + 1);
      failing = seen < knobs.failTimes;
    }

    const respond = () => {
      if (res.destroyed) return;
      if (failing) {
        if (knobs.fail === 'reset') return req.socket.destroy();
        if (knobs.fail === 'timeout') return;
        if (knobs.fail === 'garbage') {
          res.writeHead(200, JSON_HEADERS);
          return res.end('<html>upstream garbage, not JSON {');
        }
        const status = knobs.status >= 400 ? knobs.status : 503;
        return fail(status, `Mock upstream: injected HTTP ${status}`);
      }
      if (native)
        return send(res, answerNative(native, body, model, hash, path, predictions), knobs.chunkDelayMs);
      if (kind === 'models') {
        res.writeHead(200, JSON_HEADERS);
        return res.end(modelsList(family));
      }
      if (kind === 'embeddings') {
        res.writeHead(200, JSON_HEADERS);
        return res.end(embeddings(body, model));
      }
      const reply = buildReply(promptOf(kind!, body), model, hash);
      if (isStream(kind!, path, search, body))
        return writeChunks(res, 200, SSE_HEADERS, renderStream(kind!, reply, body), knobs.chunkDelayMs);
      res.writeHead(200, JSON_HEADERS);
      res.end(render(kind!, reply));
    };
    if (knobs.latencyMs > 0) setTimeout(respond, knobs.latencyMs).unref();
    else respond();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      answer(
        req,
        res,
        chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export function mockBaseUrl(mock: MockUpstream, provider: string): string {
  return `${mock.url}/${provider}`;
}

/** Whether `--mock` asks for the mock upstream: true (every provider) or a non-empty list of providers. */
export function mockWanted(which: boolean | string[]): boolean {
  return which === true || (Array.isArray(which) && which.length > 0);
}

/** The mock's base URL for each provider `which` names (every provider for true), null for the others. */
export function mockBases(
  mock: MockUpstream,
  which: boolean | string[],
): (provider: string) => string | null {
  const listed = Array.isArray(which) ? new Set(which) : null;
  return (provider) => (listed === null || listed.has(provider) ? mockBaseUrl(mock, provider) : null);
}

// A scripted provider on 127.0.0.1:0. It records every request it receives (method, path, query, headers,
// body) and answers from a queue of scripted replies (then from `fallback`): JSON, SSE streams, raw bodies,
// statuses, connection resets, hangs, or a custom writer.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createDefaults } from '../../src/gateway-defaults.js';
import type { LocalGateway } from '../../src/local/server.js';
import type { GatewaySettings } from '../../src/local/store/gateways.js';

interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query string without '?'. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  json(): any;
  /** Resolves when the exchange ends: 'complete' once the reply was fully sent, 'aborted' if the peer left. */
  outcome: Promise<'complete' | 'aborted'>;
}

type Reply =
  | { status?: number; headers?: Record<string, string>; json: unknown; delayMs?: number }
  | { status?: number; headers?: Record<string, string>; body: string | Buffer; delayMs?: number }
  /** Each string is one event's data (a `data: ...\n\n` frame is written per item), one write per frame. */
  | {
      status?: number;
      headers?: Record<string, string>;
      sse: string[];
      intervalMs?: number;
      delayMs?: number;
    }
  /** Raw SSE frames written as is. */
  | { status?: number; headers?: Record<string, string>; frames: string[]; intervalMs?: number }
  | { reset: true; afterBytes?: string }
  | { hang: true }
  | { write: (res: ServerResponse, closed: () => boolean) => Promise<void> | void };

type ReplyFn = (req: RecordedRequest) => Reply;

export interface FakeUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Replies used in order, one per request, before `fallback`. */
  reply(...replies: (Reply | ReplyFn)[]): void;
  fallback: Reply | ReplyFn;
  /** Forgets recorded requests and queued replies. */
  clear(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const queue: (Reply | ReplyFn)[] = [];
  const sockets = new Set<Socket>();
  const fake: FakeUpstream = {
    url: '',
    requests,
    reply: (...replies) => {
      queue.push(...replies);
    },
    fallback: { json: { ok: true } },
    clear: () => {
      requests.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    let settle!: (v: 'complete' | 'aborted') => void;
    const outcome = new Promise<'complete' | 'aborted'>((r) => {
      settle = r;
    });
    res.on('close', () => settle(res.writableFinished ? 'complete' : 'aborted'));
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.slice(1),
      headers: req.headers,
      body,
      text: () => body.toString('utf8'),
      json: () => JSON.parse(body.toString('utf8')),
      outcome,
    };
    requests.push(recorded);
    const next = queue.shift() ?? fake.fallback;
    const reply = typeof next === 'function' ? next(recorded) : next;
    try {
      await answer(reply, res, req.socket);
    } catch {
      res.destroy();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

async function answer(reply: Reply, res: ServerResponse, socket: Socket): Promise<void> {
  const closed = () => res.destroyed || socket.destroyed;
  if ('reset' in reply) {
    if (reply.afterBytes) {
      // Headers and a first chunk, then a dead connection mid-body.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(reply.afterBytes);
      await sleep(20);
    }
    socket.destroy();
    return;
  }
  if ('hang' in reply) return; // never answers; the socket stays open until the peer leaves
  if ('write' in reply) {
    await reply.write(res, closed);
    return;
  }
  if ('delayMs' in reply && reply.delayMs) await sleep(reply.delayMs);
  const status = reply.status ?? 200;
  if ('json' in reply) {
    const text = JSON.stringify(reply.json);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...reply.headers,
    });
    res.end(text);
    return;
  }
  if ('body' in reply) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', ...reply.headers });
    res.end(reply.body);
    return;
  }
  const frames = 'sse' in reply ? reply.sse.map((d) => `data: ${d}\n\n`) : reply.frames;
  res.writeHead(status, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...reply.headers,
  });
  res.flushHeaders();
  for (const frame of frames) {
    if (closed()) return;
    res.write(frame);
    if (reply.intervalMs) await sleep(reply.intervalMs);
  }
  res.end();
}

/** OpenAI chat.completion JSON. */
export function openaiCompletion(text: string, model = 'gpt-4o-mini', usage = { prompt: 11, completion: 7 }) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1767225600,
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null },
    ],
    usage: {
      prompt_tokens: usage.prompt,
      completion_tokens: usage.completion,
      total_tokens: usage.prompt + usage.completion,
    },
  };
}

/** OpenAI chat.completion.chunk SSE data payloads (usage on the last chunk, then [DONE]). */
export function openaiStream(
  pieces: string[],
  model = 'gpt-4o-mini',
  usage = { prompt: 5, completion: 3 },
): string[] {
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1767225600, model };
  const out = pieces.map((content, i) =>
    JSON.stringify({
      ...base,
      choices: [
        { index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null },
      ],
    }),
  );
  out.push(JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  out.push(
    JSON.stringify({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: usage.prompt,
        completion_tokens: usage.completion,
        total_tokens: usage.prompt + usage.completion,
      },
    }),
  );
  out.push('[DONE]');
  return out;
}

/** Anthropic Messages JSON. */
export function anthropicMessage(
  text: string,
  model = 'claude-sonnet-4-5',
  usage = { input: 12, output: 6 },
) {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}

/** Anthropic Messages SSE frames (event + data). */
export function anthropicStreamFrames(pieces: string[], model = 'claude-sonnet-4-5'): string[] {
  const ev = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const frames = [
    ev('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 9, output_tokens: 1 },
      },
    }),
    ev('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
  ];
  for (const text of pieces) {
    frames.push(
      ev('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      }),
    );
  }
  frames.push(ev('content_block_stop', { type: 'content_block_stop', index: 0 }));
  frames.push(
    ev('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 4 },
    }),
  );
  frames.push(ev('message_stop', { type: 'message_stop' }));
  return frames;
}

// Gateway-side conveniences for data-plane tests: gateways in the store, and the stored logs.

export const ACCOUNT = 'acct';

export function createGateway(
  gw: LocalGateway,
  id: string,
  settings: Partial<GatewaySettings> = {},
  accountId = ACCOUNT,
): void {
  const created = gw.runtime.gateways.create(
    accountId,
    id,
    { ...createDefaults, authentication: false, ...settings },
    new Date(),
  );
  if (!created) throw new Error(`gateway ${id} exists`);
}

export interface LogRow {
  id: string;
  gateway_id: string;
  provider: string;
  model: string;
  path: string;
  request_type: string | null;
  status_code: number | null;
  success: number;
  cached: number;
  duration: number;
  tokens_in: number | null;
  tokens_out: number | null;
  cost: number | null;
  custom_cost: number;
  metadata: string | null;
  step: number | null;
  event_id: string | null;
  user_agent: string | null;
  request_content_type: string | null;
  response_content_type: string | null;
  request_size: number | null;
  response_size: number | null;
  request_head: string | null;
  response_head: string | null;
  request_body: Uint8Array | null;
  response_body: Uint8Array | null;
  error: string | null;
  route_name: string | null;
  route_version: string | null;
  route_element: string | null;
}

/** Flushes pending log writes and returns the gateway's stored logs, oldest first. */
export function storedLogs(gw: LocalGateway, gatewayId: string, accountId = ACCOUNT): LogRow[] {
  gw.runtime.logs.flush();
  return gw.runtime.store.db
    .prepare('SELECT * FROM logs WHERE account_id = ? AND gateway_id = ? ORDER BY seq')
    .all(accountId, gatewayId) as unknown as LogRow[];
}

/** Polls until the log with this id is stored (a streamed answer is logged once its last byte is sent). */
export async function logById(gw: LocalGateway, gatewayId: string, id: string | null): Promise<LogRow> {
  if (!id) throw new Error('no cf-aig-log-id on the answer');
  const deadline = Date.now() + 5000;
  for (;;) {
    const row = storedLogs(gw, gatewayId).find((r) => r.id === id);
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`log ${id} was not stored`);
    await sleep(10);
  }
}

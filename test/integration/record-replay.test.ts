// Record and replay: a session of OpenAI and Anthropic SDK calls (plain, streaming, tool calls) recorded
// against a fake provider, then replayed with the provider gone: the same content, usage and cost, logs that say
// the answer was replayed, a hard 2010 error for a request never recorded, and no key in any recorded file.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CassetteMode } from '../../src/local/cassettes/store.js';
import type { LocalGateway } from '../../src/local/server.js';
import {
  ACCOUNT,
  anthropicMessage,
  anthropicStreamFrames,
  createGateway,
  type FakeUpstream,
  logById,
  openaiCompletion,
  openaiStream,
  startFakeUpstream,
} from '../helpers/fake-upstream.js';
import { startTestGateway } from '../helpers/local-gateway.js';

const OPENAI_KEY = 'sk-proj-record-replay-openai-0123456789';
const ANTHROPIC_KEY = 'sk-ant-api03-record-replay-anthropic-0123456789';

let dir: string;
let fake: FakeUpstream;
let upstreamUrl: string;

// biome-ignore lint/suspicious/noExplicitAny: the fake reads arbitrary request JSON
function reply(req: { path: string; json(): any }) {
  const body = req.json();
  if (req.path === '/v1/chat/completions') {
    const text = `openai says: ${body.messages.at(-1).content}`;
    if (body.stream) return { sse: openaiStream(text.split(' ')), intervalMs: 5 };
    if (body.tools) {
      const done = openaiCompletion('');
      done.choices[0]!.message = {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
        ],
      } as never;
      return { json: done };
    }
    return { json: openaiCompletion(text) };
  }
  const text = `claude says: ${body.messages.at(-1).content}`;
  if (body.stream) {
    return {
      frames: anthropicStreamFrames(text.split(' '), 'claude-opus-4-5'),
      headers: { 'content-type': 'text/event-stream' },
    };
  }
  if (body.tools) {
    const msg = anthropicMessage('', 'claude-opus-4-5') as Record<string, unknown>;
    msg.content = [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } }];
    msg.stop_reason = 'tool_use';
    return { json: msg };
  }
  return { json: anthropicMessage(text, 'claude-opus-4-5') };
}

/** The gateway's clock, which stamps what it records. */
const RECORDED_AT = '2031-05-06T07:08:09.000Z';

async function gatewayIn(mode: CassetteMode, ignore: string[] = []): Promise<LocalGateway> {
  const { parseIgnoreRule } = await import('../../src/local/cassettes/canonical.js');
  const gw = await startTestGateway({
    upstreams: { openai: `${upstreamUrl}/v1`, anthropic: upstreamUrl },
    cassettes: { dir, mode, speed: 'instant', ignore: ignore.map((r) => parseIgnoreRule(r) as never) },
    now: () => new Date(RECORDED_AT),
  });
  createGateway(gw, 'dev');
  return gw;
}

const tool = {
  type: 'function' as const,
  function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

/** The session: what each SDK call returned and the cost its log records. */
async function session(gw: LocalGateway, prompt = 'hello') {
  const openai = new OpenAI({
    apiKey: OPENAI_KEY,
    baseURL: `${gw.url}/v1/${ACCOUNT}/dev/openai`,
    maxRetries: 0,
  });
  const anthropic = new Anthropic({
    apiKey: ANTHROPIC_KEY,
    baseURL: `${gw.url}/v1/${ACCOUNT}/dev/anthropic`,
    maxRetries: 0,
  });
  const out: { what: string; content: unknown; usage: unknown; logId: string | null }[] = [];
  const plain = await openai.chat.completions
    .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], user: 'run-1' })
    .withResponse();
  out.push({
    what: 'openai plain',
    content: plain.data.choices[0]!.message.content,
    usage: plain.data.usage,
    logId: plain.response.headers.get('cf-aig-log-id'),
  });
  const stream = await openai.chat.completions
    .create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `${prompt} stream` }],
      stream: true,
      stream_options: { include_usage: true },
    })
    .withResponse();
  let text = '';
  let usage: unknown = null;
  for await (const chunk of stream.data) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  out.push({
    what: 'openai stream',
    content: text,
    usage,
    logId: stream.response.headers.get('cf-aig-log-id'),
  });
  const tools = await openai.chat.completions
    .create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `${prompt} weather` }],
      tools: [tool],
    })
    .withResponse();
  out.push({
    what: 'openai tools',
    content: tools.data.choices[0]!.message.tool_calls,
    usage: tools.data.usage,
    logId: tools.response.headers.get('cf-aig-log-id'),
  });
  const msg = await anthropic.messages
    .create({ model: 'claude-opus-4-5', max_tokens: 64, messages: [{ role: 'user', content: prompt }] })
    .withResponse();
  out.push({
    what: 'anthropic plain',
    content: msg.data.content,
    usage: msg.data.usage,
    logId: msg.response.headers.get('cf-aig-log-id'),
  });
  const ms = anthropic.messages.stream({
    model: 'claude-opus-4-5',
    max_tokens: 64,
    messages: [{ role: 'user', content: `${prompt} stream` }],
  });
  const final = await ms.finalMessage();
  const { response } = await ms.withResponse();
  out.push({
    what: 'anthropic stream',
    content: final.content,
    usage: final.usage,
    logId: response.headers.get('cf-aig-log-id'),
  });
  const toolUse = await anthropic.messages
    .create({
      model: 'claude-opus-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: `${prompt} weather` }],
      tools: [
        { name: 'weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
    })
    .withResponse();
  out.push({
    what: 'anthropic tools',
    content: toolUse.data.content,
    usage: toolUse.data.usage,
    logId: toolUse.response.headers.get('cf-aig-log-id'),
  });
  const costs = [];
  const heads = [];
  for (const call of out) {
    const log = await logById(gw, 'dev', call.logId);
    costs.push(log.cost);
    heads.push(JSON.parse(log.response_head ?? '{}') as Record<string, string>);
  }
  return { calls: out.map(({ logId: _id, ...call }) => call), costs, heads };
}

/** The first choice's content of an OpenAI-shaped answer. */
async function answerOf(res: Promise<Response>): Promise<string> {
  const json = (await (await res).json()) as { choices: { message: { content: string } }[] };
  return json.choices[0]!.message.content;
}

let recorded: Awaited<ReturnType<typeof session>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aigw-cassettes-'));
  fake = await startFakeUpstream();
  upstreamUrl = fake.url;
  fake.fallback = reply;
  const gw = await gatewayIn('record');
  try {
    recorded = await session(gw);
  } finally {
    await gw.close();
    await fake.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('record', () => {
  it('saves one readable file per exchange, named by provider, path and hash', () => {
    const files = readdirSync(dir).filter((f) => !f.startsWith('.'));
    expect(files).toHaveLength(6);
    expect(files.filter((f) => f.startsWith('openai-chat-completions-'))).toHaveLength(3);
    expect(files.filter((f) => f.startsWith('anthropic-v1-messages-'))).toHaveLength(3);
    const streamed = files
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
      .find((r) => r.request.provider === 'openai' && r.request.body.stream);
    expect(streamed.response.status).toBe(200);
    expect(streamed.recorded_at).toBe(RECORDED_AT);
    expect(streamed.response.events.length).toBeGreaterThan(3);
    expect(streamed.response.events.at(-1).data).toBe('data: [DONE]\n\n');
    expect(streamed.request.headers['content-type']).toBe('application/json');
    expect(recorded.calls[0]!.content).toBe('openai says: hello');
  });

  it('keeps none of the keys used in any recorded file', () => {
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text).not.toContain(OPENAI_KEY);
      expect(text).not.toContain(ANTHROPIC_KEY);
      expect(text).not.toMatch(/authorization|x-api-key/i);
    }
  });
});

describe('replay with the provider gone', () => {
  let gw: LocalGateway;
  beforeAll(async () => {
    gw = await gatewayIn('replay');
  });
  afterAll(() => gw.close());

  it('answers every SDK call with the same content, usage and cost, and logs that it was replayed', async () => {
    const replayed = await session(gw);
    expect(replayed.calls).toEqual(recorded.calls);
    expect(replayed.costs).toEqual(recorded.costs);
    expect(replayed.costs.every((c) => typeof c === 'number' && c > 0)).toBe(true);
    for (const head of replayed.heads) expect(head['cf-aig-replayed']).toMatch(/^[0-9a-f]{16}$/);
    for (const head of recorded.heads) expect(head['cf-aig-replayed']).toBeUndefined();
    const used = JSON.parse(readFileSync(join(dir, '.aigw-used.json'), 'utf8'));
    expect(used.used).toHaveLength(6);
  });

  it('fails a changed prompt with 404 / 2010, naming its hash, the closest recording and how to record it', async () => {
    const openai = new OpenAI({
      apiKey: OPENAI_KEY,
      baseURL: `${gw.url}/v1/${ACCOUNT}/dev/openai`,
      maxRetries: 0,
    });
    const err = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'goodbye' }], user: 'run-1' })
      .then(
        () => null,
        (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
      );
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    const [detail] = err!.error as { code: number; message: string }[];
    expect(detail!.code).toBe(2010);
    const message = detail!.message;
    expect(message).toMatch(
      /No recording for this request: POST openai\/chat\/completions, hash [0-9a-f]{16}/,
    );
    expect(message).toMatch(
      /closest recording is openai-chat-completions-[0-9a-f]{16}\.json, which differs at body\.messages\[0\]\.content/,
    );
    expect(message).toContain(`--record ${dir}`);
  });

  it('a field that changes between runs is matched only when an ignore rule leaves it out of the hash', async () => {
    const send = (g: LocalGateway, user: string) =>
      new OpenAI({
        apiKey: OPENAI_KEY,
        baseURL: `${g.url}/v1/${ACCOUNT}/dev/openai`,
        maxRetries: 0,
      }).chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], user })
        .then((r) => r.choices[0]!.message.content)
        .catch((e: { status?: number }) => e.status);
    expect(await send(gw, 'run-2')).toBe(404);
    // Recorded with the rule into a directory of its own: the recordings the other tests read stay as made.
    const before = dir;
    dir = mkdtempSync(join(tmpdir(), 'aigw-cassettes-'));
    try {
      const rule = ['openai:/chat/completions:user,metadata'];
      const again = await startFakeUpstream();
      again.fallback = reply;
      upstreamUrl = again.url;
      const recorder = await gatewayIn('record', rule);
      expect(await send(recorder, 'run-1')).toBe('openai says: hello');
      await recorder.close();
      await again.close();
      const lenient = await gatewayIn('replay', rule);
      try {
        expect(await send(lenient, 'run-2')).toBe('openai says: hello');
        expect(await send(lenient, 'run-3')).toBe('openai says: hello');
      } finally {
        await lenient.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      dir = before;
    }
  });
});

describe('hybrid (--record-missing), the compat and universal forms', () => {
  it('records what is missing, replays the rest, and replays both forms offline later', async () => {
    const before = dir;
    dir = mkdtempSync(join(tmpdir(), 'aigw-cassettes-'));
    const live = await startFakeUpstream();
    live.fallback = reply;
    upstreamUrl = live.url;
    const compat = (g: LocalGateway) =>
      new OpenAI({
        apiKey: ANTHROPIC_KEY,
        baseURL: `${g.url}/v1/${ACCOUNT}/dev/compat`,
        maxRetries: 0,
      }).chat.completions
        .create({ model: 'anthropic/claude-opus-4-5', messages: [{ role: 'user', content: 'compat' }] })
        .withResponse();
    const universal = (g: LocalGateway) =>
      fetch(`${g.url}/v1/${ACCOUNT}/dev`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          {
            provider: 'openai',
            endpoint: 'chat/completions',
            headers: { authorization: `Bearer ${OPENAI_KEY}` },
            query: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'universal' }] },
          },
        ]),
      });
    try {
      const hybrid = await gatewayIn('hybrid');
      try {
        const first = await compat(hybrid);
        expect(first.data.choices[0]!.message.content).toBe('claude says: compat');
        expect(first.response.headers.get('cf-aig-replayed')).toBeNull();
        const second = await compat(hybrid);
        expect(second.data.choices[0]!.message.content).toBe('claude says: compat');
        expect(second.response.headers.get('cf-aig-replayed')).toMatch(/^[0-9a-f]{16}$/);
        expect(await answerOf(universal(hybrid))).toBe('openai says: universal');
        expect((await universal(hybrid)).headers.get('cf-aig-replayed')).toMatch(/^[0-9a-f]{16}$/);
        expect(live.requests).toHaveLength(2);
      } finally {
        await hybrid.close();
      }
      await live.close();
      const offline = await gatewayIn('replay');
      try {
        expect((await compat(offline)).data.choices[0]!.message.content).toBe('claude says: compat');
        expect(await answerOf(universal(offline))).toBe('openai says: universal');
      } finally {
        await offline.close();
      }
      for (const file of readdirSync(dir)) {
        const text = readFileSync(join(dir, file), 'utf8');
        expect(text).not.toContain(OPENAI_KEY);
        expect(text).not.toContain(ANTHROPIC_KEY);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      dir = before;
    }
  });
});

describe('--replay-speed recorded', () => {
  it('keeps the recorded time between stream events (instant replay does not)', async () => {
    const before = dir;
    dir = mkdtempSync(join(tmpdir(), 'aigw-cassettes-'));
    const live = await startFakeUpstream();
    live.fallback = { sse: openaiStream(['a', 'b', 'c', 'd']), intervalMs: 60 };
    upstreamUrl = live.url;
    const timed = async (g: LocalGateway) => {
      const started = performance.now();
      const res = await fetch(`${g.url}/v1/${ACCOUNT}/dev/openai/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPENAI_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'pace' }],
          stream: true,
        }),
      });
      const text = await res.text();
      return { text, ms: performance.now() - started };
    };
    try {
      const recorder = await gatewayIn('record');
      const live1 = await timed(recorder).finally(() => recorder.close());
      await live.close();
      const file = readdirSync(dir).find((f) => !f.startsWith('.'))!;
      const events = JSON.parse(readFileSync(join(dir, file), 'utf8')).response.events as { at_ms: number }[];
      const span = events.at(-1)!.at_ms - events[0]!.at_ms;
      expect(span).toBeGreaterThanOrEqual(200);
      const paced = await startTestGateway({
        upstreams: { openai: `${upstreamUrl}/v1` },
        cassettes: { dir, mode: 'replay', speed: 'recorded', ignore: [] },
      });
      createGateway(paced, 'dev');
      const slow = await timed(paced).finally(() => paced.close());
      const instant = await gatewayIn('replay');
      const fast = await timed(instant).finally(() => instant.close());
      expect(slow.text).toBe(live1.text);
      expect(fast.text).toBe(live1.text);
      expect(slow.ms).toBeGreaterThanOrEqual(span * 0.9);
      expect(fast.ms).toBeLessThan(slow.ms);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      dir = before;
    }
  });
});

// `aigw request` in process: the URL, headers and body it sends through a fake data plane, what it prints,
// and that no key or token ever shows. The management API (gateway settings, the log's cost) is the fake
// logs API, checked against the contract.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeLog, fakeLogsApi } from '../helpers/fake-logs-api.js';
import { runInProcess } from '../helpers/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'aigw-request-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API_TOKEN = 'cf-api-token-0123456789';
const ACCOUNT = '0123456789abcdef0123456789abcdef';
const OPENAI_KEY = 'sk-openai-secret-0123456789';
const ANTHROPIC_KEY = 'sk-ant-secret-0123456789';
const GATEWAY_TOKEN = 'gw-token-secret-0123456789';

interface Sent {
  url: string;
  headers: Headers;
  body: unknown;
}

let api: ReturnType<typeof fakeLogsApi>;
let sent: Sent[];
let reply: (sent: Sent) => Response;

const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'cf-aig-log-id': '01REQ',
      'cf-aig-cache-status': 'MISS',
      ...headers,
    },
  });

const chatAnswer = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there!' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
};

const loggedRequest: FakeLog = {
  id: '01REQ',
  created_at: '2026-05-10T12:00:00.000Z',
  provider: 'openai',
  model: 'gpt-4o-mini',
  path: 'chat/completions',
  duration: 12,
  success: true,
  cached: false,
  tokens_in: 3,
  tokens_out: 4,
  cost: 0.0000032,
};

beforeEach(() => {
  api = fakeLogsApi({
    gateways: { prod: {}, locked: { authentication: true } },
    logs: [{ ...loggedRequest }],
  });
  sent = [];
  reply = () => jsonReply(200, chatAnswer);
});

afterEach(() => {
  expect(api.violations).toEqual([]);
});

const fetchImpl: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  if (new URL(request.url).host === 'api.cloudflare.com' || request.url.includes('/client/v4/')) {
    return api.fetch(request);
  }
  const text = await request.text();
  const s = { url: request.url, headers: request.headers, body: text ? JSON.parse(text) : undefined };
  sent.push(s);
  return reply(s);
};

let clock = Date.parse('2026-05-10T12:00:00Z');
const tick = () => {
  clock += 25;
  return new Date(clock);
};

function aigw(argv: string[], env: Record<string, string> = {}) {
  return runInProcess(argv, {
    env: {
      CLOUDFLARE_API_TOKEN: API_TOKEN,
      CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
      AIGW_CONFIG_DIR: join(dir, 'config'),
      OPENAI_API_KEY: OPENAI_KEY,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      NO_COLOR: '1',
      ...env,
    },
    cwd: dir,
    fetch: fetchImpl,
    now: tick,
    sleep: async () => {},
  });
}

const secrets = [API_TOKEN, OPENAI_KEY, ANTHROPIC_KEY, GATEWAY_TOKEN];
function expectNoSecrets(result: { stdout: string; stderr: string }) {
  for (const secret of secrets) expect(result.stdout + result.stderr).not.toContain(secret);
}

describe('aigw request', () => {
  it("sends a prompt to the provider's endpoint on Cloudflare's gateway host with the key from its env var", async () => {
    const result = await aigw([
      'request',
      'prod',
      'Say hi',
      '--provider',
      'openai',
      '--model',
      'gpt-4o-mini',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/prod/openai/chat/completions`);
    expect(sent[0]!.headers.get('authorization')).toBe(`Bearer ${OPENAI_KEY}`);
    expect(sent[0]!.headers.get('cf-aig-authorization')).toBeNull();
    expect(sent[0]!.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hi' }] });
    expect(result.stdout).toBe('Hello there!\n');
    // Status, cache status, log id, tokens, the cost from the gateway's log, time.
    expect(result.stderr).toMatch(
      /200 · cache MISS · log 01REQ · tokens 3 in \/ 4 out · \$0\.0000032 · \d+ms/,
    );
    expectNoSecrets(result);
  });

  it('--json prints everything as one object; --debug shows URLs but no key', async () => {
    const result = await aigw(['--json', '--debug', 'request', 'prod', 'Say hi']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      url: `https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/prod/openai/chat/completions`,
      status: 200,
      ok: true,
      provider: 'openai',
      model: 'gpt-4o-mini',
      cache_status: 'MISS',
      log_id: '01REQ',
      tokens_in: 3,
      tokens_out: 4,
      cost: 0.0000032,
      text: 'Hello there!',
      body: chatAnswer,
    });
    expect(result.stderr).toContain(
      `POST https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/prod/openai/chat/completions`,
    );
    expectNoSecrets(result);
  });

  it('--stream prints the answer as the events arrive', async () => {
    const events = ['Hel', 'lo', ' world'].map(
      (t) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: t } }] })}\n\n`,
    );
    events.push(
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 3 } })}\n\n`,
      'data: [DONE]\n\n',
    );
    const seenBeforeEnd: string[] = [];
    reply = () =>
      new Response(
        new ReadableStream({
          async pull(controller) {
            const next = events.shift();
            if (next === undefined) return controller.close();
            seenBeforeEnd.push(next);
            controller.enqueue(new TextEncoder().encode(next));
          },
        }),
        { status: 200, headers: { 'content-type': 'text/event-stream', 'cf-aig-log-id': '01NOLOG' } },
      );
    const result = await aigw(['request', 'prod', 'Say hi', '--stream']);
    expect(result.code, result.stderr).toBe(0);
    expect(sent[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(result.stdout).toBe('Hello world\n');
    // No log to read the cost from: tokens come from the stream's usage.
    expect(result.stderr).toMatch(/200 · log 01NOLOG · tokens 2 in \/ 3 out · \d+ms/);
  });

  it('anthropic: its key header, version and messages path; --compat: the unified endpoint', async () => {
    reply = () =>
      jsonReply(200, {
        type: 'message',
        content: [{ type: 'text', text: 'Hi!' }],
        usage: { input_tokens: 1, output_tokens: 2 },
      });
    const anthropic = await aigw([
      'request',
      'prod',
      'Hi',
      '--provider',
      'anthropic',
      '--model',
      'claude-3-5-haiku-latest',
    ]);
    expect(anthropic.stdout).toBe('Hi!\n');
    expect(sent[0]!.url).toMatch(/\/prod\/anthropic\/v1\/messages$/);
    expect(sent[0]!.headers.get('x-api-key')).toBe(ANTHROPIC_KEY);
    expect(sent[0]!.headers.get('anthropic-version')).toBe('2023-06-01');
    expect(sent[0]!.body).toMatchObject({ model: 'claude-3-5-haiku-latest', max_tokens: 1024 });

    reply = () => jsonReply(200, chatAnswer);
    await aigw(['request', 'prod', 'Hi', '--compat', '--model', 'anthropic/claude-3-5-haiku-latest']);
    expect(sent[1]!.url).toMatch(/\/prod\/compat\/chat\/completions$/);
    expect(sent[1]!.headers.get('authorization')).toBe(`Bearer ${ANTHROPIC_KEY}`);
    expect(sent[1]!.body).toMatchObject({ model: 'anthropic/claude-3-5-haiku-latest' });
  });

  it('gateway options become cf-aig headers; -d sends a body from a file', async () => {
    writeFileSync(join(dir, 'body.json'), JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }));
    const result = await aigw([
      'request',
      'prod',
      '-d',
      '@body.json',
      '--path',
      '/embeddings',
      '--cache-ttl',
      '1h',
      '--skip-cache',
      '--meta',
      'user=alice',
      '--meta',
      'team=ml',
      '--event-id',
      'evt-9',
      '-H',
      'x-trace: abc',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const { url, headers, body } = sent[0]!;
    expect(url).toMatch(/\/prod\/openai\/embeddings$/);
    expect(body).toEqual({ model: 'text-embedding-3-small', input: 'x' });
    expect(headers.get('cf-aig-cache-ttl')).toBe('3600');
    expect(headers.get('cf-aig-skip-cache')).toBe('true');
    expect(JSON.parse(headers.get('cf-aig-metadata')!)).toEqual({ user: 'alice', team: 'ml' });
    expect(headers.get('cf-aig-event-id')).toBe('evt-9');
    expect(headers.get('x-trace')).toBe('abc');
  });

  it("an authenticated gateway gets the token from CF_AIG_TOKEN (or the profile's API token)", async () => {
    await aigw(['request', 'locked', 'Hi'], { CF_AIG_TOKEN: GATEWAY_TOKEN });
    expect(sent[0]!.headers.get('cf-aig-authorization')).toBe(`Bearer ${GATEWAY_TOKEN}`);
    await aigw(['request', 'locked', 'Hi']);
    expect(sent[1]!.headers.get('cf-aig-authorization')).toBe(`Bearer ${API_TOKEN}`);
  });

  it('a provider error exits 1 with its message; a gateway 401 exits 4; neither shows a key', async () => {
    reply = () =>
      jsonReply(500, { error: { message: `upstream failed for key ${OPENAI_KEY}`, type: 'server_error' } });
    const failed = await aigw(['request', 'prod', 'Hi']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('500 from openai (log 01REQ): upstream failed for key ****');
    expectNoSecrets(failed);

    reply = () =>
      jsonReply(401, {
        success: false,
        result: [],
        messages: [],
        error: [{ code: 2009, message: 'Unauthorized' }],
      });
    const refused = await aigw(['request', 'prod', 'Hi']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('The gateway refused the request');
    expect(refused.stderr).toContain('CF_AIG_TOKEN');
  });

  it('an unreachable gateway says why (exit 1)', async () => {
    reply = () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      throw new TypeError('fetch failed', { cause: refused });
    };
    const result = await aigw(['request', 'prod', 'Hi']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Could not reach the gateway at gateway.ai.cloudflare.com: the connection was refused (nothing is listening there) (ECONNREFUSED).',
    );
  });

  it('against the local gateway: its /v1 URL, the local account, no key needed', async () => {
    const result = await aigw(['--local', 'request', 'prod', 'Hi'], {
      AIGW_LOCAL_URL: 'http://127.0.0.1:9/client/v4',
      CLOUDFLARE_ACCOUNT_ID: '',
      OPENAI_API_KEY: '',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(sent[0]!.url).toBe('http://127.0.0.1:9/v1/local/prod/openai/chat/completions');
    expect(sent[0]!.headers.get('authorization')).toBeNull();
    expect(result.stderr).not.toContain('is not set');
  });

  it('bad input is a usage error (exit 2) and sends nothing', async () => {
    for (const argv of [
      ['request', 'prod'],
      ['request', 'prod', 'Hi', '-d', '{}'],
      ['request', 'prod', '-d', '{not json'],
      ['request', 'prod', 'Hi', '--provider', 'no/such'],
      ['request', 'prod', 'Hi', '--provider', 'anthropic'],
      ['request', 'prod', 'Hi', '--provider', 'fal', '--model', 'x'],
      ['request', 'prod', 'Hi', '--cache-ttl', 'forever'],
      ['request', 'prod', 'Hi', '-H', 'no colon'],
      ['request', 'Bad_Gateway!', 'Hi'],
    ]) {
      const result = await aigw(argv);
      expect(result.code, argv.join(' ')).toBe(2);
    }
    expect(sent).toHaveLength(0);
  });
});

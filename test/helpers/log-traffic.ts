// Real traffic through the local data plane (a fake upstream answering), so the logs API tests read logs the
// gateway wrote itself: every kind of log a filter key tells apart, each under a name, with what was sent.
import type { LogListParams } from 'cloudflare/resources/ai-gateway/logs';
import type { LocalGateway } from '../../src/local/server.js';
import type { LogFilter } from '../../src/log-filters.js';
import {
  ACCOUNT,
  anthropicMessage,
  type FakeUpstream,
  openaiCompletion,
  openaiStream,
  storedLogs,
} from './fake-upstream.js';

/** What a test knows about a request it sent: the log id the answer named, and the inputs. */
export interface Sent {
  name: string;
  logId: string;
  userAgent: string;
  metadata: Record<string, string | number | boolean> | null;
  eventId: string | null;
  status: number;
}

const chat = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });

interface Spec {
  name: string;
  path: string;
  body: unknown;
  headers?: Record<string, string>;
  reply?: Parameters<FakeUpstream['reply']>[0];
  userAgent?: string;
  metadata?: Record<string, string | number | boolean>;
  eventId?: string;
  /** Runs before the request (e.g. turns gateway authentication on). */
  before?: () => void;
}

/**
 * Sends the traffic to `gatewayId` (its provider URLs must point at `fake`) and returns what was sent, by name.
 * `authenticate` turns the gateway's authentication on before the last request, which then carries `token`.
 */
export async function sendTraffic(
  gw: LocalGateway,
  fake: FakeUpstream,
  gatewayId: string,
  token: string,
): Promise<Record<string, Sent>> {
  const cached = chat('cache me');
  const specs: Spec[] = [
    {
      name: 'chat',
      path: 'openai/chat/completions',
      body: chat('hello'),
      reply: { json: openaiCompletion('hi', 'gpt-4o-mini', { prompt: 11, completion: 7 }) },
      userAgent: 'alpha-client/1.0',
      metadata: { user: 'u1', team: 'red', n: 5 },
      eventId: 'ev-1',
    },
    {
      name: 'warm',
      path: 'openai/chat/completions',
      body: cached,
      headers: { 'cf-aig-cache-ttl': '600' },
      reply: { json: openaiCompletion('cached', 'gpt-4o-mini', { prompt: 20, completion: 30 }) },
      userAgent: 'alpha-client/1.0',
    },
    { name: 'hit', path: 'openai/chat/completions', body: cached, headers: { 'cf-aig-cache-ttl': '600' } },
    {
      name: 'fail',
      path: 'openai/chat/completions',
      body: chat('break'),
      reply: { status: 500, json: { error: { message: 'upstream broke' } } },
      metadata: { user: 'u2' },
      eventId: 'ev-2',
    },
    {
      name: 'claude',
      path: 'anthropic/v1/messages',
      body: { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hey' }] },
      headers: { 'content-type': 'application/json; charset=utf-8' },
      reply: { json: anthropicMessage('hello', 'claude-sonnet-4-5', { input: 12, output: 6 }) },
      userAgent: 'beta-client/2.0',
      metadata: { user: 'u2', team: 'blue', n: 12, vip: true },
    },
    {
      name: 'stream',
      path: 'openai/chat/completions',
      body: { ...chat('stream it'), stream: true, stream_options: { include_usage: true } },
      reply: { sse: openaiStream(['Hel', 'lo'], 'gpt-4o-mini', { prompt: 5, completion: 3 }) },
    },
    {
      name: 'compat',
      path: 'compat/chat/completions',
      body: { ...chat('compat'), model: 'openai/gpt-4o' },
      reply: { json: openaiCompletion('compat', 'gpt-4o', { prompt: 8, completion: 4 }) },
    },
    {
      name: 'slow',
      path: 'openai/chat/completions',
      body: chat('take your time'),
      reply: {
        delayMs: 150,
        json: openaiCompletion('slow', 'gpt-4o-mini', { prompt: 100, completion: 200 }),
      },
    },
    {
      name: 'custom',
      path: 'openai/chat/completions',
      body: chat('priced'),
      headers: { 'cf-aig-custom-cost': JSON.stringify({ total_cost: 0.5 }) },
      reply: { json: openaiCompletion('priced') },
    },
    {
      name: 'universal',
      path: '',
      body: [
        {
          provider: 'openai',
          endpoint: 'chat/completions',
          headers: { authorization: 'Bearer sk-u' },
          query: chat('universal'),
        },
      ],
      reply: { json: openaiCompletion('universal') },
    },
    {
      name: 'authed',
      path: 'openai/chat/completions',
      body: chat('with a gateway token'),
      headers: { 'cf-aig-authorization': `Bearer ${token}` },
      reply: { json: openaiCompletion('authed') },
      before: () => {
        const current = gw.runtime.gateways.get(ACCOUNT, gatewayId)!;
        const { id: _id, created_at: _c, modified_at: _m, ...settings } = current;
        gw.runtime.gateways.update(ACCOUNT, gatewayId, { ...settings, authentication: true }, new Date());
      },
    },
  ];
  const sent: Record<string, Sent> = {};
  for (const spec of specs) {
    spec.before?.();
    if (spec.reply) fake.reply(spec.reply);
    const userAgent = spec.userAgent ?? 'gamma-client/3.0';
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: 'Bearer sk-test',
      'user-agent': userAgent,
      ...spec.headers,
    };
    if (spec.metadata) headers['cf-aig-metadata'] = JSON.stringify(spec.metadata);
    if (spec.eventId) headers['cf-aig-event-id'] = spec.eventId;
    const url = `${gw.url}/v1/${ACCOUNT}/${gatewayId}${spec.path ? `/${spec.path}` : ''}`;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(spec.body) });
    await res.arrayBuffer();
    const logId = res.headers.get('cf-aig-log-id');
    if (!logId) throw new Error(`${spec.name}: no cf-aig-log-id`);
    sent[spec.name] = {
      name: spec.name,
      logId,
      userAgent,
      metadata: spec.metadata ?? null,
      eventId: spec.eventId ?? null,
      status: res.status,
    };
  }
  // A streamed answer is logged once its last byte is sent: wait until every log is stored.
  const deadline = Date.now() + 5000;
  while (storedLogs(gw, gatewayId).length < specs.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return sent;
}

/**
 * `filters` as Cloudflare reads them: ONE query parameter holding the JSON array. (The SDK's own encoding,
 * `filters.key=...`, is not read by Cloudflare; the SDK passes a string through as it is.)
 */
export function filtersParam(filters: LogFilter[]): LogListParams['filters'] {
  return JSON.stringify(filters) as unknown as LogListParams['filters'];
}

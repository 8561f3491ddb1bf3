// Gateway behaviours on provider endpoints: gateway resolution, authentication, rate limiting, caching,
// per-request options (metadata, custom cost, log collection) and their validation.
import OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { customCacheKey } from '../../src/local/pipeline/cache.js';
import { ResponseCache } from '../../src/local/store/cache.js';
import {
  ACCOUNT,
  createGateway,
  logById,
  openaiCompletion,
  openaiStream,
  storedLogs,
} from '../helpers/fake-upstream.js';
import { dataPlaneFixture, startTestGateway } from '../helpers/local-gateway.js';

// The gateway's clock: it moves only when a test says so, so windows and lifetimes never depend on when the
// tests run (10 s into a minute: a fixed 60 s window has 50 s left). Each test starts at the same time.
const START = Date.parse('2026-03-01T12:00:10.000Z');
let clock = START;
const tick = (ms: number) => {
  clock += ms;
};
beforeEach(() => {
  clock = START;
});

/** A rate limit of 2 a minute, in a fixed window. */
const fixedLimit = { rate_limiting_limit: 2, rate_limiting_interval: 60 };

// Each rate-limit test counts in a gateway of its own.
const dp = dataPlaneFixture({
  gateway: { apiToken: 'cf-token-1', now: () => new Date(clock) },
  gateways: {
    plain: {},
    cached: { cache_ttl: 600 },
    authed: { authentication: true },
    limited: fixedLimit,
    'limited-window': fixedLimit,
    'limited-sdk': fixedLimit,
    sliding: { rate_limiting_limit: 1, rate_limiting_interval: 30, rate_limiting_technique: 'sliding' },
    quiet: { collect_logs: false },
  },
  fallback: { json: openaiCompletion('hi') },
});

function client(gatewayId: string, headers: Record<string, string> = {}, apiKey = 'sk-one') {
  return new OpenAI({
    apiKey,
    baseURL: `${dp.gw.url}/v1/${ACCOUNT}/${gatewayId}/openai`,
    maxRetries: 0,
    defaultHeaders: headers,
  });
}

const ask = (c: OpenAI, content = 'hello') =>
  c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }).withResponse();

async function post(path: string, headers: Record<string, string> = {}, body = '{"model":"gpt-4o-mini"}') {
  const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-one', ...headers },
    body,
  });
  return { res, json: (await res.json()) as Record<string, unknown> };
}

describe('gateway resolution and authentication', () => {
  it('answers 400 / 2001 with Cloudflare body for an unknown gateway, without calling the provider', async () => {
    const { res, json } = await post('nope/openai/chat/completions');
    expect(res.status).toBe(400);
    expect(json).toEqual({
      success: false,
      result: [],
      messages: [],
      error: [
        {
          code: 2001,
          message: expect.stringMatching(
            /^Please configure AI Gateway in the Cloudflare dashboard\. Local gateway:/,
          ),
        },
      ],
      name: 'AiGatewayError',
      httpCode: 400,
      internalCode: 2001,
    });
    expect(dp.fake.requests).toHaveLength(0);
  });

  it('creates the default gateway on the first authenticated request', async () => {
    expect(dp.gw.runtime.gateways.get(ACCOUNT, 'default')).toBeNull();
    const refused = await post('default/openai/chat/completions');
    expect(refused.res.status).toBe(401);
    expect(dp.gw.runtime.gateways.get(ACCOUNT, 'default')).toBeNull();

    const { res } = await post('default/openai/chat/completions', {
      'cf-aig-authorization': 'Bearer cf-token-1',
    });
    expect(res.status).toBe(200);
    expect(dp.gw.runtime.gateways.get(ACCOUNT, 'default')).toMatchObject({
      id: 'default',
      authentication: true,
      collect_logs: true,
      cache_ttl: 0,
    });
    expect(storedLogs(dp.gw, 'default')).toHaveLength(1);
  });

  it('answers 401 / 2009 on an authenticated gateway without the right token', async () => {
    const refused: Record<string, string>[] = [
      {},
      { 'cf-aig-authorization': 'Bearer wrong' },
      { 'cf-aig-authorization': 'cf-token-1' },
    ];
    for (const headers of refused) {
      const { res, json } = await post('authed/openai/chat/completions', headers);
      expect(res.status).toBe(401);
      expect(json).toMatchObject({ error: [{ code: 2009, message: 'Unauthorized' }], internalCode: 2009 });
    }
    expect(dp.fake.requests).toHaveLength(0);
    const { res } = await post('authed/openai/chat/completions', {
      'cf-aig-authorization': 'Bearer cf-token-1',
    });
    expect(res.status).toBe(200);
    expect(dp.fake.requests[0]!.headers['cf-aig-authorization']).toBeUndefined();
    expect(dp.fake.requests[0]!.headers.authorization).toBe('Bearer sk-one');
  });

  it('accepts any bearer token when no API token is configured', async () => {
    const open = await startTestGateway({ upstreams: { openai: `${dp.fake.url}/v1` } });
    try {
      createGateway(open, 'authed', { authentication: true });
      const url = `${open.url}/v1/${ACCOUNT}/authed/openai/chat/completions`;
      const missing = await fetch(url, { method: 'POST', body: '{}' });
      expect(missing.status).toBe(401);
      const any = await fetch(url, {
        method: 'POST',
        body: '{}',
        headers: { 'cf-aig-authorization': 'Bearer x' },
      });
      expect(any.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 / 2003 with Retry-After past the limit, without calling the provider', async () => {
    expect((await post('limited/openai/chat/completions')).res.status).toBe(200);
    expect((await post('limited/openai/chat/completions')).res.status).toBe(200);
    const { res, json } = await post('limited/openai/chat/completions');
    expect(res.status).toBe(429);
    expect(json).toEqual({
      success: false,
      result: [],
      messages: [],
      error: [{ code: 2003, message: 'Rate limited' }],
      name: 'AiGatewayError',
      httpCode: 429,
      internalCode: 2003,
    });
    // The window is the calendar minute: 50 s of it are left.
    expect(res.headers.get('retry-after')).toBe('50');
    expect(dp.fake.requests).toHaveLength(2);
    const logs = storedLogs(dp.gw, 'limited');
    expect(logs.map((l) => l.status_code)).toEqual([200, 200, 429]);
    expect(logs[2]!.id).toBe(res.headers.get('cf-aig-log-id'));
  });

  it('admits again when the next fixed window starts, and not before', async () => {
    expect((await post('limited-window/openai/chat/completions')).res.status).toBe(200);
    expect((await post('limited-window/openai/chat/completions')).res.status).toBe(200);
    tick(49_000); // 12:00:59
    expect((await post('limited-window/openai/chat/completions')).res.status).toBe(429);
    tick(1_000); // 12:01:00
    expect((await post('limited-window/openai/chat/completions')).res.status).toBe(200);
    expect((await post('limited-window/openai/chat/completions')).res.status).toBe(200);
    const { res } = await post('limited-window/openai/chat/completions');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
  });

  it('limits with a sliding window too', async () => {
    expect((await post('sliding/openai/chat/completions')).res.status).toBe(200);
    const { res } = await post('sliding/openai/chat/completions');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(25);
    // The window counts from the admitted request, not from a calendar boundary: the whole interval is left.
    expect(res.headers.get('retry-after')).toBe('30');
    tick(29_000);
    const later = await post('sliding/openai/chat/completions');
    expect(later.res.status).toBe(429);
    expect(later.res.headers.get('retry-after')).toBe('1');
    tick(1_000);
    expect((await post('sliding/openai/chat/completions')).res.status).toBe(200);
  });

  it('the OpenAI SDK sees a RateLimitError', async () => {
    expect((await post('limited-sdk/openai/chat/completions')).res.status).toBe(200);
    expect((await post('limited-sdk/openai/chat/completions')).res.status).toBe(200);
    const c = client('limited-sdk');
    const err = await ask(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
  });
});

describe('caching', () => {
  it('misses, then hits on the identical call without calling the provider; another key misses', async () => {
    const first = await ask(client('cached'), 'cache me');
    expect(first.response.headers.get('cf-aig-cache-status')).toBe('MISS');
    const second = await ask(client('cached'), 'cache me');
    expect(second.response.headers.get('cf-aig-cache-status')).toBe('HIT');
    expect(second.data).toEqual(first.data);
    expect(dp.fake.requests).toHaveLength(1);

    const otherKey = await ask(client('cached', {}, 'sk-two'), 'cache me');
    expect(otherKey.response.headers.get('cf-aig-cache-status')).toBe('MISS');
    expect(dp.fake.requests).toHaveLength(2);

    const otherBody = await ask(client('cached'), 'something else');
    expect(otherBody.response.headers.get('cf-aig-cache-status')).toBe('MISS');
    expect(dp.fake.requests).toHaveLength(3);

    const hit = storedLogs(dp.gw, 'cached').find(
      (l) => l.id === second.response.headers.get('cf-aig-log-id'),
    );
    expect(hit).toMatchObject({ cached: 1, cost: 0, status_code: 200, tokens_in: 11, tokens_out: 7 });
  });

  it('keeps an entry for the gateway’s cache_ttl and no longer', async () => {
    const cacheStatus = async () =>
      (await ask(client('cached'), 'lifetime')).response.headers.get('cf-aig-cache-status');
    expect(await cacheStatus()).toBe('MISS');
    tick(599_000);
    expect(await cacheStatus()).toBe('HIT');
    tick(1_000);
    expect(await cacheStatus()).toBe('MISS');
    expect(dp.fake.requests).toHaveLength(2);
  });

  it('skips the lookup with cf-aig-skip-cache and ignores metadata in the key', async () => {
    await ask(client('cached', { 'cf-aig-metadata': '{"a":1}' }), 'meta');
    const hit = await ask(client('cached', { 'cf-aig-metadata': '{"a":2}' }), 'meta');
    expect(hit.response.headers.get('cf-aig-cache-status')).toBe('HIT');
    const skipped = await ask(client('cached', { 'cf-aig-skip-cache': 'true' }), 'meta');
    expect(skipped.response.headers.get('cf-aig-cache-status')).toBe('MISS');
    expect(dp.fake.requests).toHaveLength(2);
  });

  it('caches on a gateway without caching when the request sets a TTL, and cf-aig-cache-key replaces the key', async () => {
    const h = { 'cf-aig-cache-ttl': '120' };
    expect((await ask(client('plain', h), 'ttl')).response.headers.get('cf-aig-cache-status')).toBe('MISS');
    expect((await ask(client('plain', h), 'ttl')).response.headers.get('cf-aig-cache-status')).toBe('HIT');
    const keyed = { 'cf-aig-cache-key': 'my-key' };
    await ask(client('plain', keyed), 'one body');
    const other = await ask(client('plain', keyed, 'sk-else'), 'a different body');
    expect(other.response.headers.get('cf-aig-cache-status')).toBe('HIT');
    expect(dp.fake.requests).toHaveLength(2);
    const none = await ask(client('plain'), 'ttl');
    expect(none.response.headers.get('cf-aig-cache-status')).toBeNull();
  });

  it('does not cache errors', async () => {
    dp.fake.reply({ status: 500, json: { error: { message: 'boom' } } });
    await ask(client('cached'), 'error then ok').catch(() => null);
    const ok = await ask(client('cached'), 'error then ok');
    expect(ok.response.headers.get('cf-aig-cache-status')).toBe('MISS');
    expect(dp.fake.requests).toHaveLength(2);
  });

  it('does not cache a streamed answer, as Cloudflare does not: the identical stream asks the provider again', async () => {
    dp.fake.fallback = { sse: openaiStream(['a', 'b', 'c']), intervalMs: 2 };
    const body = '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"s"}]}';
    const send = () =>
      fetch(`${dp.gw.url}/v1/${ACCOUNT}/cached/openai/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-one' },
        body,
      });
    const first = await send();
    const firstText = await first.text();
    expect(first.headers.get('cf-aig-cache-status')).toBe('MISS');
    await logById(dp.gw, 'cached', first.headers.get('cf-aig-log-id'));
    const second = await send();
    expect(second.headers.get('cf-aig-cache-status')).toBe('MISS');
    expect(await second.text()).toBe(firstText);
    expect(dp.fake.requests).toHaveLength(2);

    // The SDK streams as usual, from the provider.
    const stream = await client('cached').chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 's' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('abc');
    expect(dp.fake.requests).toHaveLength(3);
  });

  it('never replays an event stream a cache filled before this rule holds', async () => {
    new ResponseCache(dp.gw.runtime).put(
      {
        key: customCacheKey(ACCOUNT, 'plain', 'old-stream'),
        accountId: ACCOUNT,
        gatewayId: 'plain',
        provider: 'openai',
        ttlSeconds: 3600,
        status: 200,
        headers: [['content-type', 'text/event-stream']],
        body: Buffer.from('data: stale\n\n'),
        streamed: true,
        model: 'gpt-4o-mini',
        tokensIn: null,
        tokensOut: null,
      },
      clock,
    );
    dp.fake.fallback = { sse: openaiStream(['fresh']) };
    const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/plain/openai/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-aig-cache-key': 'old-stream' },
      body: '{"model":"gpt-4o-mini","stream":true}',
    });
    expect(res.headers.get('cf-aig-cache-status')).toBe('MISS');
    expect(await res.text()).toContain('fresh');
    expect(dp.fake.requests).toHaveLength(1);
  });

  it('caches an answer relayed in chunks that is not a stream (an image)', async () => {
    const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(4096, 7)]);
    dp.fake.fallback = { body: png, headers: { 'content-type': 'image/png' } };
    const send = () =>
      fetch(`${dp.gw.url}/v1/${ACCOUNT}/cached/openai/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-one' },
        body: '{"model":"gpt-image-1","prompt":"a cat"}',
      });
    const first = await send();
    expect(Buffer.from(await first.arrayBuffer()).equals(png)).toBe(true);
    expect(first.headers.get('cf-aig-cache-status')).toBe('MISS');
    await logById(dp.gw, 'cached', first.headers.get('cf-aig-log-id'));
    const second = await send();
    expect(second.headers.get('cf-aig-cache-status')).toBe('HIT');
    expect(second.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await second.arrayBuffer()).equals(png)).toBe(true);
    expect(dp.fake.requests).toHaveLength(1);
  });
});

describe('per-request options and logs', () => {
  it('stores metadata (first 5 entries), event id, tokens and a custom cost', async () => {
    const { response } = await ask(
      client('plain', {
        'cf-aig-metadata': JSON.stringify({ a: 1, b: 'two', c: true, d: 4, e: 5, f: 6 }),
        'cf-aig-custom-cost': JSON.stringify({ per_token_in: 0.5, per_token_out: 2 }),
        'cf-aig-event-id': 'evt-42',
      }),
    );
    expect(response.headers.get('cf-aig-event-id')).toBe('evt-42');
    const log = await logById(dp.gw, 'plain', response.headers.get('cf-aig-log-id'));
    expect(JSON.parse(log.metadata!)).toEqual({ a: 1, b: 'two', c: true, d: 4, e: 5 });
    expect(log).toMatchObject({ event_id: 'evt-42', tokens_in: 11, tokens_out: 7, custom_cost: 1 });
    expect(log.cost).toBeCloseTo(11 * 0.5 + 7 * 2);
  });

  it('prices a known model from the catalogue', async () => {
    const { response } = await ask(client('plain'));
    const log = await logById(dp.gw, 'plain', response.headers.get('cf-aig-log-id'));
    expect(log.custom_cost).toBe(0);
    expect(log.cost).toBeGreaterThan(0);
  });

  it('honours collect-log and collect-log-payload', async () => {
    const before = storedLogs(dp.gw, 'plain').length;
    const skipped = await ask(client('plain', { 'cf-aig-collect-log': 'false' }));
    expect(skipped.response.headers.get('cf-aig-log-id')).toBeTruthy();
    expect(storedLogs(dp.gw, 'plain')).toHaveLength(before);

    const bare = await ask(client('plain', { 'cf-aig-collect-log-payload': 'false' }));
    const log = await logById(dp.gw, 'plain', bare.response.headers.get('cf-aig-log-id'));
    expect(log.request_body).toBeNull();
    expect(log.response_body).toBeNull();
    expect(log.tokens_in).toBe(11);

    await ask(client('quiet'));
    expect(storedLogs(dp.gw, 'quiet')).toHaveLength(0);
    const forced = await ask(client('quiet', { 'cf-aig-collect-log': 'true' }));
    expect(storedLogs(dp.gw, 'quiet').map((l) => l.id)).toEqual([
      forced.response.headers.get('cf-aig-log-id'),
    ]);
  });

  it('ignores a cf-aig-metadata header that is not a flat JSON object, as Cloudflare does', async () => {
    for (const metadata of ['{"nested":{"x":1}}', '{"list":[1,2],"ok":"yes"}', 'not json']) {
      dp.fake.clear();
      const { res } = await post('plain/openai/chat/completions', { 'cf-aig-metadata': metadata });
      expect(res.status, metadata).toBe(200);
      expect(dp.fake.requests, metadata).toHaveLength(1);
      expect(dp.fake.requests[0]!.headers['cf-aig-metadata']).toBeUndefined();
      const log = await logById(dp.gw, 'plain', res.headers.get('cf-aig-log-id'));
      expect(log.metadata, metadata).toBeNull();
    }
  });

  it('answers 400 for invalid cf-aig-* header values, without calling the provider', async () => {
    const bad: Record<string, string>[] = [
      { 'cf-aig-custom-cost': '{"per_token_in":"x"}' },
      { 'cf-aig-cache-ttl': 'soon' },
      { 'cf-aig-cache-ttl': '5' },
      { 'cf-aig-skip-cache': 'maybe' },
      { 'cf-aig-collect-log': 'yes' },
      { 'cf-aig-request-timeout': '-1' },
      { 'cf-aig-max-attempts': '6' },
      { 'cf-aig-retry-delay': '5001' },
      { 'cf-aig-backoff': 'random' },
    ];
    for (const headers of bad) {
      const { res, json } = await post('plain/openai/chat/completions', headers);
      expect(res.status, JSON.stringify(headers)).toBe(400);
      expect(json).toMatchObject({ name: 'AiGatewayError', error: [{ code: 2000 }] });
      const message = (json.error as { message: string }[])[0]!.message;
      expect(message, JSON.stringify(headers)).toContain(Object.keys(headers)[0]!);
    }
    expect(dp.fake.requests).toHaveLength(0);
  });

  it('answers 413 for a body over the limit', async () => {
    const small = await startTestGateway({ upstreams: { openai: `${dp.fake.url}/v1` }, maxBodyBytes: 1024 });
    try {
      createGateway(small, 'gw');
      const res = await fetch(`${small.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', input: 'x'.repeat(4096) }),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: [{ code: 2004 }], httpCode: 413 });
      // A chunked body with no declared length is cut off as it grows.
      const chunked = await fetch(`${small.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('x'.repeat(2048)));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(dp.fake.requests).toHaveLength(0);
      expect(storedLogs(small, 'gw').map((l) => l.status_code)).toEqual([413, 413]);
    } finally {
      await small.close();
    }
  });
});

// Retries, timeouts and failing upstreams: what the client gets (provider answers unchanged, gateway errors
// in the AiGatewayError envelope), what the provider saw, and what was logged.
import { request as httpRequest } from 'node:http';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ACCOUNT, createGateway, logById, openaiCompletion, storedLogs } from '../helpers/fake-upstream.js';
import { dataPlaneFixture, startTestGateway } from '../helpers/local-gateway.js';

const dp = dataPlaneFixture({
  gateways: { gw: {}, retrying: { retry_max_attempts: 3, retry_delay: 10, retry_backoff: 'constant' } },
  fallback: { json: openaiCompletion('fine') },
});

const url = (gatewayId = 'gw') => `${dp.gw.url}/v1/${ACCOUNT}/${gatewayId}/openai/chat/completions`;

async function post(headers: Record<string, string> = {}, gatewayId = 'gw') {
  const res = await fetch(url(gatewayId), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk', ...headers },
    body: '{"model":"gpt-4o-mini","messages":[]}',
  });
  const text = await res.text();
  return { res, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

describe('retries', () => {
  it('retries 503, 503 then answers 200 with cf-aig-max-attempts 3: three upstream calls', async () => {
    dp.fake.reply({ status: 503, json: { error: 'busy' } }, { status: 503, json: { error: 'busy' } });
    const { res, json } = await post({ 'cf-aig-max-attempts': '3', 'cf-aig-retry-delay': '5' });
    expect(res.status).toBe(200);
    expect(json()).toMatchObject({ choices: [{ message: { content: 'fine' } }] });
    expect(dp.fake.requests).toHaveLength(3);
    const log = await logById(dp.gw, 'gw', res.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ status_code: 200, success: 1 });
  });

  it('passes the last provider answer through unchanged when every attempt fails', async () => {
    dp.fake.fallback = {
      status: 429,
      json: { error: { message: 'slow down', type: 'rate_limit' } },
      headers: { 'retry-after': '7' },
    };
    const { res, json } = await post({ 'cf-aig-max-attempts': '2' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(json()).toEqual({ error: { message: 'slow down', type: 'rate_limit' } });
    expect(dp.fake.requests).toHaveLength(2);
  });

  it('does not retry other 4xx', async () => {
    dp.fake.fallback = { status: 400, json: { error: 'bad' } };
    const { res } = await post({ 'cf-aig-max-attempts': '3' });
    expect(res.status).toBe(400);
    expect(dp.fake.requests).toHaveLength(1);
  });

  it('uses the gateway retry settings when no header says otherwise, and the header wins', async () => {
    dp.fake.reply({ status: 502, json: {} }, { status: 500, json: {} });
    expect((await post({}, 'retrying')).res.status).toBe(200);
    expect(dp.fake.requests).toHaveLength(3);
    dp.fake.clear();
    dp.fake.reply({ status: 502, json: {} });
    expect((await post({ 'cf-aig-max-attempts': '1' }, 'retrying')).res.status).toBe(502);
    expect(dp.fake.requests).toHaveLength(1);
  });

  it('waits longer with exponential backoff', async () => {
    // Arrival times: with three waits, exponential (40, 80, 160 ms) differs from linear (40, 80, 120 ms).
    const arrivals: number[] = [];
    const unavailable = () => {
      arrivals.push(performance.now());
      return { status: 503, json: {} };
    };
    dp.fake.reply(unavailable, unavailable, unavailable, () => {
      arrivals.push(performance.now());
      return { json: openaiCompletion('fine') };
    });
    const started = Date.now();
    const { res } = await post({
      'cf-aig-max-attempts': '4',
      'cf-aig-retry-delay': '40',
      'cf-aig-backoff': 'exponential',
    });
    expect(res.status).toBe(200);
    expect(dp.fake.requests).toHaveLength(4);
    // 40 ms, then 80 ms, then 160 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(270);
    const waits = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    expect(waits[0]).toBeGreaterThanOrEqual(38);
    expect(waits[1]).toBeGreaterThanOrEqual(78);
    expect(waits[2]).toBeGreaterThanOrEqual(155);
  });

  it('retries a reset connection', async () => {
    dp.fake.reply({ reset: true });
    const { res } = await post({ 'cf-aig-max-attempts': '2' });
    expect(res.status).toBe(200);
    expect(dp.fake.requests).toHaveLength(2);
  });
});

describe('gateway-originated failures', () => {
  it('answers 504 / 2005 when the provider sends nothing within cf-aig-request-timeout', async () => {
    dp.fake.reply({ hang: true });
    const started = Date.now();
    const { res, json } = await post({ 'cf-aig-request-timeout': '150' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(504);
    expect(json()).toMatchObject({ name: 'AiGatewayError', httpCode: 504, error: [{ code: 2005 }] });
    expect((json().error as { message: string }[])[0]!.message).toMatch(/150 ms/);
    expect(await dp.fake.requests[0]!.outcome).toBe('aborted');
    const log = await logById(dp.gw, 'gw', res.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ status_code: 504, success: 0 });
    expect(log.error).toMatch(/timeout/);
  });

  it('with retries, the final attempt waits past cf-aig-request-timeout until the provider answers', async () => {
    dp.fake.reply({ hang: true }, { json: openaiCompletion('late but fine'), delayMs: 400 });
    const { res, json } = await post({ 'cf-aig-request-timeout': '100', 'cf-aig-max-attempts': '2' });
    expect(res.status).toBe(200);
    expect(json()).toMatchObject({ choices: [{ message: { content: 'late but fine' } }] });
    expect(dp.fake.requests).toHaveLength(2);
    expect(await dp.fake.requests[0]!.outcome).toBe('aborted');
  });

  it('the timeout covers the first byte only: a slow stream after it is fine', async () => {
    dp.fake.reply({ frames: ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'], intervalMs: 120 });
    const { res, text } = await post({ 'cf-aig-request-timeout': '100' });
    expect(res.status).toBe(200);
    expect(text).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
  });

  it('answers 502 / 2005 when the provider resets the connection, and logs it', async () => {
    dp.fake.reply({ reset: true });
    const { res, json } = await post();
    expect(res.status).toBe(502);
    expect(json()).toMatchObject({ name: 'AiGatewayError', httpCode: 502, error: [{ code: 2005 }] });
    const log = await logById(dp.gw, 'gw', res.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ status_code: 502, success: 0, provider: 'openai', model: 'gpt-4o-mini' });
    expect(log.error).toMatch(/Failed to get response from provider/);
  });

  it('answers 502 / 2005 when nothing listens upstream', async () => {
    const dead = await startTestGateway({ upstreams: { openai: 'http://127.0.0.1:9/v1' } });
    try {
      createGateway(dead, 'gw');
      const res = await fetch(`${dead.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
        method: 'POST',
        body: '{}',
      });
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ error: [{ code: 2005 }] });
    } finally {
      await dead.close();
    }
  });

  it('answers 502 / 2005 when a 2xx JSON answer is not JSON', async () => {
    dp.fake.reply({ body: '<html>oops</html>', headers: { 'content-type': 'application/json' } });
    const { res, json } = await post();
    expect(res.status).toBe(502);
    expect((json().error as { message: string }[])[0]!.message).toMatch(/not valid JSON/);
    const log = await logById(dp.gw, 'gw', res.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ status_code: 502, success: 0 });
  });

  it('cuts the client connection and logs when the provider dies mid-stream', async () => {
    dp.fake.reply({ reset: true, afterBytes: 'data: {"partial":true}\n\n' });
    const res = await fetch(url(), { method: 'POST', body: '{"model":"gpt-4o-mini","stream":true}' });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    const log = await logById(dp.gw, 'gw', res.headers.get('cf-aig-log-id'));
    expect(log.success).toBe(0);
    expect(log.error).toMatch(/upstream stream failed/);
    expect(Buffer.from(log.response_body!).toString()).toBe('data: {"partial":true}\n\n');
  });

  it('the OpenAI SDK sees a gateway failure as a retryable server error', async () => {
    dp.fake.fallback = { reset: true };
    const sdk = new OpenAI({ apiKey: 'sk', baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/openai`, maxRetries: 1 });
    const err = await sdk.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(dp.fake.requests).toHaveLength(2); // the SDK retried once
  });
});

describe('client disconnects', () => {
  it('aborts the upstream request when the client leaves mid-stream, and logs 499', async () => {
    let frames = 0;
    dp.fake.reply({
      write: async (res, closed) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        while (!closed() && frames < 500) {
          res.write(`data: {"n":${frames++}}\n\n`);
          await new Promise((r) => setTimeout(r, 10));
        }
        res.end();
      },
    });
    const logId = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        url(),
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let seen = 0;
          res.on('data', () => {
            if (++seen === 3) req.destroy();
          });
          res.on('error', () => {});
          resolve(String(res.headers['cf-aig-log-id']));
        },
      );
      req.on('error', () => {});
      req.on('close', () => {});
      req.end('{"model":"gpt-4o-mini","stream":true}');
      setTimeout(() => reject(new Error('no answer')), 3000);
    });
    expect(await dp.fake.requests[0]!.outcome).toBe('aborted');
    expect(frames).toBeLessThan(100);
    const log = await logById(dp.gw, 'gw', logId);
    expect(log).toMatchObject({ status_code: 499, success: 0, error: 'client disconnected' });
  });

  it('aborts a pending upstream request when the client leaves before any answer', async () => {
    const gone = (rows: { status_code: number | null; error: string | null }[]) =>
      rows.filter((l) => l.status_code === 499 && l.error === 'client disconnected').length;
    const before = gone(storedLogs(dp.gw, 'gw'));
    dp.fake.reply({ hang: true });
    const controller = new AbortController();
    const pending = fetch(url(), { method: 'POST', body: '{"model":"x"}', signal: controller.signal }).catch(
      () => null,
    );
    while (dp.fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await pending;
    expect(await dp.fake.requests[0]!.outcome).toBe('aborted');
    const deadline = Date.now() + 3000;
    while (gone(storedLogs(dp.gw, 'gw')) === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(gone(storedLogs(dp.gw, 'gw'))).toBe(before + 1);
  });
});

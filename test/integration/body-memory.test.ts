// The bytes held for request bodies are bounded across all requests: past --max-body-memory a request gets
// 503 with Retry-After in the gateway's envelope (logged), and the bytes come back once answers are over:
// after a burst of large bodies the gateway asks for a garbage collection (what `aigw proxy` does with it is
// measured by bench/body-burst.mjs and test/e2e/proxy-memory.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { ACCOUNT, createGateway, logById, openaiCompletion } from '../helpers/fake-upstream.js';
import { dataPlaneFixture, startTestGateway } from '../helpers/local-gateway.js';

const MB = 1024 * 1024;

const dp = dataPlaneFixture({
  gateway: { maxBodyMemoryBytes: 2 * MB },
  gateways: { gw: {} },
  fallback: { json: openaiCompletion('ok'), delayMs: 300 },
});

const body = (bytes: number) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(bytes) }] });

async function chat(payload: string | ReadableStream<Uint8Array>, gateway = dp.gw) {
  const res = await fetch(`${gateway.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
    body: payload,
    ...(typeof payload === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
  return { res, text: await res.text() };
}

describe('request body memory', () => {
  it('answers 503 with Retry-After past the bound, logs it, and frees the bytes after the burst', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => chat(body(600 * 1024))));
    const statuses = answers.map((a) => a.res.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
    const refused = answers.find((a) => a.res.status === 503)!;
    expect(refused.res.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(refused.text)).toMatchObject({
      error: [{ code: 2011, message: expect.stringContaining('--max-body-memory') }],
      name: 'AiGatewayError',
    });
    const log = await logById(dp.gw, 'gw', refused.res.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ status_code: 503, success: 0 });

    // Once the answers are over, the whole bound is free again.
    const again = await Promise.all(Array.from({ length: 3 }, () => chat(body(600 * 1024))));
    expect(again.map((a) => a.res.status)).toEqual([200, 200, 200]);
  });

  it('counts a chunked body as it arrives', async () => {
    const big = new TextEncoder().encode(body(3 * MB));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < big.length; at += 64 * 1024)
          controller.enqueue(big.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
    const { res } = await chat(stream);
    expect(res.status).toBe(503);
  });
});

describe('after a burst of large bodies', () => {
  let collections = 0;
  let collecting: LocalGateway;
  beforeAll(async () => {
    collecting = await startTestGateway({
      upstreams: { openai: `${dp.fake.url}/v1` },
      maxBodyMemoryBytes: 2 * MB,
      collectGarbage: () => {
        collections++;
      },
    });
    createGateway(collecting, 'gw');
  });
  afterAll(() => collecting.close());

  it('asks for one collection once a quarter of the bound has come and gone, none for small bodies', async () => {
    // Small bodies: far from a quarter of 2 MB.
    for (let i = 0; i < 5; i++) expect((await chat(body(1000), collecting)).res.status).toBe(200);
    const burst = await Promise.all(Array.from({ length: 3 }, () => chat(body(300 * 1024), collecting)));
    expect(burst.map((a) => a.res.status)).toEqual([200, 200, 200]);
    await expect.poll(() => collections).toBe(1);
    // The next burst counts from zero.
    expect((await chat(body(300 * 1024), collecting)).res.status).toBe(200);
    expect(collections).toBe(1);
  });
});

// cf-aig-request-timeout as Cloudflare documents it: the time to the first part of the response. A provider
// that sends its head and then nothing fails the attempt (504, logged as an upstream failure), streamed or not.
// An exchange with a fallback after it keeps its timeout on every attempt, the last included: a route's model
// element or a universal step that times out hands over after its retries instead of waiting without limit.
import { describe, expect, it } from 'vitest';
import type { Element } from '../../src/flow/elements.js';
import { ACCOUNT, logById, openaiCompletion, storedLogs } from '../helpers/fake-upstream.js';
import { dataPlaneFixture } from '../helpers/local-gateway.js';

const dp = dataPlaneFixture({
  gateways: { gw: {} },
  setUp: () => {
    deploy('patient', [{ timeout: 100, retries: 2 }, 'fast']);
    deploy('alone', [{ timeout: 100, retries: 1 }, null]);
  },
});

describe('a body that stalls after the head', () => {
  for (const contentType of ['application/json', 'text/event-stream']) {
    it(`honours cf-aig-request-timeout and is logged as an upstream failure (${contentType})`, async () => {
      dp.fake.fallback = {
        write: (res) => {
          res.writeHead(200, { 'content-type': contentType });
          res.flushHeaders();
        },
      };
      const started = Date.now();
      const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sk-x',
          'content-type': 'application/json',
          'cf-aig-request-timeout': '200',
        },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: contentType !== 'application/json',
          messages: [],
        }),
      });
      expect(res.status).toBe(504);
      expect(await res.json()).toMatchObject({
        error: [{ code: 2005, message: expect.stringContaining('200 ms') }],
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      const log = await logById(dp.gw, 'gw', res.headers.get('cf-aig-log-id'));
      expect(log).toMatchObject({ status_code: 504, success: 0 });
      expect(log.error).toMatch(/request timeout/);
    });
  }
});

const to = (elementId: string) => ({ elementId });

/** start -> `slow` (with the given timeout and retries) -> `fallback` when named, else the end. */
function deploy(name: string, [slow, fallback]: [{ timeout: number; retries: number }, string | null]) {
  const elements = [
    { id: 'start', type: 'start', outputs: { next: to('slow') } },
    {
      id: 'slow',
      type: 'model',
      properties: { provider: 'openai', model: 'slow', ...slow },
      outputs: { success: to('end'), fallback: to(fallback ? 'fast' : 'end') },
    },
    ...(fallback
      ? [
          {
            id: 'fast',
            type: 'model',
            properties: { provider: 'openai', model: fallback, timeout: 30_000, retries: 0 },
            outputs: { success: to('end'), fallback: to('end') },
          },
        ]
      : []),
    { id: 'end', type: 'end', outputs: {} },
  ];
  dp.gw.runtime.routes.create(ACCOUNT, 'gw', name, elements as Element[], true, new Date());
}

/** The `slow` model answers after `slowMs`; any other model at once. */
function models(slowMs: number): void {
  dp.fake.fallback = (req) => {
    const model = req.json().model as string;
    return { json: openaiCompletion(`from ${model}`, model), delayMs: model === 'slow' ? slowMs : 0 };
  };
}

async function post(path: string, body: unknown) {
  const started = Date.now();
  const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { choices?: { message: { content: string } }[] };
  return { res, json, ms: Date.now() - started };
}

const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });
const upstreamModels = () => dp.fake.requests.map((r) => r.json().model as string);

describe('a timeout with a fallback after it', () => {
  it('cuts every attempt of a route model element, the last included, then runs its fallback', async () => {
    models(3_000);
    const { res, json, ms } = await post('/compat/chat/completions', chat('dynamic/patient'));
    expect(res.status).toBe(200);
    expect(res.headers.get('cf-aig-model')).toBe('fast');
    expect(json.choices![0]!.message.content).toBe('from fast');
    expect(upstreamModels()).toEqual(['slow', 'slow', 'slow', 'fast']);
    for (const r of dp.fake.requests.slice(0, 3)) expect(await r.outcome).toBe('aborted');
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(2_000);
    const logs = storedLogs(dp.gw, 'gw').slice(-2);
    expect(logs.map((l) => [l.model, l.status_code])).toEqual([
      ['slow', 504],
      ['fast', 200],
    ]);
  });

  it('cuts every attempt of a universal step with config.requestTimeout, then runs the next step', async () => {
    models(3_000);
    const step = (model: string, config?: unknown) => ({
      provider: 'openai',
      endpoint: 'chat/completions',
      headers: { authorization: 'Bearer sk-x' },
      query: chat(model),
      ...(config ? { config } : {}),
    });
    const { res, json, ms } = await post('', [
      step('slow', { requestTimeout: 100, maxAttempts: 2 }),
      step('fast'),
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.get('cf-aig-step')).toBe('1');
    expect(json.choices![0]!.message.content).toBe('from fast');
    expect(upstreamModels()).toEqual(['slow', 'slow', 'fast']);
    expect(ms).toBeLessThan(2_000);
  });

  it('lets the final attempt of a route model element wait when its fallback reaches no model', async () => {
    models(400);
    const { res, json } = await post('/compat/chat/completions', chat('dynamic/alone'));
    expect(res.status).toBe(200);
    expect(json.choices![0]!.message.content).toBe('from slow');
    expect(upstreamModels()).toEqual(['slow', 'slow']);
    expect(await dp.fake.requests[0]!.outcome).toBe('aborted');
  });
});

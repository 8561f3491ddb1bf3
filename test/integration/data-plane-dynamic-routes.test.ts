// Dynamic routes on the data plane: compat chat completions with model `dynamic/{name}` run the deployed flow
// against a recording fake upstream: percentage splits (seeded draws), conditions over metadata, model fallbacks,
// rate limits per key on the gateway's clock, budgets, and the headers and logs that say what served. Routes run
// on the request shapes Cloudflare documents (compat, and a universal `compat` step as its Workers binding sends
// one); provider endpoints, Anthropic Messages among them, refuse them with a 400.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { flowProblems } from '../../src/flow/check.js';
import type { Element } from '../../src/flow/elements.js';
import { ACCOUNT, openaiCompletion, storedLogs } from '../helpers/fake-upstream.js';
import { dataPlaneFixture } from '../helpers/local-gateway.js';
import { twoModelFlow } from '../helpers/route-flows.js';

let clock = Date.parse('2026-03-01T12:00:00.000Z');

/** mulberry32: a small seeded generator, so the split is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const to = (elementId: string) => ({ elementId });
const model = (id: string, name: string, fallback = 'end') => ({
  id,
  type: 'model',
  properties: { provider: 'openai', model: name, timeout: 30000, retries: 0 },
  outputs: { success: to('end'), fallback: to(fallback) },
});
const end = { id: 'end', type: 'end', outputs: {} };

/** start -> a rate element -> `main` (success) or `fallback` (past the limit; the end when there is none). */
function limitedFlow(properties: Record<string, unknown>, main: string, fallback?: string) {
  return [
    { id: 'start', type: 'start', outputs: { next: to('limit') } },
    {
      id: 'limit',
      type: 'rate',
      properties,
      outputs: { success: to('main'), fallback: to(fallback ? 'fallback' : 'end') },
    },
    model('main', main),
    ...(fallback ? [model('fallback', fallback)] : []),
    end,
  ];
}

function deploy(name: string, elements: unknown[]): void {
  const flow = elements as Element[];
  expect(flowProblems(flow)).toEqual([]);
  const made = dp.gw.runtime.routes.create(ACCOUNT, 'gw', name, flow, true, new Date(clock));
  if (made === 'name-taken') throw new Error(`route ${name} exists`);
}

const dp = dataPlaneFixture({
  upstreams: (url) => ({ openai: `${url}/v1`, anthropic: url }),
  gateway: { now: () => new Date(clock), random: seeded(42) },
  gateways: { gw: {} },
  fallback: (req) => ({ json: openaiCompletion(`from ${req.json().model}`, req.json().model) }),
  setUp: deployRoutes,
});

function deployRoutes() {
  deploy('split', [
    { id: 'start', type: 'start', outputs: { next: to('ab') } },
    { id: 'ab', type: 'percentage', outputs: { '80%': to('a'), '20%': to('b') } },
    model('a', 'model-a'),
    model('b', 'model-b'),
    end,
  ]);
  deploy('plans', [
    { id: 'start', type: 'start', outputs: { next: to('paid?') } },
    {
      id: 'paid?',
      type: 'conditional',
      properties: { conditions: { 'metadata.plan': { $eq: 'paid' } } },
      outputs: { true: to('big'), false: to('small') },
    },
    model('big', 'gpt-big'),
    model('small', 'gpt-small'),
    end,
  ]);
  deploy('fallback', twoModelFlow('openai', 'primary', 'openai', 'backup'));
  deploy(
    'limited',
    limitedFlow(
      { key: 'metadata.user_id', limit: 2, limitType: 'count', window: 60 },
      'gpt-main',
      'gpt-cheap',
    ),
  );
  deploy(
    'hard-limit',
    limitedFlow(
      { key: 'metadata.user_id', limit: 1, limitType: 'count', window: 60, technique: 'fixed' },
      'gpt-main',
    ),
  );
  deploy(
    'budget',
    limitedFlow(
      { key: 'metadata.team', limit: 0.00001, limitType: 'cost', window: 3600 },
      'gpt-4o',
      'gpt-4o-mini',
    ),
  );
}

async function chat(route: string, metadata?: Record<string, unknown>) {
  const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/compat/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer sk-test',
      ...(metadata ? { 'cf-aig-metadata': JSON.stringify(metadata) } : {}),
    },
    body: JSON.stringify({ model: `dynamic/${route}`, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { res, json: (await res.json()) as Record<string, unknown> };
}

const upstreamModels = () => dp.fake.requests.map((r) => r.json().model as string);

describe('percentage split', () => {
  it('sends 1,000 requests 80/20 (within 5%), each answer naming its model, route and version', async () => {
    const version = dp.gw.runtime.routes.deployedByName(ACCOUNT, 'gw', 'split')!.version.id;
    const served = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const { res } = await chat('split');
      expect(res.status).toBe(200);
      const m = res.headers.get('cf-aig-model')!;
      served.set(m, (served.get(m) ?? 0) + 1);
      if (i === 0) {
        expect(res.headers.get('cf-aig-provider')).toBe('openai');
        expect(res.headers.get('cf-aig-route')).toBe('split');
        expect(res.headers.get('cf-aig-route-version')).toBe(version);
        expect(res.headers.get('cf-aig-step')).toBe('0');
      }
    }
    const a = served.get('model-a') ?? 0;
    expect(a + (served.get('model-b') ?? 0)).toBe(1000);
    expect(Math.abs(a - 800)).toBeLessThanOrEqual(50);
    // The fake upstream saw the same split, each request for the model the flow chose.
    expect(upstreamModels().filter((m) => m === 'model-a')).toHaveLength(a);
  });
});

describe('conditions', () => {
  it('sends plan=paid to one model and everything else to the other', async () => {
    expect((await chat('plans', { plan: 'paid' })).res.headers.get('cf-aig-model')).toBe('gpt-big');
    expect((await chat('plans', { plan: 'free' })).res.headers.get('cf-aig-model')).toBe('gpt-small');
    expect((await chat('plans')).res.headers.get('cf-aig-model')).toBe('gpt-small');
    expect(upstreamModels()).toEqual(['gpt-big', 'gpt-small', 'gpt-small']);
  });

  it('works through the OpenAI SDK', async () => {
    const openai = new OpenAI({
      apiKey: 'sk-test',
      baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/compat`,
      maxRetries: 0,
    });
    const answer = await openai.chat.completions.create(
      { model: 'dynamic/plans', messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'cf-aig-metadata': '{"plan":"paid"}' } },
    );
    expect(answer.choices[0]!.message.content).toBe('from gpt-big');
  });
});

describe('model fallbacks', () => {
  it('falls back when a model fails, logging both attempts with their step', async () => {
    dp.fake.reply({ status: 503, json: { error: { message: 'overloaded' } } });
    const { res, json } = await chat('fallback');
    expect(res.status).toBe(200);
    expect(res.headers.get('cf-aig-model')).toBe('backup');
    expect(res.headers.get('cf-aig-step')).toBe('1');
    expect(json).toMatchObject({ choices: [{ message: { content: 'from backup' } }] });
    expect(upstreamModels()).toEqual(['primary', 'backup']);
    const logs = storedLogs(dp.gw, 'gw').slice(-2);
    expect(logs.map((l) => [l.model, l.step, l.status_code])).toEqual([
      ['primary', 0, 503],
      ['backup', 1, 200],
    ]);
  });

  it('answers the last model’s own error when every model fails', async () => {
    dp.fake.reply(
      { status: 503, json: { error: { message: 'one' } } },
      { status: 500, json: { error: { message: 'two' } } },
    );
    const { res } = await chat('fallback');
    expect(res.status).toBe(500);
    expect(res.headers.get('cf-aig-model')).toBe('backup');
  });
});

describe('rate and budget limits', () => {
  it('switches a key to the fallback past its limit, and back once the window has passed', async () => {
    const who = { user_id: 'u1' };
    const models = async () => (await chat('limited', who)).res.headers.get('cf-aig-model');
    expect([await models(), await models(), await models()]).toEqual(['gpt-main', 'gpt-main', 'gpt-cheap']);
    expect(upstreamModels()).toEqual(['gpt-main', 'gpt-main', 'gpt-cheap']);
    // Another key has its own count.
    expect((await chat('limited', { user_id: 'u2' })).res.headers.get('cf-aig-model')).toBe('gpt-main');
    clock += 61_000;
    expect(await models()).toBe('gpt-main');
  });

  it('ends the route with 429 when a limit’s fallback is the end', async () => {
    expect((await chat('hard-limit', { user_id: 'x' })).res.status).toBe(200);
    const { res, json } = await chat('hard-limit', { user_id: 'x' });
    expect(res.status).toBe(429);
    expect(json).toMatchObject({ error: [{ code: 2003 }] });
    expect(dp.fake.requests).toHaveLength(1);
  });

  it('counts the cost of answers against a budget', async () => {
    const team = { team: 't1' };
    expect((await chat('budget', team)).res.headers.get('cf-aig-model')).toBe('gpt-4o');
    // gpt-4o's price for 11 + 7 tokens is over the 0.00001 budget: the next request takes the fallback.
    expect((await chat('budget', team)).res.headers.get('cf-aig-model')).toBe('gpt-4o-mini');
    expect((await chat('budget', { team: 't2' })).res.headers.get('cf-aig-model')).toBe('gpt-4o');
  });
});

describe('unknown routes', () => {
  it('answers 404 naming the route, without calling any provider', async () => {
    const { res, json } = await chat('nope');
    expect(res.status).toBe(404);
    expect(JSON.stringify(json)).toContain("no dynamic route named 'nope'");
    expect(dp.fake.requests).toHaveLength(0);
  });
});

/** POSTs a universal body (a list of steps) to the gateway. */
async function universal(steps: unknown[], headers: Record<string, string> = {}) {
  const res = await fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(steps),
  });
  return { res, json: (await res.json()) as Record<string, unknown> };
}

const compatStep = (model: string, headers: Record<string, string> = {}) => ({
  provider: 'compat',
  endpoint: 'chat/completions',
  headers: { authorization: 'Bearer sk-test', ...headers },
  query: { model, messages: [{ role: 'user', content: 'hi' }] },
});

describe('request shapes', () => {
  it('runs a route named in a universal compat step, with the step’s own metadata', async () => {
    const { res, json } = await universal([
      compatStep('dynamic/plans', { 'cf-aig-metadata': '{"plan":"paid"}' }),
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.get('cf-aig-model')).toBe('gpt-big');
    expect(res.headers.get('cf-aig-route')).toBe('plans');
    expect(res.headers.get('cf-aig-step')).toBe('0');
    expect(json).toMatchObject({ choices: [{ message: { content: 'from gpt-big' } }] });
    expect(upstreamModels()).toEqual(['gpt-big']);
  });

  it('goes on to the next universal step only when the route gives no answer', async () => {
    dp.fake.reply(
      { status: 503, json: { error: { message: 'one' } } },
      { status: 500, json: { error: { message: 'two' } } },
    );
    const plain = { ...compatStep('openai/gpt-4o-mini') };
    const { res, json } = await universal([compatStep('dynamic/fallback'), plain]);
    expect(res.status).toBe(200);
    expect(res.headers.get('cf-aig-step')).toBe('1');
    expect(res.headers.get('cf-aig-route')).toBeNull();
    expect(json).toMatchObject({ choices: [{ message: { content: 'from gpt-4o-mini' } }] });
    expect(upstreamModels()).toEqual(['primary', 'backup', 'gpt-4o-mini']);
    const logs = storedLogs(dp.gw, 'gw').slice(-3);
    expect(logs.map((l) => [l.model, l.step, l.request_type, l.route_name, l.route_element])).toEqual([
      ['primary', 0, 'universal', 'fallback', 'a'],
      ['backup', 0, 'universal', 'fallback', 'b'],
      ['gpt-4o-mini', 1, 'universal', null, null],
    ]);
  });

  it('answers a universal step naming no route with 404 before calling anything', async () => {
    const { res, json } = await universal([compatStep('openai/gpt-4o-mini'), compatStep('dynamic/nope')]);
    expect(res.status).toBe(404);
    expect(json).toMatchObject({ success: false, error: [{ code: 2002 }] });
    expect(JSON.stringify(json)).toContain(
      "Universal step 1: Gateway 'gw' has no dynamic route named 'nope'",
    );
    expect(dp.fake.requests).toHaveLength(0);
  });

  it('refuses a route on a provider endpoint, OpenAI’s chat completions included, with a 400', async () => {
    const openai = new OpenAI({
      apiKey: 'sk-test',
      baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/openai`,
      maxRetries: 0,
    });
    const refused = await openai.chat.completions
      .create({ model: 'dynamic/plans', messages: [{ role: 'user', content: 'hi' }] })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(dp.fake.requests).toHaveLength(0);
  });

  it('refuses an Anthropic Messages body naming a route with a 400 in Cloudflare’s envelope', async () => {
    const anthropic = new Anthropic({
      apiKey: 'sk-ant',
      baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/anthropic`,
      maxRetries: 0,
    });
    const refused = await anthropic.messages
      .create({ model: 'dynamic/plans', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(Anthropic.APIError);
    const err = refused as InstanceType<typeof Anthropic.APIError>;
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ success: false, error: [{ code: 2000 }] });
    expect(JSON.stringify(err.error)).toContain('compat/chat/completions');
    // The same body as a universal step is refused the same way.
    const { res } = await universal([
      {
        provider: 'anthropic',
        endpoint: 'v1/messages',
        query: { model: 'dynamic/plans', max_tokens: 16, messages: [] },
      },
    ]);
    expect(res.status).toBe(400);
    expect(dp.fake.requests).toHaveLength(0);
  });
});

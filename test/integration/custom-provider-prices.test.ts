import OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, logById, openaiCompletion } from '../helpers/fake-upstream.js';
import { apiBase, dataPlaneFixture } from '../helpers/local-gateway.js';

let providerId: string;
/** This test's custom provider: each test prices with rules of its own. */
let slug = '';
let providers = 0;

const dp = dataPlaneFixture({ gateways: { gw: {} } });
beforeEach(async () => {
  slug = `acme-${++providers}`;
  const provider = await dp.cf.aiGateway.customProviders.create({
    account_id: ACCOUNT,
    name: 'Acme',
    slug,
    base_url: `${dp.fake.url}/acme`,
  });
  providerId = provider.id;
});

async function addRule(fields: Record<string, unknown>) {
  const path = `/accounts/${ACCOUNT}/ai-gateway/custom-providers/costs`;
  const res = await fetch(`${apiBase(dp.gw)}${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
    body: JSON.stringify({ account_provider_id: providerId, ...fields }),
  });
  expect(res.status).toBe(200);
}

/** Asks custom-acme for `model`; the upstream reports 1000 tokens in (of which `cached` from its cache), 200 out. */
async function costOf(
  model: string,
  headers: Record<string, string> = {},
  provider = `custom-${slug}`,
  cached = 0,
) {
  const body = openaiCompletion('priced', model, { prompt: 1000, completion: 200 });
  if (cached > 0) Object.assign(body.usage, { prompt_tokens_details: { cached_tokens: cached } });
  dp.fake.fallback = { json: body };
  const client = new OpenAI({
    apiKey: 'sk-client',
    baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/${provider}`,
    maxRetries: 0,
    defaultHeaders: headers,
  });
  const { response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  const log = await logById(dp.gw, 'gw', response.headers.get('cf-aig-log-id'));
  return { cost: log.cost, custom: log.custom_cost };
}

describe('custom provider pricing rules', () => {
  it('price nothing before a rule exists', async () => {
    expect(await costOf('acme-large')).toEqual({ cost: null, custom: 0 });
  });

  it('price by the most specific enabled rule: equals, then the longest starts-with, then contains', async () => {
    await addRule({ model: 'acme', model_rule: 'contains', cost_in: 0.000003, cost_out: 0.000003 });
    await addRule({ model: 'acme-', model_rule: 'starts-with', cost_in: 0.000002, cost_out: 0.000002 });
    await addRule({ model: 'acme-large', model_rule: 'starts-with', cost_in: 0.000001, cost_out: 0.000005 });
    await addRule({ model: 'acme-small', model_rule: 'equals', cost_in: 0.0000001, cost_out: 0.0000002 });
    await addRule({ model: 'acme-tiny', model_rule: 'equals', cost_in: 9, cost_out: 9, enable: false });
    expect(await costOf('acme-large-2')).toEqual({ cost: 1000 * 0.000001 + 200 * 0.000005, custom: 0 });
    expect(await costOf('acme-small')).toEqual({ cost: 1000 * 0.0000001 + 200 * 0.0000002, custom: 0 });
    expect(await costOf('acme-medium')).toEqual({ cost: 1000 * 0.000002 + 200 * 0.000002, custom: 0 });
    expect(await costOf('big-acme')).toEqual({ cost: 1000 * 0.000003 + 200 * 0.000003, custom: 0 });
    // A disabled rule does not apply: the starts-with rule does.
    expect(await costOf('acme-tiny')).toEqual({ cost: 1000 * 0.000002 + 200 * 0.000002, custom: 0 });
  });

  it("take token_pricing's per-token prices, prompt-cache reads included, before cost_in / cost_out", async () => {
    await addRule({
      model: 'acme-cache',
      model_rule: 'equals',
      cost_in: 1,
      cost_out: 1,
      token_pricing: { input_tokens: 0.000004, output_tokens: 0.00001, input_cached_tokens: 0.000001 },
    });
    const { cost } = await costOf('acme-cache', {}, `custom-${slug}`, 600);
    expect(cost).toBe(400 * 0.000004 + 600 * 0.000001 + 0 * 0.000004 + 200 * 0.00001);
  });

  it('give way to cf-aig-custom-cost, which can price prompt-cache reads apart', async () => {
    const header = {
      'cf-aig-custom-cost':
        '{"per_token_in":0.00001,"per_token_out":0.00002,"per_cache_read_token":0.000001}',
    };
    expect(await costOf('acme-large', header, `custom-${slug}`, 800)).toEqual({
      cost: 200 * 0.00001 + 800 * 0.000001 + 0 * 0.00001 + 200 * 0.00002,
      custom: 1,
    });
    // On a catalogue provider too.
    const openai = await costOf('gpt-4o-mini', header, 'openai', 800);
    expect(openai.cost).toBe(200 * 0.00001 + 800 * 0.000001 + 0 * 0.00001 + 200 * 0.00002);
  });
});

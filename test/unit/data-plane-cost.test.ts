import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { computeCost, parseCustomCost } from '../../src/local/pipeline/cost.js';
import type { Usage } from '../../src/local/pipeline/usage.js';

const usage = (tokensIn: number | null, tokensOut: number | null, extra: Partial<Usage> = {}): Usage => ({
  tokensIn,
  tokensOut,
  model: null,
  ...extra,
});

describe('parseCustomCost', () => {
  it('reads per-token prices', () => {
    expect(parseCustomCost('{"per_token_in":0.000001,"per_token_out":0.000002}')).toEqual({
      perTokenIn: 0.000001,
      perTokenOut: 0.000002,
    });
  });

  it('reads a total cost', () => {
    expect(parseCustomCost('{"total_cost":0.25}')).toEqual({ total: 0.25 });
  });

  it('treats a missing per-token side as free', () => {
    expect(parseCustomCost('{"per_token_in":0.5}')).toEqual({ perTokenIn: 0.5, perTokenOut: 0 });
  });

  it('reads the prices of prompt-cache reads and writes', () => {
    expect(
      parseCustomCost(
        '{"per_token_in":0.000002,"per_cache_read_token":0.0000005,"per_cache_write_token":0.0000025}',
      ),
    ).toEqual({
      perTokenIn: 0.000002,
      perTokenOut: 0,
      perCacheReadToken: 0.0000005,
      perCacheWriteToken: 0.0000025,
    });
    expect(parseCustomCost('{"per_cache_read_token":0.1}')).toEqual({
      perTokenIn: 0,
      perTokenOut: 0,
      perCacheReadToken: 0.1,
    });
  });

  it.each([
    ['a negative cache price', '{"per_cache_read_token":-1}'],
    ['invalid JSON', '{'],
    ['no known field', '{"price":1}'],
    ['a negative price', '{"per_token_in":-1,"per_token_out":1}'],
    ['a non-numeric price', '{"total_cost":"cheap"}'],
    ['an array', '[1]'],
  ])('rejects %s', (_name, header) => {
    expect(parseCustomCost(header)).toHaveProperty('error');
  });
});

describe('computeCost', () => {
  it('prices a known model exactly as the catalogue does', () => {
    const expected = calcPrice({ input_tokens: 1234, output_tokens: 567 }, 'gpt-4o-mini', {
      providerId: 'openai',
    });
    expect(expected).not.toBeNull();
    expect(computeCost('openai', 'gpt-4o-mini', usage(1234, 567), null)).toEqual({
      cost: expected!.total_price,
      customCost: false,
    });
  });

  it('agrees with the catalogue across providers, snapshots and prompt-cache usage', () => {
    const cases: [string, string, string, string, Usage][] = [
      [
        'anthropic',
        'anthropic',
        'claude-3-5-sonnet-20241022',
        'claude-3-5-sonnet-20241022',
        usage(2000, 300),
      ],
      [
        'anthropic',
        'anthropic',
        'claude-sonnet-4-5',
        'claude-sonnet-4-5',
        usage(5000, 100, { cacheReadTokens: 3000, cacheWriteTokens: 1000 }),
      ],
      [
        'openai',
        'openai',
        'gpt-4o-2024-08-06',
        'gpt-4o-2024-08-06',
        usage(10_000, 2000, { cacheReadTokens: 4096 }),
      ],
      ['google-ai-studio', 'google', 'gemini-2.5-flash', 'gemini-2.5-flash', usage(800, 1600)],
      ['grok', 'x-ai', 'grok-3', 'grok-3', usage(100, 100)],
      [
        'workers-ai',
        'cloudflare',
        '@cf/meta/llama-3.1-8b-instruct',
        '@cf/meta/llama-3.1-8b-instruct',
        usage(50, 70),
      ],
      [
        'aws-bedrock',
        'aws',
        'anthropic.claude-3-5-sonnet-20240620-v1:0',
        'anthropic.claude-3-5-sonnet-20240620-v1:0',
        usage(1, 1),
      ],
      ['compat', 'groq', 'groq/llama-3.3-70b-versatile', 'llama-3.3-70b-versatile', usage(900, 90)],
    ];
    for (const [slug, catalogueId, model, catalogueModel, u] of cases) {
      const priceUsage: Record<string, number> = {
        input_tokens: u.tokensIn ?? 0,
        output_tokens: u.tokensOut ?? 0,
      };
      if (u.cacheReadTokens) priceUsage.cache_read_tokens = u.cacheReadTokens;
      if (u.cacheWriteTokens) priceUsage.cache_write_tokens = u.cacheWriteTokens;
      const expected = calcPrice(priceUsage, catalogueModel, { providerId: catalogueId });
      expect(expected, `${slug} ${model}`).not.toBeNull();
      expect(computeCost(slug, model, u, null).cost, `${slug} ${model}`).toBe(expected!.total_price);
    }
  });

  it('prices every catalogue model of the mapped providers the same way calcPrice does', () => {
    const providers: [string, string][] = [
      ['openai', 'openai'],
      ['anthropic', 'anthropic'],
      ['google-ai-studio', 'google'],
      ['groq', 'groq'],
      ['mistral', 'mistral'],
      ['workers-ai', 'cloudflare'],
      ['perplexity-ai', 'perplexity'],
      ['aws-bedrock', 'aws'],
      ['azure-openai', 'azure'],
      ['grok', 'x-ai'],
      ['cohere', 'cohere'],
      ['deepseek', 'deepseek'],
      ['openrouter', 'openrouter'],
      ['cerebras', 'cerebras'],
      ['fireworks', 'fireworks'],
    ];
    let checked = 0;
    for (const [slug, catalogueId] of providers) {
      for (const model of findProvider({ providerId: catalogueId })!.models) {
        const expected = calcPrice({ input_tokens: 777, output_tokens: 333 }, model.id, {
          providerId: catalogueId,
        });
        if (!expected) continue;
        expect(computeCost(slug, model.id, usage(777, 333), null).cost, `${slug} ${model.id}`).toBe(
          expected.total_price,
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('charges prompt-cache reads less than fresh input', () => {
    const fresh = computeCost('anthropic', 'claude-sonnet-4-5', usage(10_000, 0), null).cost!;
    const cached = computeCost(
      'anthropic',
      'claude-sonnet-4-5',
      usage(10_000, 0, { cacheReadTokens: 9000 }),
      null,
    ).cost!;
    expect(cached).toBeLessThan(fresh);
  });

  it('returns null for unknown models, unknown providers, custom providers and missing usage', () => {
    expect(computeCost('openai', 'no-such-model-xyz', usage(10, 10), null)).toEqual({
      cost: null,
      customCost: false,
    });
    expect(computeCost('no-such-provider', 'gpt-4o', usage(10, 10), null).cost).toBeNull();
    expect(computeCost('custom-acme', 'gpt-4o', usage(10, 10), null).cost).toBeNull();
    expect(computeCost('openai', 'gpt-4o', usage(null, null), null).cost).toBeNull();
    expect(computeCost('openai', null, usage(10, 10), null).cost).toBeNull();
  });

  it('falls back to the model the response names', () => {
    const byResponse = computeCost('openai', null, usage(10, 10, { model: 'gpt-4o-mini' }), null).cost;
    expect(byResponse).toBe(computeCost('openai', 'gpt-4o-mini', usage(10, 10), null).cost);
    expect(byResponse).toBeGreaterThan(0);
  });

  it('applies a per-token custom cost instead of the catalogue', () => {
    const result = computeCost('openai', 'gpt-4o-mini', usage(1000, 200), {
      perTokenIn: 0.001,
      perTokenOut: 0.01,
    });
    expect(result.customCost).toBe(true);
    expect(result.cost).toBeCloseTo(1000 * 0.001 + 200 * 0.01, 12);
  });

  it('prices prompt-cache reads and writes at their own custom prices, the input price otherwise', () => {
    const cached = usage(1000, 100, { cacheReadTokens: 600, cacheWriteTokens: 300 });
    const own = computeCost('openai', 'gpt-4o-mini', cached, {
      perTokenIn: 0.004,
      perTokenOut: 0.01,
      perCacheReadToken: 0.001,
      perCacheWriteToken: 0.005,
    });
    expect(own).toEqual({ cost: 100 * 0.004 + 600 * 0.001 + 300 * 0.005 + 100 * 0.01, customCost: true });
    const plain = computeCost('openai', 'gpt-4o-mini', cached, { perTokenIn: 0.004, perTokenOut: 0.01 });
    expect(plain.cost).toBeCloseTo(1000 * 0.004 + 100 * 0.01, 12);
  });

  it("prices with a custom provider's rule where the catalogue has no price, not marked as a custom cost", () => {
    const rule = { perTokenIn: 0.000001, perTokenOut: 0.000003 };
    expect(computeCost('custom-acme', 'acme-large', usage(1000, 200), null, rule)).toEqual({
      cost: 1000 * 0.000001 + 200 * 0.000003,
      customCost: false,
    });
    // cf-aig-custom-cost still wins.
    expect(computeCost('custom-acme', 'acme-large', usage(1000, 200), { total: 1 }, rule)).toEqual({
      cost: 1,
      customCost: true,
    });
    expect(computeCost('custom-acme', 'acme-large', usage(null, null), null, rule).cost).toBeNull();
  });

  it('applies a total custom cost even without usage or a known model', () => {
    expect(computeCost('custom-acme', null, usage(null, null), { total: 0.42 })).toEqual({
      cost: 0.42,
      customCost: true,
    });
  });

  it('gives no cost for a per-token custom cost when the response has no usage', () => {
    expect(computeCost('openai', 'gpt-4o', usage(null, null), { perTokenIn: 1, perTokenOut: 1 })).toEqual({
      cost: null,
      customCost: false,
    });
  });
});

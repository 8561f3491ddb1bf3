// Request cost: the catalogue price (@pydantic/genai-prices, bundled data only: nothing here fetches
// remote prices), the cf-aig-custom-cost override, or a custom provider's pricing rule.
import {
  calcPrice,
  findProvider,
  type ModelInfo,
  type ModelPrice,
  type Usage as PriceUsage,
  type Provider,
} from '@pydantic/genai-prices';
import type { Usage } from './usage.js';

/** USD per token; prompt-cache reads and writes cost the input price unless they have their own. */
export interface TokenPrices {
  perTokenIn: number;
  perTokenOut: number;
  perCacheReadToken?: number;
  perCacheWriteToken?: number;
}
export type CustomCost = TokenPrices | { total: number };

const CUSTOM_COST_SHAPE =
  'cf-aig-custom-cost must be {"per_token_in":x,"per_token_out":y,"per_cache_read_token":r,"per_cache_write_token":w} (any of them) or {"total_cost":z}';

/** USD: a custom price or total above this is a mistake (1e308 per token would make every cost Infinity). */
const MAX_CUSTOM_COST = 1_000_000;

function costNumber(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= MAX_CUSTOM_COST ? n : null;
}

/**
 * Parses cf-aig-custom-cost (USD per token, or a total in USD). A missing input or output price counts as 0;
 * missing cache prices fall back to the input price.
 */
export function parseCustomCost(header: string): CustomCost | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch {
    return { error: `${CUSTOM_COST_SHAPE}; got invalid JSON` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: CUSTOM_COST_SHAPE };
  const fields = value as Record<string, unknown>;
  const total = costNumber(fields.total_cost);
  const perIn = costNumber(fields.per_token_in);
  const perOut = costNumber(fields.per_token_out);
  const perRead = costNumber(fields.per_cache_read_token);
  const perWrite = costNumber(fields.per_cache_write_token);
  const prices = [perIn, perOut, perRead, perWrite];
  if (total === null || prices.includes(null)) {
    return { error: `${CUSTOM_COST_SHAPE}, with numbers from 0 to ${MAX_CUSTOM_COST}` };
  }
  if (total !== undefined) return { total };
  if (prices.every((p) => p === undefined)) return { error: CUSTOM_COST_SHAPE };
  return {
    perTokenIn: perIn ?? 0,
    perTokenOut: perOut ?? 0,
    ...(perRead !== undefined && perRead !== null ? { perCacheReadToken: perRead } : {}),
    ...(perWrite !== undefined && perWrite !== null ? { perCacheWriteToken: perWrite } : {}),
  };
}

/** Cloudflare provider slugs → the catalogue's provider ids. Slugs not listed are tried as-is. */
const CATALOGUE_PROVIDER: Readonly<Record<string, string>> = {
  openai: 'openai',
  'azure-openai': 'azure',
  anthropic: 'anthropic',
  'google-ai-studio': 'google',
  'google-vertex-ai': 'google',
  groq: 'groq',
  mistral: 'mistral',
  cohere: 'cohere',
  deepseek: 'deepseek',
  grok: 'x-ai',
  'workers-ai': 'cloudflare',
  'perplexity-ai': 'perplexity',
  'aws-bedrock': 'aws',
  openrouter: 'openrouter',
  cerebras: 'cerebras',
  fireworks: 'fireworks',
  together: 'together',
};

/** Providers whose model names carry the real provider: `openai/gpt-5-mini`. */
const PREFIXED_MODEL_PROVIDERS = new Set(['compat', 'dynamic']);

interface PriceEntry {
  /** The catalogue provider narrowed to the one matching model, so calcPrice does no search. */
  provider: Provider;
  /** Model name as calcPrice expects it (lower-cased, trimmed). */
  modelId: string;
  /** Flat per-million-token prices when the model has no tiers, conditions or extra units. */
  flat: { input: number; output: number } | null;
}

const priceMemo = new Map<string, PriceEntry | null>();
const PRICE_MEMO_LIMIT = 4096;

function lookup(provider: string, model: string): PriceEntry | null {
  const memoKey = `${provider}\u0000${model}`;
  const hit = priceMemo.get(memoKey);
  if (hit !== undefined) return hit;
  const entry = resolve(provider, model);
  if (priceMemo.size >= PRICE_MEMO_LIMIT) priceMemo.clear();
  priceMemo.set(memoKey, entry);
  return entry;
}

function resolve(provider: string, model: string): PriceEntry | null {
  let slug = provider;
  let name = model;
  if (PREFIXED_MODEL_PROVIDERS.has(slug)) {
    const slash = name.indexOf('/');
    if (slash <= 0) return null;
    slug = name.slice(0, slash);
    name = name.slice(slash + 1);
  }
  if (slug.startsWith('custom-')) return null;
  const catalogueProvider = findProvider({ providerId: CATALOGUE_PROVIDER[slug] ?? slug });
  if (!catalogueProvider) return null;
  const modelId = name.toLowerCase().trim();
  let found: ModelInfo;
  try {
    const result = calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, { provider: catalogueProvider });
    if (!result) return null;
    found = result.model;
  } catch {
    return null;
  }
  const narrowed: Provider = { ...catalogueProvider, models: [found], fallback_model_providers: undefined };
  return { provider: narrowed, modelId, flat: flatPrices(found.prices) };
}

/**
 * input_mtok and output_mtok when they are plain numbers and nothing else in the price applies to a usage
 * made only of input and output tokens (other units such as audio, image or search prices then count 0);
 * a per-request price or tiered prices send the calculation through calcPrice.
 */
function flatPrices(prices: ModelInfo['prices']): PriceEntry['flat'] {
  if (Array.isArray(prices)) return null;
  const p = prices as ModelPrice;
  for (const [key, value] of Object.entries(p)) {
    if (key.startsWith('request') || (value !== undefined && typeof value !== 'number')) return null;
  }
  const input = p.input_mtok;
  const output = p.output_mtok;
  if (typeof input !== 'number' || typeof output !== 'number') return null;
  return { input, output };
}

/**
 * Cost in USD of one request. `custom` (cf-aig-custom-cost) overrides everything; `rule` (a custom provider's
 * pricing rule) prices what the catalogue does not know. A per-token price needs the usage, a total does not.
 * Unknown models and responses without usage cost null.
 */
export function computeCost(
  provider: string,
  model: string | null,
  usage: Usage,
  custom: CustomCost | null,
  rule: TokenPrices | null = null,
): { cost: number | null; customCost: boolean } {
  if (custom) {
    if ('total' in custom) return { cost: custom.total, customCost: true };
    const cost = perTokenCost(usage, custom);
    return { cost, customCost: cost !== null };
  }
  if (rule) return { cost: perTokenCost(usage, rule), customCost: false };
  const name = model ?? usage.model;
  if (!name || (usage.tokensIn === null && usage.tokensOut === null))
    return { cost: null, customCost: false };
  const entry = lookup(provider, name);
  if (!entry) return { cost: null, customCost: false };
  const tokensIn = usage.tokensIn ?? 0;
  const tokensOut = usage.tokensOut ?? 0;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  if (entry.flat && cacheRead === 0 && cacheWrite === 0) {
    // Same operations in the same order as the catalogue, so the two agree to the last bit.
    const cost = (entry.flat.input * tokensIn) / 1e6 + (entry.flat.output * tokensOut) / 1e6;
    return { cost, customCost: false };
  }
  const priceUsage: PriceUsage = { input_tokens: tokensIn, output_tokens: tokensOut };
  // The catalogue counts cache reads and writes as parts of input_tokens, as Usage does.
  if (cacheRead > 0) priceUsage.cache_read_tokens = Math.min(cacheRead, tokensIn);
  if (cacheWrite > 0)
    priceUsage.cache_write_tokens = Math.min(cacheWrite, tokensIn - (priceUsage.cache_read_tokens ?? 0));
  try {
    const result = calcPrice(priceUsage, entry.modelId, { provider: entry.provider });
    return { cost: result ? result.total_price : null, customCost: false };
  } catch {
    return { cost: null, customCost: false };
  }
}

/** Input, prompt-cache reads, prompt-cache writes and output, each at its own price; null without usage. */
function perTokenCost(usage: Usage, prices: TokenPrices): number | null {
  if (usage.tokensIn === null && usage.tokensOut === null) return null;
  const tokensIn = usage.tokensIn ?? 0;
  const read = Math.min(usage.cacheReadTokens ?? 0, tokensIn);
  const write = Math.min(usage.cacheWriteTokens ?? 0, tokensIn - read);
  return (
    (tokensIn - read - write) * prices.perTokenIn +
    read * (prices.perCacheReadToken ?? prices.perTokenIn) +
    write * (prices.perCacheWriteToken ?? prices.perTokenIn) +
    (usage.tokensOut ?? 0) * prices.perTokenOut
  );
}

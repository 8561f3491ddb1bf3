// The pricing rules of custom providers (/custom-providers/costs) price requests to `custom-{slug}`, which the
// catalogue does not know. Prices are USD per token (as the API describes its rules: "per-token costs"):
// token_pricing's input_tokens / output_tokens / input_cached_tokens / input_cache_creation_tokens, else
// cost_in / cost_out. Among the enabled rules of the provider, an `equals` rule wins over a `starts-with` rule,
// which wins over a `contains` rule; within a kind the longest model text wins, then the latest modified.
import type { Runtime } from '../runtime.js';
import { type CustomProviderCost, CustomProviderCostRepository } from '../store/custom-provider-costs.js';
import type { TokenPrices } from './cost.js';

const ruleOrder = ['equals', 'starts-with', 'contains'] as const;

/** The prices a pricing rule gives `model` of `provider` in the account, or null (not custom, no rule). */
export function rulePrices(
  runtime: Runtime,
  accountId: string,
  provider: string,
  model: string,
): TokenPrices | null {
  if (!provider.startsWith('custom-') || model === '') return null;
  const custom = runtime.customProviders.bySlug(accountId, provider.slice('custom-'.length));
  if (!custom) return null;
  const rules = new CustomProviderCostRepository(runtime.store).list(
    accountId,
    { account_provider_id: custom.id, enable: true },
    { limit: 1000, offset: 0 },
  );
  const matching = rules.filter((r) => r.cost_type === 'tokens' && matches(r, model));
  // list() gives the latest modified first; a stable sort keeps that order among equals.
  matching.sort(
    (a, b) =>
      ruleOrder.indexOf(a.model_rule) - ruleOrder.indexOf(b.model_rule) || b.model.length - a.model.length,
  );
  for (const rule of matching) {
    const prices = pricesOf(rule);
    if (prices) return prices;
  }
  return null;
}

function matches(rule: CustomProviderCost, model: string): boolean {
  if (rule.model_rule === 'equals') return model === rule.model;
  if (rule.model_rule === 'starts-with') return model.startsWith(rule.model);
  return model.includes(rule.model);
}

function pricesOf(rule: CustomProviderCost): TokenPrices | null {
  let detail: Record<string, unknown> = {};
  if (rule.token_pricing) {
    try {
      detail = JSON.parse(rule.token_pricing) as Record<string, unknown>;
    } catch {
      // The control plane stores valid JSON; a row written otherwise prices by cost_in / cost_out alone.
    }
  }
  const price = (key: string) => {
    const v = detail[key];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
  };
  const perIn = price('input_tokens') ?? rule.cost_in;
  const perOut = price('output_tokens') ?? rule.cost_out;
  if (perIn === undefined && perOut === undefined) return null;
  const read = price('input_cached_tokens');
  const write = price('input_cache_creation_tokens');
  return {
    perTokenIn: perIn ?? 0,
    perTokenOut: perOut ?? 0,
    ...(read !== undefined ? { perCacheReadToken: read } : {}),
    ...(write !== undefined ? { perCacheWriteToken: write } : {}),
  };
}

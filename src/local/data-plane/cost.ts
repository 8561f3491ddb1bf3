// Request cost: the catalogue price (@pydantic/genai-prices, offline) or the cf-aig-custom-cost override.
import type { Usage } from './usage.js';

export type CustomCost = { perTokenIn: number; perTokenOut: number } | { total: number };

export function parseCustomCost(header: string): CustomCost | { error: string } {
  try {
    const v = JSON.parse(header) as Record<string, unknown>;
    if (typeof v.total_cost === 'number') return { total: v.total_cost };
    if (typeof v.per_token_in === 'number' && typeof v.per_token_out === 'number') {
      return { perTokenIn: v.per_token_in, perTokenOut: v.per_token_out };
    }
  } catch {}
  return { error: 'cf-aig-custom-cost must be {"per_token_in":x,"per_token_out":y} or {"total_cost":z}' };
}

export function computeCost(
  _provider: string,
  _model: string | null,
  usage: Usage,
  custom: CustomCost | null,
): { cost: number | null; customCost: boolean } {
  if (custom) {
    if ('total' in custom) return { cost: custom.total, customCost: true };
    return {
      cost: (usage.tokensIn ?? 0) * custom.perTokenIn + (usage.tokensOut ?? 0) * custom.perTokenOut,
      customCost: true,
    };
  }
  return { cost: null, customCost: false };
}

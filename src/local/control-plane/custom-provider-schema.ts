// The custom provider and pricing rule request bodies exactly as Cloudflare's contract declares them
// (aig_CustomProvider{,Cost}CreateRequest and aig_CustomProvider{,Cost}UpdateRequest, with aig_TokenPricing
// inlined, without descriptions). A unit test compares them with the contract.
import type { Schema } from './validate.js';

const customProviderSlugPattern = '^[a-zA-Z0-9_-]+$';

const text: Schema = { type: 'string' };

/** Every field both bodies have; create lacks `logo`, update also has it and requires nothing. */
const common: Record<string, Schema> = {
  base_url: { type: 'string', format: 'uri' },
  beta: { type: 'boolean' },
  curl_example: text,
  description: text,
  enable: { type: 'boolean' },
  headers: { type: 'string', maxLength: 8192 },
  js_example: text,
  link: text,
  name: text,
  position: { type: 'integer' },
  slug: { type: 'string', pattern: customProviderSlugPattern },
};

export const customProviderCreateSchema: Schema = {
  type: 'object',
  properties: common,
  required: ['name', 'slug', 'base_url'],
};

export const customProviderUpdateSchema: Schema = {
  type: 'object',
  properties: { ...common, logo: text },
};

const tokenPricing: Schema = {
  type: 'object',
  properties: Object.fromEntries(
    [
      'input_audio_tokens',
      'input_cache_creation_tokens',
      'input_cached_tokens',
      'input_image_count',
      'input_image_tokens',
      'input_text_tokens',
      'input_tokens',
      'input_video_tokens',
      'output_image_count',
      'output_reasoning_tokens',
      'output_tokens',
      'total_tokens',
    ].map((name) => [name, { type: 'number' }]),
  ),
};

export const modelRules = ['equals', 'starts-with', 'contains'] as const;

/** The pricing rule fields both bodies have (aig_CustomProviderCostUpdateRequest is exactly these). */
const costProperties: Record<string, Schema> = {
  cost_in: { type: 'number' },
  cost_out: { type: 'number' },
  cost_type: { type: 'string', default: 'tokens' },
  enable: { type: 'boolean' },
  model: text,
  model_rule: { type: 'string', default: 'equals', enum: modelRules },
  token_pricing: tokenPricing,
};

export const customProviderCostCreateSchema: Schema = {
  type: 'object',
  properties: { account_provider_id: { type: 'string', format: 'uuid' }, ...costProperties },
  required: ['account_provider_id', 'model'],
};

export const customProviderCostUpdateSchema: Schema = { type: 'object', properties: costProperties };

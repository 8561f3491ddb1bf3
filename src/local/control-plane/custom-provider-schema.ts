// The custom provider request bodies exactly as Cloudflare's contract declares them
// (aig_CustomProviderCreateRequest and aig_CustomProviderUpdateRequest, without descriptions). A unit test
// compares them with the contract.
import type { Schema } from './validate.js';

export const customProviderSlugPattern = '^[a-zA-Z0-9_-]+$';

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

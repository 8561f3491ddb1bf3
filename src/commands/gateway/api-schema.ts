// The gateway update body exactly as Cloudflare's contract declares it (aig_GatewayUpdateRequest, without
// descriptions and examples), for the CLI to check nested settings before it sends them: the CLI never loads
// the contract itself (the local control plane validates with the contract). A unit test compares the two.
import type { Schema } from '../../local/control-plane/validate.js';

const flagOrBlock: Schema = { type: 'string', enum: ['FLAG', 'BLOCK'] };
const strings: Schema = { type: 'array', items: { type: 'string' } };

const dlp: Schema = {
  anyOf: [
    {
      type: 'object',
      properties: {
        action: { type: 'string', enum: ['BLOCK', 'FLAG'] },
        enabled: { type: 'boolean' },
        profiles: strings,
      },
      required: ['profiles', 'enabled', 'action'],
    },
    {
      type: 'object',
      properties: {
        enabled: { type: 'boolean' },
        policies: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              action: flagOrBlock,
              check: { type: 'array', items: { enum: ['REQUEST', 'RESPONSE'], type: 'string' } },
              enabled: { type: 'boolean' },
              id: { type: 'string' },
              profiles: strings,
            },
            required: ['id', 'enabled', 'action', 'profiles', 'check'],
          },
        },
      },
      required: ['enabled', 'policies'],
    },
  ],
};

const guardrailCategories = ['P1', ...Array.from({ length: 13 }, (_, i) => `S${i + 1}`)];
const guardrailActions: Schema = {
  type: 'object',
  properties: Object.fromEntries(guardrailCategories.map((category) => [category, flagOrBlock])),
};

const guardrails: Schema = {
  type: 'object',
  nullable: true,
  properties: { prompt: guardrailActions, response: guardrailActions },
  required: ['prompt', 'response'],
};

const otel: Schema = {
  type: 'array',
  nullable: true,
  maxItems: 5,
  items: {
    type: 'object',
    properties: {
      authorization: { type: 'string', maxLength: 256 },
      content_type: { type: 'string', default: 'json', enum: ['json', 'protobuf'] },
      headers: { type: 'object', additionalProperties: { maxLength: 4096, type: 'string' } },
      url: { type: 'string', format: 'uri', maxLength: 2048 },
    },
    required: ['url', 'headers'],
  },
};

const filterValues = (mode: string): Schema => ({
  type: 'object',
  properties: { mode: { type: 'string', enum: [mode] }, values: strings },
  required: ['mode', 'values'],
});

const spendLimits: Schema = {
  type: 'object',
  nullable: true,
  properties: {
    enabled: { type: 'boolean', default: false },
    rules: {
      type: 'array',
      default: [],
      maxItems: 20,
      items: {
        type: 'object',
        properties: {
          enabled: { type: 'boolean', default: true },
          id: { type: 'string', default: '00000000', minLength: 1, pattern: '^[a-zA-Z0-9_-]+$' },
          limit: { type: 'number', minimum: 0, exclusiveMinimum: true },
          limitType: { type: 'string', enum: ['cost'] },
          metadata: {
            type: 'object',
            additionalProperties: {
              oneOf: [
                {
                  type: 'object',
                  properties: { mode: { type: 'string', enum: ['partition'] } },
                  required: ['mode'],
                },
                filterValues('filter'),
              ],
            },
          },
          model: filterValues('filter'),
          provider: filterValues('filter'),
          technique: { type: 'string', default: 'sliding', enum: ['fixed', 'sliding'] },
          window: { type: 'integer', minimum: 0, exclusiveMinimum: true },
        },
        required: ['limitType', 'limit', 'window'],
      },
    },
  },
};

const stripe: Schema = {
  type: 'object',
  nullable: true,
  properties: {
    authorization: { type: 'string' },
    usage_events: {
      type: 'array',
      items: { type: 'object', properties: { payload: { type: 'string' } }, required: ['payload'] },
    },
  },
  required: ['authorization', 'usage_events'],
};

const nullableCount: Schema = { type: 'integer', nullable: true, minimum: 0 };

/** Every settable gateway field but the id. */
const settingsProperties: Record<string, Schema> = {
  authentication: { type: 'boolean' },
  byok_only: { type: 'boolean' },
  cache_invalidate_on_update: { type: 'boolean' },
  cache_ttl: nullableCount,
  collect_logs: { type: 'boolean' },
  dlp,
  guardrails,
  log_classification: { type: 'boolean' },
  log_management: { type: 'integer', nullable: true, maximum: 10000000, minimum: 10000 },
  log_management_strategy: { type: 'string', nullable: true, enum: ['STOP_INSERTING', 'DELETE_OLDEST'] },
  logpush: { type: 'boolean' },
  logpush_public_key: { type: 'string', nullable: true, maxLength: 1024, minLength: 16 },
  otel,
  rate_limiting_interval: nullableCount,
  rate_limiting_limit: nullableCount,
  rate_limiting_technique: { type: 'string', nullable: true, enum: ['fixed', 'sliding'] },
  retry_backoff: { type: 'string', nullable: true, enum: ['constant', 'linear', 'exponential'] },
  retry_delay: { type: 'integer', nullable: true, maximum: 60000, minimum: 0 },
  retry_max_attempts: { type: 'integer', nullable: true, maximum: 5, minimum: 1 },
  spend_limits: spendLimits,
  store_id: { type: 'string', nullable: true },
  stripe,
  workers_ai_billing_mode: { type: 'string', default: 'postpaid', enum: ['postpaid', 'unified'] },
  zdr: { type: 'boolean' },
};

const requiredSettings = [
  'rate_limiting_interval',
  'rate_limiting_limit',
  'collect_logs',
  'cache_ttl',
  'cache_invalidate_on_update',
];

export const gatewayUpdateSchema: Schema = {
  type: 'object',
  properties: settingsProperties,
  required: requiredSettings,
};

// Gateway bodies against the contract: the control plane validates them with the contract's own schemas
// (its validator must accept exactly what ajv accepts), and the CLI, which never loads the contract, keeps
// field rules, defaults and a copy of the update body that must all say what the contract says.
import { describe, expect, it } from 'vitest';
import { gatewayUpdateSchema } from '../../src/commands/gateway/api-schema.js';
import { fieldRules, settableFields } from '../../src/commands/gateway/spec.js';
import { createDefaults } from '../../src/gateway-defaults.js';
import { requestBodySchema } from '../../src/local/control-plane/contract.js';
import { type Schema, validate } from '../../src/local/control-plane/validate.js';
import { contractSchema, plainSchema, validateRequest } from '../helpers/openapi.js';

const gatewayCreateSchema = requestBodySchema('POST', '/accounts/:account_id/ai-gateway/gateways')!;

describe('the CLI’s gateway rules', () => {
  const contract = plainSchema(contractSchema('aig_GatewayUpdateRequest')) as Required<Schema>;

  it('copy the contract’s aig_GatewayUpdateRequest', () => {
    expect(plainSchema(gatewayUpdateSchema)).toEqual(contract);
  });

  it('know every settable field of the contract, and no other', () => {
    expect([...settableFields].sort()).toEqual(Object.keys(contract.properties).sort());
  });

  it.each(Object.keys(fieldRules))('check %s as the contract declares it', (field) => {
    const rule = fieldRules[field]!;
    const declared = contract.properties[field]!;
    const kind = rule.kind === 'enum' ? 'string' : rule.kind;
    expect(declared.type ?? (declared.anyOf ? 'object' : undefined)).toBe(kind);
    expect(Boolean(declared.nullable)).toBe(rule.kind !== 'boolean' && rule.nullable === true);
    if (rule.kind === 'integer') {
      expect([rule.min, rule.max]).toEqual([declared.minimum ?? 0, declared.maximum]);
    }
    if (rule.kind === 'enum') expect(rule.values).toEqual(declared.enum);
    if (rule.kind === 'string') {
      expect([rule.minLength, rule.maxLength]).toEqual([declared.minLength, declared.maxLength]);
    }
    if (rule.kind === 'array') expect(rule.maxItems).toEqual(declared.maxItems);
  });

  it('default every field the contract requires on create, with values it accepts', () => {
    const create = contractSchema('aig_GatewayCreateRequest') as { required: string[] };
    expect(Object.keys(createDefaults).sort()).toEqual(
      expect.arrayContaining(create.required.filter((f) => f !== 'id').sort()),
    );
    expect(() =>
      validateRequest('POST', '/accounts/a/ai-gateway/gateways', undefined, { id: 'gw', ...createDefaults }),
    ).not.toThrow();
  });
});

const base = {
  id: 'my-gateway',
  cache_ttl: 0,
  cache_invalidate_on_update: false,
  collect_logs: true,
  rate_limiting_interval: 0,
  rate_limiting_limit: 0,
};

const rule = { limitType: 'cost', limit: 1.5, window: 60 };

const samples: [string, unknown][] = [
  ['minimal', base],
  ['not an object', [base]],
  ['null body', null],
  ['missing id', { ...base, id: undefined }],
  ['id with a double dash', { ...base, id: 'a--b' }],
  ['id with capitals', { ...base, id: 'Prod' }],
  ['id of 64 characters', { ...base, id: 'a'.repeat(64) }],
  ['id of 65 characters', { ...base, id: 'a'.repeat(65) }],
  ['null cache_ttl', { ...base, cache_ttl: null }],
  ['negative cache_ttl', { ...base, cache_ttl: -1 }],
  ['fractional cache_ttl', { ...base, cache_ttl: 1.5 }],
  ['string collect_logs', { ...base, collect_logs: 'yes' }],
  ['null collect_logs', { ...base, collect_logs: null }],
  ['sliding technique', { ...base, rate_limiting_technique: 'sliding' }],
  ['null technique', { ...base, rate_limiting_technique: null }],
  ['unknown technique', { ...base, rate_limiting_technique: 'leaky' }],
  ['log_management too small', { ...base, log_management: 9999 }],
  ['short logpush key', { ...base, logpush_public_key: 'short' }],
  ['retry attempts 6', { ...base, retry_max_attempts: 6 }],
  ['retry delay 60000', { ...base, retry_delay: 60000, retry_backoff: 'exponential' }],
  ['legacy dlp', { ...base, dlp: { enabled: true, action: 'BLOCK', profiles: ['p'] } }],
  [
    'policy dlp',
    {
      ...base,
      dlp: {
        enabled: true,
        policies: [{ id: 'x', enabled: true, action: 'FLAG', check: ['REQUEST'], profiles: [] }],
      },
    },
  ],
  ['half dlp', { ...base, dlp: { enabled: true } }],
  [
    'dlp with a bad check',
    {
      ...base,
      dlp: {
        enabled: true,
        policies: [{ id: 'x', enabled: true, action: 'FLAG', check: ['BOTH'], profiles: [] }],
      },
    },
  ],
  ['guardrails', { ...base, guardrails: { prompt: { P1: 'BLOCK' }, response: { S13: 'FLAG' } } }],
  ['guardrails with a bad action', { ...base, guardrails: { prompt: { P1: 'DROP' }, response: {} } }],
  ['guardrails without response', { ...base, guardrails: { prompt: {} } }],
  [
    'otel',
    {
      ...base,
      otel: [{ url: 'https://otel.example/v1/traces', headers: { a: 'b' }, content_type: 'protobuf' }],
    },
  ],
  ['otel with a relative url', { ...base, otel: [{ url: '/v1/traces', headers: {} }] }],
  ['otel with a number header', { ...base, otel: [{ url: 'https://o.example', headers: { a: 1 } }] }],
  ['six otel exporters', { ...base, otel: Array(6).fill({ url: 'https://o.example', headers: {} }) }],
  ['spend limits', { ...base, spend_limits: { enabled: true, rules: [rule] } }],
  ['spend limit of zero', { ...base, spend_limits: { rules: [{ ...rule, limit: 0 }] } }],
  ['spend limit with a bad id', { ...base, spend_limits: { rules: [{ ...rule, id: 'a b' }] } }],
  [
    'spend limit metadata',
    {
      ...base,
      spend_limits: {
        rules: [
          { ...rule, metadata: { team: { mode: 'partition' }, app: { mode: 'filter', values: ['x'] } } },
        ],
      },
    },
  ],
  [
    'spend limit metadata bad mode',
    { ...base, spend_limits: { rules: [{ ...rule, metadata: { team: { mode: 'all' } } }] } },
  ],
  ['stripe', { ...base, stripe: { authorization: 'sk', usage_events: [{ payload: '{}' }] } }],
  ['stripe without events', { ...base, stripe: { authorization: 'sk' } }],
  ['unified billing', { ...base, workers_ai_billing_mode: 'unified' }],
  ['unknown billing', { ...base, workers_ai_billing_mode: 'prepaid' }],
  ['unknown field', { ...base, colour: 'blue' }],
];

describe('the control plane’s validator', () => {
  it.each(samples)('agrees with the contract on: %s', (_name, body) => {
    const ours = validate(gatewayCreateSchema, body).ok;
    let theirs = true;
    try {
      validateRequest('POST', '/accounts/a/ai-gateway/gateways', undefined, body);
    } catch {
      theirs = false;
    }
    expect(ours).toBe(theirs);
  });

  it('reports where the problem is', () => {
    const result = validate(gatewayCreateSchema, {
      ...base,
      otel: [{ url: 'nope', headers: {} }],
      cache_ttl: 'x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual([['cache_ttl'], ['otel', '0', 'url']]);
    expect(result.issues[0]!.message).toBe('"cache_ttl" must be an integer, not a string');
  });

  it('drops unknown fields and fills the declared defaults', () => {
    const result = validate(gatewayCreateSchema, {
      ...base,
      colour: 'blue',
      otel: [{ url: 'https://o.example', headers: {} }],
      spend_limits: { rules: [rule] },
    });
    expect(result).toEqual({
      ok: true,
      value: {
        ...base,
        otel: [{ url: 'https://o.example', headers: {}, content_type: 'json' }],
        spend_limits: {
          enabled: false,
          rules: [{ ...rule, id: '00000000', enabled: true, technique: 'sliding' }],
        },
        workers_ai_billing_mode: 'postpaid',
      },
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/client/gateways.js';
import {
  computePlan,
  countChanges,
  describeChanges,
  parseApplyFile,
  summarizePlan,
} from '../../src/commands/gateway/plan.js';

function gateway(id: string, extra: Partial<Gateway> = {}): Gateway {
  return {
    id,
    cache_ttl: 0,
    cache_invalidate_on_update: false,
    collect_logs: true,
    rate_limiting_interval: 0,
    rate_limiting_limit: 0,
    rate_limiting_technique: 'fixed',
    created_at: '2026-01-01T00:00:00Z',
    modified_at: '2026-01-01T00:00:00Z',
    ...extra,
  } as Gateway;
}

describe('parseApplyFile', () => {
  it('accepts {gateways: [...]} and a bare list', () => {
    const entries = [{ id: 'prod-chat', cache_ttl: '1h', rate_limit: '100/60s' }];
    const expected = [
      {
        id: 'prod-chat',
        settings: { cache_ttl: 3600, rate_limiting_limit: 100, rate_limiting_interval: 60 },
      },
    ];
    const parsed = { gateways: expected, listsGateways: true, errors: [] };
    expect(parseApplyFile({ gateways: entries })).toEqual(parsed);
    expect(parseApplyFile(entries)).toEqual(parsed);
    expect(parseApplyFile({ gateways: [] })).toEqual({ gateways: [], listsGateways: true, errors: [] });
    // A file of custom providers only leaves the gateways alone, even with --prune.
    expect(parseApplyFile({ providers: [] })).toEqual({
      gateways: [],
      listsGateways: false,
      providers: [],
      errors: [],
    });
  });

  it('lists every problem in the file', () => {
    const { errors } = parseApplyFile({
      gateways: [
        { id: 'Prod' },
        { cache_ttl: 5 },
        'staging',
        { id: 'a', collect_logs: 'yes', cache_ttl: 'later' },
        { id: 'a' },
        { id: 7 },
      ],
      version: 2,
    });
    expect(errors).toEqual([
      'unknown top-level key "version" (expected "gateways" or "providers")',
      'gateways[0]: invalid id "Prod": uppercase letters are not allowed',
      'gateways[1]: id is missing',
      'gateways[2]: must be an object with an id, not "staging"',
      'gateways[3] (a): collect_logs must be true or false, not "yes"',
      'gateways[3] (a): cache_ttl: "later" is not a duration (use 90s, 30m, 1h, 1d, or a number of seconds)',
      'gateways[4]: id "a" is already used by gateways[3]',
      'gateways[5]: id must be a string, not 7',
    ]);
  });

  it('rejects files of the wrong shape', () => {
    expect(parseApplyFile('gateways').errors).toEqual([
      'the file must hold {"gateways": [...]} or a list of gateways',
    ]);
    expect(parseApplyFile({ gateway: [] }).errors).toEqual([
      'unknown top-level key "gateway" (expected "gateways" or "providers")',
      'no "gateways" list',
    ]);
    expect(parseApplyFile({ gateways: { id: 'a' } }).errors).toEqual([
      '"gateways" must be a list, not {"id":"a"}',
    ]);
  });
});

describe('computePlan', () => {
  const existing = [
    gateway('prod', { cache_ttl: 3600, rate_limiting_limit: 100, rate_limiting_interval: 60 }),
    gateway('staging', { authentication: true, log_management: null }),
    gateway('old'),
  ];

  it('creates the missing gateways with defaults under the named fields', () => {
    const plan = computePlan([{ id: 'new', settings: { cache_ttl: 60, collect_logs: false } }], existing);
    expect(plan).toEqual([
      {
        action: 'create',
        id: 'new',
        changes: [
          { field: 'cache_ttl', to: 60 },
          { field: 'cache_invalidate_on_update', to: false },
          { field: 'collect_logs', to: false },
          { field: 'rate_limiting_interval', to: 0 },
          { field: 'rate_limiting_limit', to: 0 },
          { field: 'rate_limiting_technique', to: 'fixed' },
        ],
      },
    ]);
  });

  it('compares only the named fields, and reports each difference old → new', () => {
    const plan = computePlan(
      [
        { id: 'prod', settings: { cache_ttl: 3600, rate_limiting_limit: 200, collect_logs: false } },
        { id: 'staging', settings: { authentication: true, log_management: null, zdr: false } },
      ],
      existing,
    );
    expect(plan[0]).toEqual({
      action: 'update',
      id: 'prod',
      changes: [
        { field: 'rate_limiting_limit', from: 100, to: 200 },
        { field: 'collect_logs', from: true, to: false },
      ],
    });
    // zdr is absent on the gateway; false differs from absent, so it is a change. null matches absent.
    expect(plan[1]).toEqual({
      action: 'update',
      id: 'staging',
      changes: [{ field: 'zdr', from: null, to: false }],
    });
    expect(describeChanges(plan[0]!)).toBe('rate_limiting_limit: 100 → 200, collect_logs: true → false');
  });

  it('leaves matching gateways unchanged, nested values compared by content', () => {
    const withGuardrails = gateway('g', { guardrails: { prompt: { S1: 'BLOCK' }, response: {} } });
    const plan = computePlan(
      [
        { id: 'g', settings: { guardrails: { response: {}, prompt: { S1: 'BLOCK' } } } },
        { id: 'prod', settings: { cache_ttl: 3600 } },
        { id: 'staging', settings: { log_management: null } },
      ],
      [...existing, withGuardrails],
    );
    expect(plan.map((p) => p.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(countChanges(plan)).toBe(0);
    expect(summarizePlan(plan)).toBe('0 changes');
  });

  it('deletes gateways the file does not name only with prune', () => {
    const desired = [{ id: 'prod', settings: {} }];
    expect(computePlan(desired, existing).map((p) => p.action)).toEqual(['unchanged']);
    const pruned = computePlan(desired, existing, { prune: true });
    expect(pruned.map((p) => [p.action, p.id])).toEqual([
      ['unchanged', 'prod'],
      ['delete', 'old'],
      ['delete', 'staging'],
    ]);
    expect(summarizePlan(pruned)).toBe('2 changes: 2 to delete');
    expect(describeChanges(pruned[1]!)).toBe('with its stored logs');
  });

  it('summarizes a mixed plan', () => {
    const plan = computePlan(
      [
        { id: 'new', settings: {} },
        { id: 'prod', settings: { cache_ttl: 1 } },
      ],
      existing,
      { prune: true },
    );
    expect(summarizePlan(plan)).toBe('4 changes: 1 to create, 1 to update, 2 to delete');
  });
});

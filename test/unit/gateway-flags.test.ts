import { describe, expect, it } from 'vitest';
import { applySets, hasSettingFlags, parseSettingFlags } from '../../src/commands/gateway/flags.js';
import { fieldProblem, settingsFromSpec } from '../../src/commands/gateway/spec.js';
import { UsageError } from '../../src/errors.js';

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('setting flags → API fields', () => {
  it('maps every flag to its field', () => {
    const { settings, sets } = parseSettingFlags(
      {
        cacheTtl: '1h',
        cacheInvalidateOnUpdate: true,
        collectLogs: false,
        rateLimit: '100/60s',
        rateLimitTechnique: 'sliding',
        authentication: true,
        logLimit: '100k',
        logStrategy: 'delete-oldest',
        retries: '3',
        retryDelay: '500ms',
        retryBackoff: 'exponential',
        logpush: true,
        logpushPublicKey: 'key.pem',
        zdr: true,
        byokOnly: false,
        logClassification: true,
        workersAiBillingMode: 'unified',
        storeId: 'store-1',
      },
      { logpushPublicKey: '-----BEGIN PUBLIC KEY-----abc\n' },
    );
    expect(settings).toEqual({
      cache_ttl: 3600,
      cache_invalidate_on_update: true,
      collect_logs: false,
      rate_limiting_limit: 100,
      rate_limiting_interval: 60,
      rate_limiting_technique: 'sliding',
      authentication: true,
      log_management: 100_000,
      log_management_strategy: 'DELETE_OLDEST',
      retry_max_attempts: 3,
      retry_delay: 500,
      retry_backoff: 'exponential',
      logpush: true,
      logpush_public_key: '-----BEGIN PUBLIC KEY-----abc',
      zdr: true,
      byok_only: false,
      log_classification: true,
      workers_ai_billing_mode: 'unified',
      store_id: 'store-1',
    });
    expect(sets).toEqual([]);
  });

  it('maps only the flags given', () => {
    expect(parseSettingFlags({ collectLogs: false }).settings).toEqual({ collect_logs: false });
    expect(parseSettingFlags({ rateLimit: 'off' }).settings).toEqual({
      rate_limiting_limit: 0,
      rate_limiting_interval: 0,
    });
    expect(parseSettingFlags({ logLimit: 'off' }).settings).toEqual({ log_management: null });
    expect(parseSettingFlags({ retryDelay: '1500' }).settings).toEqual({ retry_delay: 1500 });
  });

  it('lists every bad value, naming the flag and the rule', () => {
    const message = usageMessage(() =>
      parseSettingFlags({
        cacheTtl: 'soon',
        rateLimit: '100',
        logLimit: '5',
        retries: '9',
        retryDelay: '2m',
        logStrategy: 'forever',
      }),
    );
    expect(message).toMatch(/^6 problems in the flags:/);
    expect(message).toContain('--cache-ttl: "soon" is not a duration');
    expect(message).toContain('--rate-limit: "100" is not a rate limit');
    expect(message).toContain('--log-limit: must be between 10000 and 10000000, not 5');
    expect(message).toContain('--retries: must be between 1 and 5, not 9');
    expect(message).toContain('--retry-delay: must be between 0 and 60000 ms, not 120000 ms');
    expect(message).toContain('--log-strategy: must be one of STOP_INSERTING, DELETE_OLDEST');
  });

  it('checks the logpush public key length', () => {
    expect(
      usageMessage(() => parseSettingFlags({ logpushPublicKey: 'k' }, { logpushPublicKey: 'short' })),
    ).toBe('--logpush-public-key: must be at least 16 characters long, not 5');
  });

  it('tells whether any setting was given', () => {
    expect(hasSettingFlags({})).toBe(false);
    expect(hasSettingFlags({ collectLogs: false })).toBe(true);
    expect(hasSettingFlags({ set: ['zdr=true'] })).toBe(true);
    expect(hasSettingFlags({ fromFile: 'x.json' })).toBe(true);
  });
});

describe('--set', () => {
  it('parses JSON values and plain text', () => {
    const { sets } = parseSettingFlags({ set: ['zdr=true', 'store_id=abc', 'cache_ttl=60'] });
    expect(sets).toEqual([
      { path: ['zdr'], value: true },
      { path: ['store_id'], value: 'abc' },
      { path: ['cache_ttl'], value: 60 },
    ]);
  });

  it('checks top-level values and field names before any request', () => {
    expect(usageMessage(() => parseSettingFlags({ set: ['zdr=maybe'] }))).toContain(
      'zdr must be true or false, not "maybe"',
    );
    expect(usageMessage(() => parseSettingFlags({ set: ['colour=red'] }))).toContain(
      'unknown field "colour"',
    );
    expect(usageMessage(() => parseSettingFlags({ set: ['novalue'] }))).toContain('use field=value');
    expect(usageMessage(() => parseSettingFlags({ set: ['zdr.x=1'] }))).toContain(
      'zdr has no fields inside it',
    );
  });

  it('merges dotted paths into the current value and reports only the fields touched', () => {
    const current = {
      cache_ttl: 60,
      guardrails: { prompt: { S1: 'BLOCK' }, response: { S2: 'FLAG' } },
    };
    const { sets } = parseSettingFlags({
      set: ['guardrails.response.S3=BLOCK', 'spend_limits.enabled=true'],
    });
    expect(applySets(current, sets)).toEqual({
      guardrails: { prompt: { S1: 'BLOCK' }, response: { S2: 'FLAG', S3: 'BLOCK' } },
      spend_limits: { enabled: true },
    });
    expect(current.guardrails.response).toEqual({ S2: 'FLAG' });
  });
});

describe('nested settings are checked against the API schemas before any request', () => {
  it('an unknown key inside a --set JSON value is refused, naming it and the known keys', () => {
    expect(usageMessage(() => parseSettingFlags({ set: ['spend_limits={"daily":5}'] }))).toBe(
      '--set spend_limits={"daily":5}: spend_limits is not valid: "spend_limits.daily" is not a known key (known: enabled, rules)',
    );
    expect(
      usageMessage(() =>
        parseSettingFlags({
          set: ['spend_limits.rules=[{"limitType":"cost","limit":5,"window":60,"daily":1}]'],
        }),
      ),
    ).toContain('"spend_limits.rules.0.daily" is not a known key (known: enabled, id, limit, limitType,');
    expect(
      usageMessage(() =>
        parseSettingFlags({ set: ['otel=[{"url":"https://x.example","headers":{},"token":"t"}]'] }),
      ),
    ).toContain('"otel.0.token" is not a known key (known: authorization, content_type, headers, url)');
  });

  it('a dotted path must lead somewhere, and its value must fit there', () => {
    expect(usageMessage(() => parseSettingFlags({ set: ['spend_limits.daily=5'] }))).toContain(
      '"daily" is not a key of spend_limits (known: enabled, rules)',
    );
    expect(usageMessage(() => parseSettingFlags({ set: ['guardrails.prompt.S99=BLOCK'] }))).toContain(
      '"S99" is not a key of guardrails.prompt (known: P1, S1, S10,',
    );
    expect(usageMessage(() => parseSettingFlags({ set: ['guardrails.prompt.S1=DROP'] }))).toContain(
      '"guardrails.prompt.S1" must be one of "FLAG", "BLOCK"',
    );
    expect(usageMessage(() => parseSettingFlags({ set: ['spend_limits.enabled=yes'] }))).toContain(
      '"spend_limits.enabled" must be a boolean, not a string',
    );
    // dlp has two shapes; a key either of them knows is accepted.
    expect(parseSettingFlags({ set: ['dlp.enabled=true', 'dlp.policies=[]'] }).sets).toHaveLength(2);
  });

  it('what a change leaves incomplete is refused before it is sent', () => {
    const { sets } = parseSettingFlags({ set: ['guardrails.prompt.S1=BLOCK'] });
    expect(usageMessage(() => applySets({}, sets))).toBe('--set: "guardrails.response" is required');
    expect(applySets({ guardrails: { prompt: {}, response: {} } }, sets)).toEqual({
      guardrails: { prompt: { S1: 'BLOCK' }, response: {} },
    });
  });

  it('--from-file and apply entries are held to the same schemas', () => {
    const { errors } = settingsFromSpec({ spend_limits: { daily: 5 }, stripe: { authorization: 'x' } });
    expect(errors).toEqual([
      'spend_limits is not valid: "spend_limits.daily" is not a known key (known: enabled, rules)',
      'stripe is not valid: "stripe.usage_events" is required',
    ]);
  });
});

describe('--from-file and apply entries', () => {
  it('accepts friendly forms and raw API fields', () => {
    const { settings, errors } = settingsFromSpec({
      id: 'ignored-here',
      cache_ttl: '1h',
      rate_limit: { limit: 10, interval: '1m', technique: 'sliding' },
      log_limit: '1m',
      log_strategy: 'stop-inserting',
      retries: 2,
      retry_delay: '1s',
      collect_logs: false,
      otel: [{ url: 'https://otel.example/v1/traces', headers: {} }],
    });
    expect(errors).toEqual([]);
    expect(settings).toEqual({
      cache_ttl: 3600,
      rate_limiting_limit: 10,
      rate_limiting_interval: 60,
      rate_limiting_technique: 'sliding',
      log_management: 1_000_000,
      log_management_strategy: 'STOP_INSERTING',
      retry_max_attempts: 2,
      retry_delay: 1000,
      collect_logs: false,
      otel: [{ url: 'https://otel.example/v1/traces', headers: {} }],
    });
  });

  it('reports conflicting and unknown keys', () => {
    const { errors } = settingsFromSpec({
      rate_limit: '10/60s',
      rate_limiting_limit: 5,
      cacheTtl: 5,
      otel: {},
    });
    expect(errors).toEqual([
      'rate_limiting_limit and rate_limit both set rate_limiting_limit; keep one',
      'unknown key "cacheTtl" (did you mean "cache_ttl"?)',
      'otel must be a list, not {}',
    ]);
  });

  it('puts flags above the file and reports file problems with the flag', () => {
    const { settings } = parseSettingFlags(
      { fromFile: 'g.yaml', cacheTtl: '5m' },
      { fromFile: { cache_ttl: '1h', collect_logs: false } },
    );
    expect(settings).toEqual({ cache_ttl: 300, collect_logs: false });
    expect(usageMessage(() => parseSettingFlags({ fromFile: 'g.yaml' }, { fromFile: [1] }))).toContain(
      'must hold one object',
    );
    expect(usageMessage(() => parseSettingFlags({ fromFile: 'g.yaml' }, { fromFile: { zdr: 'yes' } }))).toBe(
      '--from-file g.yaml: zdr must be true or false, not "yes"',
    );
  });
});

describe('fieldProblem', () => {
  it('knows nullability and ranges from the contract', () => {
    expect(fieldProblem('cache_ttl', null)).toBeNull();
    expect(fieldProblem('collect_logs', null)).toBe('cannot be null');
    expect(fieldProblem('workers_ai_billing_mode', null)).toBe('cannot be null');
    expect(fieldProblem('cache_ttl', -1)).toBe('must be at least 0 s, not -1 s');
    expect(fieldProblem('cache_ttl', 1.5)).toBe('must be a whole number, not 1.5');
    expect(fieldProblem('log_management', 10_000)).toBeNull();
    expect(fieldProblem('log_management', 10_000_001)).toMatch(/between 10000 and 10000000/);
    expect(fieldProblem('otel', new Array(6).fill({}))).toBe('must have at most 5 entries, not 6');
    expect(fieldProblem('guardrails', [])).toBe('must be an object, not []');
  });
});

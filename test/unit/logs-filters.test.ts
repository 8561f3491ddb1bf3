// Human filter flags -> the API's log filters (the keys, operators and orders they are checked against are
// held to the contract in openapi-logs-schema.test.ts).
import { describe, expect, it } from 'vitest';
import type { Log } from '../../src/client/logs.js';
import { compileFilters, parseFilter, parseSort } from '../../src/commands/args/log-filters.js';
import { UsageError } from '../../src/errors.js';
import { parseTime } from '../../src/io/values.js';

const now = new Date('2026-05-10T12:00:00Z');

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('expected a usage error');
}

const log = (over: Partial<Log>): Log => ({
  id: 'x',
  created_at: now.toISOString(),
  provider: 'openai',
  model: 'gpt-4o-mini',
  path: 'chat/completions',
  duration: 10,
  success: true,
  cached: false,
  tokens_in: 1,
  tokens_out: 2,
  ...over,
});

describe('compileFilters', () => {
  it('turns each human flag into the API filter it stands for', () => {
    const compiled = compileFilters(
      {
        status: 'error',
        provider: 'openai,anthropic',
        model: 'gpt-4o-mini',
        cached: false,
        since: '1h',
        until: '2026-05-10T11:30:00Z',
        minCost: '0.01',
        maxCost: '$2',
        minDuration: '2s',
        minTokens: '1000',
        eventId: 'evt-1',
        feedback: 'down',
        search: ' alice ',
      },
      now,
    );
    expect(compiled.filters).toEqual([
      { key: 'success', operator: 'eq', value: [false] },
      { key: 'provider', operator: 'eq', value: ['openai', 'anthropic'] },
      { key: 'model', operator: 'eq', value: ['gpt-4o-mini'] },
      { key: 'cached', operator: 'eq', value: [false] },
      { key: 'created_at', operator: 'gt', value: ['2026-05-10T11:00:00.000Z'] },
      { key: 'created_at', operator: 'lt', value: ['2026-05-10T11:30:00.000Z'] },
      { key: 'cost', operator: 'gt', value: [0.01] },
      { key: 'cost', operator: 'lt', value: [2] },
      { key: 'duration', operator: 'gt', value: [2000] },
      { key: 'tokens', operator: 'gt', value: [1000] },
      { key: 'event_id', operator: 'eq', value: ['evt-1'] },
      { key: 'feedback', operator: 'eq', value: [-1] },
    ]);
    expect(compiled.search).toBe('alice');
    expect(compiled.keep).toBeUndefined();
    expect(compiled.localOnly).toEqual([]);
  });

  it('--status success and --cached, --feedback up', () => {
    expect(compileFilters({ status: 'success', cached: true, feedback: 'up' }, now).filters).toEqual([
      { key: 'success', operator: 'eq', value: [true] },
      { key: 'cached', operator: 'eq', value: [true] },
      { key: 'feedback', operator: 'eq', value: [1] },
    ]);
  });

  it('--status with a code or a class asks the API for errors and keeps the matching codes', () => {
    const code = compileFilters({ status: '429' }, now);
    expect(code.filters).toEqual([{ key: 'success', operator: 'eq', value: [false] }]);
    expect(code.keep!(log({ status_code: 429, success: false }))).toBe(true);
    expect(code.keep!(log({ status_code: 500, success: false }))).toBe(false);
    expect(code.localOnly).toEqual(['--status 429']);
    const fives = compileFilters({ status: '5xx' }, now);
    expect(fives.keep!(log({ status_code: 503 }))).toBe(true);
    expect(fives.keep!(log({ status_code: 429 }))).toBe(false);
    expect(fives.keep!(log({}))).toBe(false);
    const ok = compileFilters({ status: '2xx' }, now);
    expect(ok.filters[0]!.value).toEqual([true]);
  });

  it('--meta sends key and value filters and checks each pair on the logs', () => {
    const compiled = compileFilters({ meta: ['user=alice', 'team=a=b'] }, now);
    expect(compiled.filters).toEqual([
      { key: 'metadata.key', operator: 'eq', value: ['user'] },
      { key: 'metadata.value', operator: 'eq', value: ['alice'] },
      { key: 'metadata.key', operator: 'eq', value: ['team'] },
      { key: 'metadata.value', operator: 'eq', value: ['a=b'] },
    ]);
    expect(compiled.keep!(log({ metadata: '{"user":"alice","team":"a=b"}' }))).toBe(true);
    // Both keys and both values are there, but not as these pairs.
    expect(compiled.keep!(log({ metadata: '{"user":"a=b","team":"alice"}' }))).toBe(false);
    expect(compiled.keep!(log({}))).toBe(false);
  });

  it('rejects bad values with a usage error naming the flag', () => {
    expect(usageError(() => compileFilters({ status: 'teapot' }, now)).message).toContain('--status');
    expect(usageError(() => compileFilters({ since: 'yesterday' }, now)).message).toContain('--since');
    expect(usageError(() => compileFilters({ minCost: '-1' }, now)).message).toContain('--min-cost');
    expect(usageError(() => compileFilters({ minDuration: 'slow' }, now)).message).toContain(
      '--min-duration',
    );
    expect(usageError(() => compileFilters({ minTokens: '1.5' }, now)).message).toContain('--min-tokens');
    expect(usageError(() => compileFilters({ feedback: 'meh' }, now)).message).toContain('--feedback');
    expect(usageError(() => compileFilters({ meta: ['novalue'] }, now)).message).toContain('--meta');
    expect(usageError(() => compileFilters({ provider: ' , ' }, now)).message).toContain('--provider');
  });
});

describe('--filter key:op:value', () => {
  it('types values by key and keeps colons in the value', () => {
    expect(parseFilter('tokens_out:gt:1000', now)).toEqual({
      key: 'tokens_out',
      operator: 'gt',
      value: [1000],
    });
    expect(parseFilter('success:eq:false', now)).toEqual({ key: 'success', operator: 'eq', value: [false] });
    expect(parseFilter('model:eq:@cf/meta/llama:8b,gpt-4o', now)).toEqual({
      key: 'model',
      operator: 'eq',
      value: ['@cf/meta/llama:8b', 'gpt-4o'],
    });
    expect(parseFilter('created_at:gt:2026-05-01T00:00:00Z', now).value).toEqual([
      '2026-05-01T00:00:00.000Z',
    ]);
    expect(parseFilter('event_id:eq:null', now).value).toEqual([null]);
    expect(parseFilter('user_agent:contains:curl', now).operator).toBe('contains');
  });

  it('rejects unknown keys and operators, listing the valid ones', () => {
    const key = usageError(() => parseFilter('status_code:eq:500', now));
    expect(key.message).toContain('"status_code" is not a log filter key');
    expect(key.hint).toContain('user_agent');
    const op = usageError(() => parseFilter('cost:gte:1', now));
    expect(op.hint).toContain('eq, neq, contains, lt, gt');
    expect(usageError(() => parseFilter('cost', now)).message).toContain('key:operator:value');
    expect(usageError(() => parseFilter('cost:gt:cheap', now)).message).toContain('numbers');
    expect(usageError(() => parseFilter('cached:eq:yes', now)).message).toContain('true or false');
    expect(usageError(() => parseFilter('model:eq:', now)).message).toContain('no value');
  });
});

describe('--sort', () => {
  it('takes a list order and a direction, newest first by default', () => {
    expect(parseSort(undefined)).toEqual({});
    expect(parseSort('created_at:asc')).toEqual({ orderBy: 'created_at', direction: 'asc' });
    expect(parseSort('model')).toEqual({ orderBy: 'model', direction: 'desc' });
    expect(usageError(() => parseSort('cost')).hint).toContain('created_at, provider, model');
    expect(usageError(() => parseSort('model:up')).message).toContain('asc or desc');
  });
});

describe('parseTime', () => {
  it('reads a duration ago, an RFC 3339 time and a date', () => {
    expect(parseTime('15m', now).toISOString()).toBe('2026-05-10T11:45:00.000Z');
    expect(parseTime('7d', now).toISOString()).toBe('2026-05-03T12:00:00.000Z');
    expect(parseTime('2026-05-01T10:00:00+02:00', now).toISOString()).toBe('2026-05-01T08:00:00.000Z');
    const date = parseTime('2026-05-01', now);
    expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours()]).toEqual([2026, 4, 1, 0]);
    expect(() => parseTime('2026-02-30', now)).toThrow(RangeError);
    expect(() => parseTime('tomorrow', now)).toThrow(/not a time/);
  });
});

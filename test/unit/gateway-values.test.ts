import { describe, expect, it } from 'vitest';
import { gatewayIdProblem } from '../../src/commands/args/gateway.js';
import {
  constantCase,
  formatDuration,
  formatRateLimit,
  parseCount,
  parseDuration,
  parseRateLimit,
} from '../../src/io/values.js';

describe('parseDuration', () => {
  it('reads units into seconds', () => {
    expect(parseDuration('90s', 's')).toBe(90);
    expect(parseDuration('30m', 's')).toBe(1800);
    expect(parseDuration('1h', 's')).toBe(3600);
    expect(parseDuration('1d', 's')).toBe(86_400);
    expect(parseDuration('1w', 's')).toBe(604_800);
    expect(parseDuration('1h30m', 's')).toBe(5400);
    expect(parseDuration('1.5h', 's')).toBe(5400);
    expect(parseDuration(' 2H ', 's')).toBe(7200);
    expect(parseDuration('2000ms', 's')).toBe(2);
  });

  it('takes a bare number in the target unit', () => {
    expect(parseDuration('3600', 's')).toBe(3600);
    expect(parseDuration('0', 's')).toBe(0);
    expect(parseDuration('250', 'ms')).toBe(250);
  });

  it('reads milliseconds', () => {
    expect(parseDuration('500ms', 'ms')).toBe(500);
    expect(parseDuration('2s', 'ms')).toBe(2000);
    expect(parseDuration('1m', 'ms')).toBe(60_000);
  });

  it('rejects what is not a whole duration', () => {
    expect(() => parseDuration('abc', 's')).toThrow(/not a duration/);
    expect(() => parseDuration('1x', 's')).toThrow(/not a duration/);
    expect(() => parseDuration('-5s', 's')).toThrow(/not a duration/);
    expect(() => parseDuration('1h 30', 's')).toThrow(/not a duration/);
    expect(() => parseDuration('', 's')).toThrow(/not a duration/);
    expect(() => parseDuration('1.5s', 's')).toThrow(/whole number of seconds/);
    expect(() => parseDuration('1500ms', 's')).toThrow(/whole number of seconds/);
  });

  it('formats seconds back to the shortest form', () => {
    expect(formatDuration(3600)).toBe('1h');
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(90)).toBe('90s');
    expect(formatDuration(300)).toBe('5m');
    expect(formatDuration(86_400)).toBe('1d');
    expect(formatDuration(0)).toBe('0s');
    for (const s of [1, 59, 61, 3599, 3601, 7322, 90_061])
      expect(parseDuration(formatDuration(s), 's')).toBe(s);
  });
});

describe('parseRateLimit', () => {
  it('reads requests per interval', () => {
    expect(parseRateLimit('100/60s')).toEqual({ limit: 100, interval: 60 });
    expect(parseRateLimit('100/1m')).toEqual({ limit: 100, interval: 60 });
    expect(parseRateLimit('10/min')).toEqual({ limit: 10, interval: 60 });
    expect(parseRateLimit('1000/1h')).toEqual({ limit: 1000, interval: 3600 });
    expect(parseRateLimit('5/hour')).toEqual({ limit: 5, interval: 3600 });
    expect(parseRateLimit('100/60')).toEqual({ limit: 100, interval: 60 });
    expect(parseRateLimit('100 / 30s')).toEqual({ limit: 100, interval: 30 });
  });

  it('turns rate limiting off', () => {
    for (const off of ['off', 'none', '0', 'OFF'])
      expect(parseRateLimit(off)).toEqual({ limit: 0, interval: 0 });
  });

  it('rejects malformed limits with the expected form', () => {
    expect(() => parseRateLimit('100')).toThrow(/100\/60s/);
    expect(() => parseRateLimit('abc/60s')).toThrow(/not a rate limit/);
    expect(() => parseRateLimit('100/fortnight')).toThrow(/unknown interval "fortnight"/);
    expect(() => parseRateLimit('0/60s')).toThrow(/at least 1 request/);
    expect(() => parseRateLimit('10/0s')).toThrow(/at least 1 second/);
  });

  it('formats limits', () => {
    expect(formatRateLimit(100, 60)).toBe('100/60s');
    expect(formatRateLimit(1000, 3600)).toBe('1000/1h');
    expect(formatRateLimit(0, 0)).toBe('off');
    expect(formatRateLimit(null, null)).toBe('off');
  });
});

describe('parseCount', () => {
  it('reads plain, separated and suffixed counts', () => {
    expect(parseCount('10000')).toBe(10_000);
    expect(parseCount('10_000')).toBe(10_000);
    expect(parseCount('10,000')).toBe(10_000);
    expect(parseCount('100k')).toBe(100_000);
    expect(parseCount('1m')).toBe(1_000_000);
    expect(parseCount('1.5M')).toBe(1_500_000);
  });

  it('rejects other text', () => {
    expect(() => parseCount('lots')).toThrow(/not a count/);
    expect(() => parseCount('1g')).toThrow(/not a count/);
    expect(() => parseCount('1.00001k')).toThrow(/whole number/);
  });
});

describe('gateway ids', () => {
  it('accepts the documented pattern', () => {
    for (const id of ['a', 'prod-chat', 'team_a-dev', '0', 'a-b-c', 'x'.repeat(64)])
      expect(gatewayIdProblem(id)).toBeNull();
  });

  it('explains what is wrong', () => {
    expect(gatewayIdProblem('Prod')).toMatch(/uppercase/);
    expect(gatewayIdProblem('a--b')).toMatch(/hyphens/);
    expect(gatewayIdProblem('-a')).toMatch(/hyphens/);
    expect(gatewayIdProblem('a-')).toMatch(/hyphens/);
    expect(gatewayIdProblem('a.b')).toMatch(/only lowercase letters/);
    expect(gatewayIdProblem('a b')).toMatch(/only lowercase letters/);
    expect(gatewayIdProblem('')).toMatch(/empty/);
    expect(gatewayIdProblem('x'.repeat(65))).toMatch(/65 characters/);
  });
});

describe('constantCase', () => {
  it('turns flag spellings into API enum values', () => {
    expect(constantCase('delete-oldest')).toBe('DELETE_OLDEST');
    expect(constantCase('stop inserting')).toBe('STOP_INSERTING');
    expect(constantCase('STOP_INSERTING')).toBe('STOP_INSERTING');
  });
});

// Points in time for --since / --until, and days and hours as a time zone's clock reads them.
import { describe, expect, it } from 'vitest';
import {
  checkZone,
  label,
  nextStart,
  offsetMs,
  parseWhen,
  startOf,
  wholeHourOffsets,
} from '../../src/io/times.js';

const now = new Date('2026-03-10T12:34:56Z');

describe('parseWhen', () => {
  it('reads durations back from now, dates and local times in the zone, and RFC 3339 as given', () => {
    expect(parseWhen('7d', now, 'UTC').toISOString()).toBe('2026-03-03T12:34:56.000Z');
    expect(parseWhen('24h', now, 'UTC').toISOString()).toBe('2026-03-09T12:34:56.000Z');
    expect(parseWhen('90m', now, 'UTC').toISOString()).toBe('2026-03-10T11:04:56.000Z');
    expect(parseWhen('2w', now, 'UTC').toISOString()).toBe('2026-02-24T12:34:56.000Z');
    expect(parseWhen('2026-03-01', now, 'UTC').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseWhen('2026-03-01', now, 'Europe/Paris').toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(parseWhen('2026-07-01 08:30', now, 'America/New_York').toISOString()).toBe(
      '2026-07-01T12:30:00.000Z',
    );
    expect(parseWhen('2026-03-01T10:00:00+02:00', now, 'Asia/Tokyo').toISOString()).toBe(
      '2026-03-01T08:00:00.000Z',
    );
  });

  it('takes what the logs commands take too: compound durations', () => {
    expect(parseWhen('1h30m', now, 'UTC').toISOString()).toBe('2026-03-10T11:04:56.000Z');
  });

  it('refuses what is not a time, with the forms it takes', () => {
    for (const bad of ['yesterday', '2026-02-30', '7x', '2026-03-01T25:00', '']) {
      expect(() => parseWhen(bad, now, 'UTC')).toThrow(/is not a time \(use a duration ago/);
    }
  });
});

describe('zones', () => {
  it('knows IANA names and UTC, and refuses the rest', () => {
    expect(checkZone('utc')).toBe('UTC');
    expect(checkZone('Europe/Paris')).toBe('Europe/Paris');
    expect(() => checkZone('Mars/Olympus')).toThrow('"Mars/Olympus" is not a time zone');
  });

  it('follows daylight saving: a 23-hour day in spring, offsets either side', () => {
    const zone = 'Europe/Paris';
    expect(offsetMs(zone, Date.parse('2026-01-15T12:00:00Z'))).toBe(3_600_000);
    expect(offsetMs(zone, Date.parse('2026-07-15T12:00:00Z'))).toBe(7_200_000);
    const day = startOf('day', zone, Date.parse('2026-03-29T12:00:00Z'));
    expect(new Date(day).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(nextStart('day', zone, day) - day).toBe(23 * 3_600_000);
    expect(label('day', zone, day)).toBe('2026-03-29');
    expect(label('hour', zone, Date.parse('2026-07-15T12:00:00Z'))).toBe('2026-07-15T14:00:00+02:00');
    expect(label('hour', 'UTC', Date.parse('2026-07-15T12:00:00Z'))).toBe('2026-07-15T12:00:00Z');
  });

  it('tells zones whose offsets are not whole hours', () => {
    const from = Date.parse('2026-03-01T00:00:00Z');
    expect(wholeHourOffsets('Europe/Paris', from, from + 40 * 86_400_000)).toBe(true);
    expect(wholeHourOffsets('Asia/Kolkata', from, from + 86_400_000)).toBe(false);
  });
});

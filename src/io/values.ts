// Parsers for the human forms values take on the command line: durations (90s, 30m, 1h30m), points in
// time (1h ago, RFC 3339, a date) and whole numbers. Each throws a RangeError whose message says what is
// accepted; callers add the flag or field name (flagValue does it for a command-line flag).
import { UsageError } from '../errors.js';

const durationUnits: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

type DurationUnit = 's' | 'ms';

/**
 * A duration as a whole number of `unit`. A bare number is already in `unit`; otherwise one or more
 * <number><unit> parts (ms, s, m, h, d, w), e.g. `90s`, `1h30m`, `1.5h`.
 */
export function parseDuration(text: string, unit: DurationUnit): number {
  const value = text.trim().toLowerCase();
  const example = unit === 's' ? '90s, 30m, 1h, 1d, or a number of seconds' : '500ms, 2s, or milliseconds';
  if (/^\d+$/.test(value)) return Number(value);
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|sec|min|s|m|h|d|w))+$/.test(value)
    ? [...value.matchAll(/(\d+(?:\.\d+)?)(ms|sec|min|s|m|h|d|w)/g)]
    : [];
  if (parts.length === 0) throw new RangeError(`"${text}" is not a duration (use ${example})`);
  const ms = parts.reduce((sum, [, n, u]) => sum + Number(n) * durationUnits[u!]!, 0);
  const result = unit === 's' ? ms / 1000 : ms;
  if (!Number.isInteger(result)) {
    throw new RangeError(`"${text}" is not a whole number of ${unit === 's' ? 'seconds' : 'milliseconds'}`);
  }
  return result;
}

/** A non-negative integer written plainly. */
export function parseInteger(text: string): number {
  const value = text.trim();
  if (!/^\d+$/.test(value)) throw new RangeError(`"${text}" is not a whole number`);
  return Number(value);
}

/**
 * A point in time: a duration ago (`15m`, `1h`, `7d`), an RFC 3339 time (`2026-05-01T10:00:00Z`), or a date
 * (`2026-05-01`, midnight local time).
 */
export function parseTime(text: string, now: Date): Date {
  const value = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    const date = new Date(y, m - 1, d);
    if (date.getMonth() === m - 1 && date.getDate() === d) return date;
  } else if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/.test(value)) {
    const date = new Date(value.replace(' ', 'T'));
    if (!Number.isNaN(date.getTime())) return date;
  } else if (/^\d+(\.\d+)?(ms|sec|min|s|m|h|d|w)/i.test(value)) {
    return new Date(now.getTime() - parseDuration(value, 'ms'));
  }
  throw new RangeError(
    `"${text}" is not a time (use a duration ago such as 15m, 1h, 7d; an RFC 3339 time such as 2026-05-01T10:00:00Z; or a date such as 2026-05-01)`,
  );
}

/** Runs a parser on a flag's value; its RangeError becomes a usage error (exit 2) naming the flag. */
export function flagValue<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(`${flag}: ${err.message}.`);
    throw err;
  }
}

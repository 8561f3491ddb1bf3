// Parsers for the human forms values take on the command line and in files: durations (90s, 30m, 1h30m),
// points in time (1h ago, RFC 3339, a date), whole numbers, counts (10k, 1m) and rate limits (100/60s, off).
// Each throws a RangeError whose message says what is accepted; callers add the flag or field name (flagValue
// does it for a command-line flag).
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

/** A number of seconds as the shortest exact duration: 3600 → 1h, 90 → 90s, 5400 → 1h30m. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  // Seconds that are not a whole number of minutes read better as seconds (90s rather than 1m30s).
  if (seconds < 3600 && seconds % 60 !== 0) return `${seconds}s`;
  let rest = seconds;
  let out = '';
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${name}`;
      rest -= n * size;
    }
  }
  return out;
}

export interface RateLimit {
  /** Requests allowed per interval; 0 turns rate limiting off. */
  limit: number;
  /** Interval in seconds. */
  interval: number;
}

const intervalWords: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hour: 3600,
  d: 86_400,
  day: 86_400,
};

/** `100/60s`, `100/1m`, `100/min`, `100/60` (seconds); `off`, `none` or `0` for no limit. */
export function parseRateLimit(text: string): RateLimit {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === 'none' || value === '0') return { limit: 0, interval: 0 };
  const match = /^(\d+)\s*\/\s*(.+)$/.exec(value);
  const usage = 'use <requests>/<interval>, e.g. 100/60s, 1000/1h, 10/min, or off';
  if (!match) throw new RangeError(`"${text}" is not a rate limit (${usage})`);
  const limit = Number(match[1]);
  const per = match[2]!;
  const interval = intervalWords[per] ?? parseDurationOrNull(per);
  if (interval === null) throw new RangeError(`"${text}" has an unknown interval "${per}" (${usage})`);
  if (limit === 0) throw new RangeError(`"${text}": the limit must be at least 1 request (or use off)`);
  if (interval === 0) throw new RangeError(`"${text}": the interval must be at least 1 second`);
  return { limit, interval };
}

function parseDurationOrNull(text: string): number | null {
  try {
    return parseDuration(text, 's');
  } catch {
    return null;
  }
}

export function formatRateLimit(
  limit: number | null | undefined,
  interval: number | null | undefined,
): string {
  if (!limit || !interval) return 'off';
  // 100/60s reads better than 100/1m; long intervals read better in larger units.
  return `${limit}/${interval < 3600 ? `${interval}s` : formatDuration(interval)}`;
}

/** A count: `10000`, `10_000`, `10,000`, `10k`, `1.5m` (million). */
export function parseCount(text: string): number {
  const value = text.trim().toLowerCase().replace(/[_,]/g, '');
  const match = /^(\d+(?:\.\d+)?)([km]?)$/.exec(value);
  if (!match) throw new RangeError(`"${text}" is not a count (e.g. 100000, 100k, 1m)`);
  const n = Number(match[1]) * (match[2] === 'k' ? 1000 : match[2] === 'm' ? 1_000_000 : 1);
  if (!Number.isInteger(n)) throw new RangeError(`"${text}" is not a whole number`);
  return n;
}

/** `stop-inserting`, `STOP_INSERTING`, `Stop Inserting` → `STOP_INSERTING`. */
export function constantCase(text: string): string {
  return text
    .trim()
    .replace(/[-\s]+/g, '_')
    .toUpperCase();
}

// Parsing of the human forms gateway settings take on the command line and in apply files: durations
// (90s, 30m, 1h, 1d, 1h30m), rate limits (100/60s, 100/min, off) and counts (10000, 10k, 1m).
// Each parser throws a RangeError whose message says what is accepted; callers add the flag or field name.
import { parseDuration } from '../../io/values.js';

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

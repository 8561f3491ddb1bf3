// Time zones for reports: what an instant reads as in a zone (its day, its hour) and which instant a wall-clock
// time in a zone is, through Intl only (no time zone data of our own). `UTC` and IANA names are accepted.
import { parseTime } from './values.js';

/** Throws a RangeError naming the zone unless Intl knows it; returns its canonical name. */
export function checkZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new RangeError(`"${zone}" is not a time zone (use UTC or an IANA name such as Europe/Paris)`);
  }
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `ms`, in milliseconds (east positive). */
export function offsetMs(zone: string, ms: number): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormats.set(zone, format);
  }
  const name = format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return (match[1] === '-' ? -1 : 1) * minutes * 60_000;
}

/** The instant at which the wall clock in `zone` reads the given UTC-style fields (month 1-12). */
function zonedInstant(zone: string, y: number, month: number, d: number, h = 0, min = 0, s = 0): number {
  const wall = Date.UTC(y, month - 1, d, h, min, s);
  // Two passes settle the offset on either side of a daylight-saving change.
  let instant = wall - offsetMs(zone, wall);
  instant = wall - offsetMs(zone, instant);
  return instant;
}

/** The start of the day, and of the hour, that `ms` falls in, as the zone's clock reads them. */
export function startOf(unit: 'day' | 'hour', zone: string, ms: number): number {
  const local = new Date(ms + offsetMs(zone, ms));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  const d = local.getUTCDate();
  return unit === 'day' ? zonedInstant(zone, y, m, d) : zonedInstant(zone, y, m, d, local.getUTCHours());
}

/** The next day or hour start after `start` (a value of startOf) in the zone. */
export function nextStart(unit: 'day' | 'hour', zone: string, start: number): number {
  if (unit === 'hour') return start + 3_600_000;
  // Past the day's end whatever its length (23 to 25 hours), then back to that day's start.
  return startOf('day', zone, start + 26 * 3_600_000);
}

/** `2026-03-01` for a day, RFC 3339 with the zone's offset (`2026-03-01T14:00:00+01:00`, or Z) for an hour. */
export function label(unit: 'day' | 'hour', zone: string, ms: number): string {
  const offset = offsetMs(zone, ms);
  const iso = new Date(ms + offset).toISOString();
  if (unit === 'day') return iso.slice(0, 10);
  if (offset === 0 && (zone === 'UTC' || zone === 'Etc/UTC')) return `${iso.slice(0, 19)}Z`;
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${iso.slice(0, 19)}${sign}${hh}:${mm}`;
}

/** `2026-03-01 14:05` as the zone's clock reads `ms`. */
export function wallClock(zone: string, ms: number): string {
  return new Date(ms + offsetMs(zone, ms)).toISOString().slice(0, 16).replace('T', ' ');
}

/** Whether every offset the zone uses between from and to is a whole number of hours (checked daily). */
export function wholeHourOffsets(zone: string, from: number, to: number): boolean {
  for (let t = from; ; t = Math.min(to, t + 86_400_000)) {
    if (offsetMs(zone, t) % 3_600_000 !== 0) return false;
    if (t >= to) return true;
  }
}

/**
 * A point in time for --since / --until: what parseTime takes (a duration ago, RFC 3339 with Z or an offset),
 * except that a date, or a date and time without an offset, is read on the clock of `zone`.
 */
export function parseWhen(text: string, now: Date, zone: string): Date {
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (local) {
    const [y, m, d, h, min, s] = local.slice(1).map((v) => Number(v ?? 0)) as number[];
    const check = new Date(Date.UTC(y!, m! - 1, d!, h, min, s));
    if (check.getUTCMonth() === m! - 1 && check.getUTCDate() === d && h! < 24 && min! < 60 && s! < 60)
      return new Date(zonedInstant(zone, y!, m!, d!, h, min, s));
  }
  return parseTime(text, now);
}

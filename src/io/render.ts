// Renderers: aligned table in a terminal, tab-separated rows when piped, JSON, JSON Lines.
// Commands return data and describe columns; they never format output themselves.
import Table from 'cli-table3';
import type { IO } from './io.js';

type Cell = string | number | boolean | Date | null | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** Values are timestamps: relative in a terminal, RFC 3339 when piped. */
  time?: boolean;
}

export interface RenderOptions {
  json: boolean;
  now?: Date;
}

export function renderJson(io: IO, data: unknown): void {
  io.out(io.stdoutIsTTY ? JSON.stringify(data, null, 2) : JSON.stringify(data));
}

/** One compact JSON object per line, for streams. */
export function renderJsonLine(io: IO, data: unknown): void {
  io.out(JSON.stringify(data));
}

export function renderList<T>(io: IO, rows: T[], columns: Column<T>[], options: RenderOptions): void {
  if (options.json) {
    renderJson(io, rows);
    return;
  }
  if (!io.stdoutIsTTY) {
    for (const row of rows) io.out(columns.map((c) => plainCell(c.value(row), c.time === true)).join('\t'));
    return;
  }
  if (rows.length === 0) return;
  const now = options.now ?? new Date();
  const table = new Table({
    head: columns.map((c) => io.color.bold(c.header)),
    chars: borderless,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
  });
  for (const row of rows) table.push(columns.map((c) => ttyCell(c.value(row), c.time === true, now)));
  io.out(trimLines(table.toString()));
}

/** A single object as `key: value` lines in a terminal, `key\tvalue` when piped. */
export function renderObject<T>(io: IO, data: T, fields: Column<T>[], options: RenderOptions): void {
  if (options.json) {
    renderJson(io, data);
    return;
  }
  const now = options.now ?? new Date();
  if (!io.stdoutIsTTY) {
    for (const f of fields) io.out(`${f.header}\t${plainCell(f.value(data), f.time === true)}`);
    return;
  }
  const width = Math.max(...fields.map((f) => f.header.length));
  for (const f of fields) {
    io.out(`${io.color.bold(f.header.padEnd(width))}  ${ttyCell(f.value(data), f.time === true, now)}`);
  }
}

function plainCell(value: Cell, time: boolean): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (time && typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return String(value);
}

function ttyCell(value: Cell, time: boolean, now: Date): string {
  if (value === null || value === undefined || value === '') return '-';
  if (value instanceof Date || (time && typeof value === 'string')) {
    const d = value instanceof Date ? value : new Date(value);
    return Number.isNaN(d.getTime()) ? String(value) : relativeTime(d, now);
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export function relativeTime(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const [n, unit] =
    s < 45
      ? [0, 'now']
      : s < 90 * 60
        ? [Math.max(1, Math.round(s / 60)), 'minute']
        : s < 36 * 3600
          ? [Math.round(s / 3600), 'hour']
          : s < 45 * 86400
            ? [Math.round(s / 86400), 'day']
            : s < 365 * 86400
              ? [Math.round(s / (30 * 86400)), 'month']
              : [Math.round(s / (365 * 86400)), 'year'];
  if (unit === 'now') return 'just now';
  const phrase = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return future ? `in ${phrase}` : `${phrase} ago`;
}

function trimLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

const borderless = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '',
};

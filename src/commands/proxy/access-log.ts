// Access lines of `aigw proxy`: one per answered data-plane request, on stderr, as text or JSON Lines. They are
// printed after the answer went out and gathered into one write every FLUSH_MS (or every MAX_LINES lines), so a
// busy gateway makes one write for many requests and no request waits for the terminal.
import type { IO } from '../../io/io.js';
import type { AccessEntry } from '../../local/runtime.js';

type AccessFormat = 'text' | 'json';

interface AccessPrinter {
  onAccess(entry: AccessEntry): void;
  /** Writes what is gathered now (before the process stops). */
  flush(): void;
}

/** The access lines asked for: none with --quiet; --log-format's; else text in a terminal, none otherwise. */
export function accessLog(
  flags: { quiet?: boolean; logFormat?: AccessFormat },
  io: IO,
): AccessPrinter | null {
  if (flags.quiet) return null;
  const format = flags.logFormat ?? (io.stderrIsTTY ? 'text' : null);
  return format ? accessPrinter(io, format) : null;
}

/** A person reading along notices no delay below this; a write per request would cost every request. */
const FLUSH_MS = 100;
const MAX_LINES = 256;

function accessPrinter(io: IO, format: AccessFormat): AccessPrinter {
  let lines: string[] = [];
  let scheduled: NodeJS.Timeout | null = null;
  const flush = () => {
    if (scheduled) clearTimeout(scheduled);
    scheduled = null;
    if (lines.length === 0) return;
    const text = lines.join('');
    lines = [];
    io.stderr.write(text);
  };
  const line = format === 'json' ? jsonLine : textLine(io);
  return {
    onAccess: (entry) => {
      lines.push(line(entry));
      if (lines.length >= MAX_LINES) flush();
      else scheduled ??= setTimeout(flush, FLUSH_MS).unref();
    },
    flush,
  };
}

function jsonLine(entry: AccessEntry): string {
  return `${JSON.stringify({
    time: entry.createdAt.toISOString(),
    account_id: entry.accountId,
    gateway: entry.gatewayId,
    provider: entry.provider,
    model: entry.model,
    status: entry.statusCode,
    cached: entry.cached,
    duration_ms: entry.duration,
    cost: entry.cost,
    log_id: entry.id,
  })}\n`;
}

/** `14:03:07.412  prod-chat  openai/gpt-4o-mini  200  HIT  312 ms  $0.000123` (coloured in a terminal). */
function textLine(io: IO): (entry: AccessEntry) => string {
  const c = io.errColor;
  return (entry) => {
    const t = entry.createdAt;
    const time = `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}.${String(t.getMilliseconds()).padStart(3, '0')}`;
    const status = entry.statusCode ?? 0;
    const statusText = String(entry.statusCode ?? '---');
    const target = entry.model ? `${entry.provider}/${entry.model}` : entry.provider || '-';
    const parts = [
      c.dim(time),
      entry.gatewayId || '-',
      target,
      status >= 200 && status < 400 ? c.green(statusText) : c.red(statusText),
      entry.cached ? c.cyan('HIT') : c.dim('-'),
      `${entry.duration} ms`,
      entry.cost === null ? c.dim('-') : `$${entry.cost.toFixed(6)}`,
    ];
    return `${parts.join('  ')}\n`;
  };
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

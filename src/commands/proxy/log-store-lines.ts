// What `aigw proxy` says about its log store: once when writes start failing and once when they recover, once
// for each reason logs are dropped, and the count of written and dropped logs in its last line.
import type { LogHealth, LogStoreEvent } from '../../local/store/logs/outcomes.js';

export function logStoreLine(event: LogStoreEvent): string {
  if (event.kind === 'failing') {
    return `aigw proxy: log writes failing (${event.cause}): keeping ${plural(event.pending)} in memory, retrying`;
  }
  if (event.kind === 'recovered') return `aigw proxy: log writes recovered: ${plural(event.written)} written`;
  return `aigw proxy: dropping logs (${event.cause}); GET /_aigw/health counts them`;
}

/** `Stopped: 8000 logs written, 0 dropped.`, with how many were dropped for each reason when some were. */
export function stoppedLine(logs: LogHealth): string {
  const line = `Stopped: ${plural(logs.written)} written, ${logs.dropped} dropped`;
  if (logs.dropped === 0) return `${line}.`;
  return `${line} (${logs.drops.map((d) => `${d.count} ${d.cause}`).join('; ')}).`;
}

function plural(n: number): string {
  return n === 1 ? '1 log' : `${n} logs`;
}

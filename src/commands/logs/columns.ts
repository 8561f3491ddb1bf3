// How logs look: a compact coloured table (and one line per log for `logs tail`) in a terminal, plain
// tab-separated fields when piped, and the fields of one log for `logs get`.
import type { ChalkInstance } from 'chalk';
import type { Log, LogDetail } from '../../client/logs.js';
import { formatCost, formatMs } from '../../io/numbers.js';
import type { Column } from '../../io/render.js';

function statusText(log: Log, color: ChalkInstance): string {
  const code = log.status_code === undefined ? (log.success ? 'ok' : 'error') : String(log.status_code);
  return log.success ? color.green(code) : color.red(code);
}

function tokensText(log: Log): string {
  if (log.tokens_in === null && log.tokens_out === null) return '';
  return `${log.tokens_in ?? '-'}/${log.tokens_out ?? '-'}`;
}

function modelText(log: Log): string {
  return log.model ? `${log.provider}/${log.model}` : log.provider;
}

/** The columns of a log list: formatted for a terminal, or plain separate fields for scripts. */
export function logColumns(tty: boolean, color: ChalkInstance): Column<Log>[] {
  if (!tty) {
    return [
      { header: 'CREATED', value: (l) => l.created_at, time: true },
      { header: 'STATUS', value: (l) => l.status_code ?? (l.success ? 'ok' : 'error') },
      { header: 'PROVIDER', value: (l) => l.provider },
      { header: 'MODEL', value: (l) => l.model },
      { header: 'TOKENS IN', value: (l) => l.tokens_in },
      { header: 'TOKENS OUT', value: (l) => l.tokens_out },
      { header: 'COST', value: (l) => l.cost },
      { header: 'DURATION', value: (l) => l.duration },
      { header: 'CACHED', value: (l) => l.cached },
      { header: 'ID', value: (l) => l.id },
    ];
  }
  return [
    { header: 'TIME', value: (l) => l.created_at, time: true },
    { header: 'STATUS', value: (l) => statusText(l, color) },
    { header: 'PROVIDER/MODEL', value: modelText },
    { header: 'TOKENS IN/OUT', value: tokensText },
    { header: 'COST', value: (l) => formatCost(l.cost) },
    { header: 'DURATION', value: (l) => formatMs(l.duration) },
    { header: 'CACHED', value: (l) => (l.cached ? color.cyan('cached') : '') },
    { header: 'ID', value: (l) => color.dim(l.id) },
  ];
}

/** One line per log for `logs tail` in a terminal: clock time, then the table's cells. */
export function logLine(log: Log, color: ChalkInstance): string {
  const at = new Date(log.created_at);
  const clock = Number.isNaN(at.getTime())
    ? log.created_at
    : at.toLocaleTimeString('en-GB', { hour12: false });
  const parts = [
    color.dim(clock),
    statusText(log, color),
    modelText(log),
    tokensText(log) && `${tokensText(log)} tok`,
    formatCost(log.cost),
    formatMs(log.duration),
    log.cached ? color.cyan('cached') : '',
    color.dim(log.id),
  ];
  return parts.filter((p) => p !== '').join('  ');
}

/** The fields of one log, for `logs get`. */
export const logFields: Column<LogDetail>[] = [
  { header: 'ID', value: (l) => l.id },
  { header: 'Created', value: (l) => l.created_at, time: true },
  { header: 'Status', value: (l) => l.status_code ?? (l.success ? 'ok' : 'error') },
  { header: 'Success', value: (l) => l.success },
  { header: 'Provider', value: (l) => l.provider },
  { header: 'Model', value: (l) => l.model },
  { header: 'Path', value: (l) => l.path },
  { header: 'Cached', value: (l) => l.cached },
  { header: 'Duration', value: (l) => formatMs(l.duration) },
  { header: 'Tokens in', value: (l) => l.tokens_in },
  { header: 'Tokens out', value: (l) => l.tokens_out },
  { header: 'Cost', value: (l) => (l.custom_cost ? `${formatCost(l.cost)} (custom)` : formatCost(l.cost)) },
  { header: 'Metadata', value: (l) => l.metadata },
  { header: 'Request type', value: (l) => l.request_type },
  { header: 'Step', value: (l) => l.step },
  { header: 'Route', value: routeText },
  { header: 'Request', value: (l) => sizeText(l.request_content_type, l.request_size) },
  { header: 'Response', value: (l) => sizeText(l.response_content_type, l.response_size) },
];

/** The dynamic route that served, with the version deployed then and the model element tried. */
function routeText(log: LogDetail): string | undefined {
  if (log.aigw_route === undefined) return undefined;
  const parts = [
    log.aigw_route_version && `version ${log.aigw_route_version}`,
    log.aigw_route_element && `element ${log.aigw_route_element}`,
  ].filter(Boolean);
  return parts.length > 0 ? `${log.aigw_route} (${parts.join(', ')})` : log.aigw_route;
}

function sizeText(type: string | undefined, size: number | undefined): string | undefined {
  if (type === undefined && size === undefined) return undefined;
  return [type, size === undefined ? undefined : `${size} bytes`].filter(Boolean).join(', ');
}

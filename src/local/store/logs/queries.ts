// Reading and changing stored logs with the logs API's field names: the filtered page, the count, the
// min/max summary, one log, its bodies, feedback. The control plane and bench/ both run these, so the bench
// measures what the API does. Deletion (chunked) is in delete.ts.
import type { SQLInputValue } from 'node:sqlite';
import { listOrders } from '../../../log-filters.js';
import type { Store } from '../db.js';
import { escapeLike } from '../sql.js';
import { type Condition, conditionsSql, type Sql, totalTokensSql } from './filters.js';

/** Which logs: one gateway's, narrowed by filters and a free-text search. */
export interface LogSelection {
  accountId: string;
  gatewayId: string;
  conditions: readonly Condition[];
  /** Substring (case-insensitive for ASCII) of the id, provider, model, path, event id or metadata. */
  search?: string;
}

/** The orders delete offers: the list's and the numeric columns. */
export const deleteOrders = [
  ...listOrders,
  'cost',
  'tokens_in',
  'tokens_out',
  'duration',
  'feedback',
] as const;
export type LogOrder = (typeof deleteOrders)[number];
export type Direction = 'asc' | 'desc';

/** A log as the list returns it (aig_Log); optional fields that are not set are left out. */
export interface LogItem {
  id: string;
  created_at: string;
  provider: string;
  model: string;
  model_type?: string;
  path: string;
  request_type?: string;
  request_content_type?: string;
  response_content_type?: string;
  status_code?: number;
  success: boolean;
  cached: boolean;
  duration: number;
  tokens_in: number | null;
  tokens_out: number | null;
  cost?: number;
  custom_cost: boolean;
  metadata?: string;
  step?: number;
  event_id?: string;
  feedback?: number;
  score?: number;
  /** The local gateway's own fields (Cloudflare's log has only `step`): the dynamic route that served the
   *  request, its version deployed then and the model element tried. Left out outside a route. */
  aigw_route?: string;
  aigw_route_version?: string;
  aigw_route_element?: string;
}

/** A log as the detail returns it (aig_LogDetail). */
export interface LogDetail extends LogItem {
  request_head?: string;
  request_head_complete: boolean;
  request_size?: number;
  response_head?: string;
  response_head_complete: boolean;
  response_size?: number;
}

/** `result_info`'s summary when meta_info is asked for; a field no matching log has is left out. */
export type LogStats = Partial<
  Record<`${'min' | 'max'}_${'cost' | 'duration' | 'tokens_in' | 'tokens_out' | 'total_tokens'}`, number>
>;

const itemColumns = `id, created_at, provider, model, model_type, path, request_type, request_content_type,
  response_content_type, status_code, success, cached, duration, tokens_in, tokens_out, cost, custom_cost,
  metadata, step, event_id, feedback, score, route_name AS aigw_route, route_version AS aigw_route_version,
  route_element AS aigw_route_element`;
const detailColumns = `${itemColumns}, request_head, request_head_complete, request_size, response_head,
  response_head_complete, response_size`;

const optionalFields = [
  'model_type',
  'request_type',
  'request_content_type',
  'response_content_type',
  'status_code',
  'cost',
  'metadata',
  'step',
  'event_id',
  'feedback',
  'score',
  'request_head',
  'request_size',
  'response_head',
  'response_size',
  'aigw_route',
  'aigw_route_version',
  'aigw_route_element',
] as const;
const booleanFields = ['success', 'cached', 'custom_cost', 'request_head_complete', 'response_head_complete'];

/** The WHERE clause (without the keyword) of a selection. */
export function selectionSql(selection: LogSelection): Sql {
  const filters = conditionsSql(selection.conditions);
  const params: SQLInputValue[] = [selection.accountId, selection.gatewayId, ...filters.params];
  let sql = `account_id = ? AND gateway_id = ? AND ${filters.sql}`;
  if (selection.search) {
    const like = `%${escapeLike(selection.search)}%`;
    const columns = ['id', 'provider', 'model', 'path', 'event_id', 'metadata'];
    sql += ` AND (${columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`;
    params.push(...columns.map(() => like));
  }
  return { sql, params };
}

const orderColumn: Record<LogOrder, string> = {
  created_at: '',
  provider: 'provider',
  model: 'model',
  model_type: 'model_type',
  success: 'success',
  cached: 'cached',
  cost: 'cost',
  tokens_in: 'tokens_in',
  tokens_out: 'tokens_out',
  duration: 'duration',
  feedback: 'coalesce(feedback, 0)',
};

/** ORDER BY terms: the column, then time and insertion order (so equal keys keep a stable order). */
export function orderSql(order: LogOrder, direction: Direction): string {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  const column = orderColumn[order];
  return `${column ? `${column} ${dir}, ` : ''}created_ms ${dir}, seq ${dir}`;
}

/** One page of matching logs. */
export function listLogs(
  store: Store,
  selection: LogSelection,
  page: { order: LogOrder; direction: Direction; limit: number; offset: number },
): LogItem[] {
  const where = selectionSql(selection);
  const sql = `SELECT ${itemColumns} FROM logs WHERE ${where.sql}
    ORDER BY ${orderSql(page.order, page.direction)} LIMIT ? OFFSET ?`;
  const rows = store.db.prepare(sql).all(...where.params, page.limit, page.offset);
  return rows.map((row) => present(row) as unknown as LogItem);
}

/** How many logs match. */
export function countLogs(store: Store, selection: LogSelection): number {
  const where = selectionSql(selection);
  const row = store.db.prepare(`SELECT count(*) AS n FROM logs WHERE ${where.sql}`).get(...where.params);
  return Number((row as { n: number }).n);
}

/** Least and greatest cost, duration and tokens over the matching logs. */
export function logStats(store: Store, selection: LogSelection): LogStats {
  const where = selectionSql(selection);
  const row = store.db
    .prepare(
      `SELECT min(cost) AS min_cost, max(cost) AS max_cost, min(duration) AS min_duration,
        max(duration) AS max_duration, min(tokens_in) AS min_tokens_in, max(tokens_in) AS max_tokens_in,
        min(tokens_out) AS min_tokens_out, max(tokens_out) AS max_tokens_out,
        min(${totalTokensSql}) AS min_total_tokens, max(${totalTokensSql}) AS max_total_tokens
        FROM logs WHERE ${where.sql}`,
    )
    .get(...where.params) as Record<string, number | null>;
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)) as LogStats;
}

/** One log with its head fields, or null. */
export function getLog(store: Store, accountId: string, gatewayId: string, id: string): LogDetail | null {
  const row = store
    .statement(`SELECT ${detailColumns} FROM logs WHERE id = ? AND account_id = ? AND gateway_id = ?`)
    .get(id, accountId, gatewayId);
  return row ? (present(row) as unknown as LogDetail) : null;
}

/** A stored body as it was sent; `body` is null when none was kept (payload logging off, or too large). */
export function logBody(
  store: Store,
  accountId: string,
  gatewayId: string,
  id: string,
  which: 'request' | 'response',
): { body: Uint8Array | null; contentType: string | null } | null {
  const row = store
    .statement(
      `SELECT ${which}_body AS body, ${which}_content_type AS content_type FROM logs
       WHERE id = ? AND account_id = ? AND gateway_id = ?`,
    )
    .get(id, accountId, gatewayId) as { body: Uint8Array | null; content_type: string | null } | undefined;
  return row ? { body: row.body, contentType: row.content_type } : null;
}

/** Human feedback on a log; a field left undefined is not changed, null clears it. */
export interface LogPatch {
  feedback?: number | null;
  score?: number | null;
  metadata?: Record<string, string | number | boolean> | null;
}

/** Applies a patch; false when there is no such log. */
export function patchLog(store: Store, accountId: string, gatewayId: string, id: string, patch: LogPatch) {
  const sets: string[] = [];
  const params: SQLInputValue[] = [];
  if (patch.feedback !== undefined) {
    sets.push('feedback = ?');
    params.push(patch.feedback);
  }
  if (patch.score !== undefined) {
    sets.push('score = ?');
    params.push(patch.score);
  }
  if (patch.metadata !== undefined) {
    sets.push('metadata = ?');
    params.push(patch.metadata === null ? null : JSON.stringify(patch.metadata));
  }
  // With nothing to change, still say whether the log exists.
  const sql =
    sets.length > 0
      ? `UPDATE logs SET ${sets.join(', ')} WHERE id = ? AND account_id = ? AND gateway_id = ?`
      : 'UPDATE logs SET id = id WHERE id = ? AND account_id = ? AND gateway_id = ?';
  return Number(store.db.prepare(sql).run(...params, id, accountId, gatewayId).changes) > 0;
}

/** A row as the API shows it: 0/1 as booleans, unset optional fields left out. */
function present(row: Record<string, SQLInputValue>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const name of booleanFields) if (name in out) out[name] = out[name] === 1;
  for (const name of optionalFields) if (out[name] === null) delete out[name];
  return out;
}

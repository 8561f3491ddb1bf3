// What an evaluation reads from a gateway's logs: how many logs are in any of its datasets (each counted once),
// and over them the sums behind each evaluation type (cost, duration, thumbs up and down).
//
// The logs are read in chunks along the time index, keyset by (created_ms, seq), each chunk sized to hold the
// event loop for about TARGET_MS with a turn of the loop between chunks, so an evaluation of a million logs
// does not stall the data plane. The logs are bounded by time (those written up to the evaluation's creation),
// so logs written meanwhile are not counted.
import type { SQLInputValue } from 'node:sqlite';
import type { Store } from '../db.js';
import { type Condition, conditionsSql } from './filters.js';

/** The logs to read: one gateway's, up to a time, matching the conditions of any one dataset. */
export interface TotalsScope {
  accountId: string;
  gatewayId: string;
  /** One list of conditions per dataset (all must hold); a log in any dataset counts, once. */
  datasets: readonly (readonly Condition[])[];
  /** The newest creation time read, epoch ms. */
  untilMs: number;
}

export interface LogTotals {
  logs: number;
  /** Logs with cost data, and the sum of their costs (USD). */
  costLogs: number;
  costSum: number;
  /** The sum of all the logs' durations (ms). */
  durationSum: number;
  /** Logs with a thumbs up (feedback 1) or down (-1). */
  thumbsUp: number;
  thumbsDown: number;
}

const TARGET_MS = 3;
const FIRST_CHUNK = 256;
const MAX_CHUNK = 8192;

/** The totals, or null when the store closed before they were read. */
export async function logTotals(store: Store, scope: TotalsScope): Promise<LogTotals | null> {
  const totals: LogTotals = { logs: 0, costLogs: 0, costSum: 0, durationSum: 0, thumbsUp: 0, thumbsDown: 0 };
  if (scope.datasets.length === 0) return totals;
  const params: SQLInputValue[] = [];
  const anyDataset = scope.datasets.map((conditions) => {
    const sql = conditionsSql(conditions);
    params.push(...sql.params);
    return `(${sql.sql})`;
  });
  const sql = `SELECT created_ms, seq, cost, duration, feedback FROM logs
    WHERE account_id = ? AND gateway_id = ? AND created_ms <= ? AND (created_ms, seq) > (?, ?)
      AND (${anyDataset.join(' OR ')})
    ORDER BY created_ms, seq LIMIT ?`;
  // Prepared here, not kept by the store: each evaluation's filters make another statement.
  const select = store.db.prepare(sql);
  let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
  let size = FIRST_CHUNK;
  for (;;) {
    if (!store.db.isOpen) return null;
    const started = performance.now();
    const rows = select.all(
      scope.accountId,
      scope.gatewayId,
      scope.untilMs,
      ...after,
      ...params,
      size,
    ) as unknown as {
      created_ms: number;
      seq: number;
      cost: number | null;
      duration: number;
      feedback: number | null;
    }[];
    for (const row of rows) {
      totals.logs++;
      if (row.cost !== null) {
        totals.costLogs++;
        totals.costSum += row.cost;
      }
      totals.durationSum += row.duration;
      if (row.feedback === 1) totals.thumbsUp++;
      else if (row.feedback === -1) totals.thumbsDown++;
    }
    if (rows.length < size) return totals;
    const last = rows.at(-1)!;
    after = [last.created_ms, last.seq];
    const ms = performance.now() - started;
    if (ms < TARGET_MS / 2) size = Math.min(MAX_CHUNK, size * 2);
    else if (ms > TARGET_MS) size = Math.max(64, Math.floor((size * TARGET_MS) / ms));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

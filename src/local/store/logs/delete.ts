// Deleting logs without stalling the data plane, which shares the event loop and the main connection.
//
// 1. Which logs: the first `limit` matching logs in the asked order, picked on a thread of its own with its own
//    connection (WAL lets it read while the gateway writes). Ordering by an unindexed column (cost, say) means
//    sorting every matching log, which must not happen on the event loop. An in-memory store cannot be opened
//    twice: its selection runs here (in-memory stores hold test data).
// 2. The deletion: by primary key, in chunks sized so that each takes about TARGET_MS, with a turn of the event
//    loop between chunks so requests go on being served. Logs written after the selection are never touched,
//    and each chunk checks the filters again (a log changed meanwhile by feedback stays if it no longer matches).
import type { SQLInputValue } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { Store } from '../db.js';
import { type Direction, type LogOrder, type LogSelection, orderSql, selectionSql } from './queries.js';

/** What one chunk may hold the event loop for; the budget is 10 ms, this leaves room for a slow chunk. */
const TARGET_MS = 4;
const FIRST_CHUNK = 128;
const MAX_CHUNK = 4096;

export interface DeleteOptions {
  order: LogOrder;
  direction: Direction;
  limit: number;
  /** Told how long each chunk held the event loop (the bench reports the longest). */
  onChunk?: (ms: number, rows: number) => void;
}

/** Deletes the first `limit` matching logs in the given order; resolves with how many were deleted. */
export async function deleteLogs(
  store: Store,
  selection: LogSelection,
  options: DeleteOptions,
): Promise<number> {
  const where = selectionSql(selection);
  const select = `SELECT seq FROM logs WHERE ${where.sql} ORDER BY ${orderSql(options.order, options.direction)} LIMIT ?`;
  const params = [...where.params, options.limit];
  const seqs =
    store.location === ':memory:'
      ? selectHere(store, select, params)
      : await selectInThread(store.location, select, params).catch(() => selectHere(store, select, params));
  const remove = store.db.prepare(
    `DELETE FROM logs WHERE seq IN (SELECT value FROM json_each(?)) AND ${where.sql}`,
  );
  let deleted = 0;
  let size = FIRST_CHUNK;
  for (let at = 0; at < seqs.length; ) {
    const chunk = seqs.slice(at, at + size);
    const started = performance.now();
    deleted += Number(remove.run(JSON.stringify(chunk), ...where.params).changes);
    const ms = performance.now() - started;
    options.onChunk?.(ms, chunk.length);
    at += chunk.length;
    if (ms < TARGET_MS / 2) size = Math.min(MAX_CHUNK, size * 2);
    else if (ms > TARGET_MS) size = Math.max(16, Math.floor((size * TARGET_MS) / ms));
    if (at < seqs.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return deleted;
}

function selectHere(store: Store, sql: string, params: SQLInputValue[]): number[] {
  const rows = store.db.prepare(sql).all(...params) as { seq: number }[];
  return rows.map((row) => row.seq);
}

interface SelectJob {
  location: string;
  sql: string;
  params: SQLInputValue[];
}

/**
 * The thread's whole program. It runs from its source text (`eval`), so it refers to nothing outside itself
 * and loads modules through process.getBuiltinModule (a bundler rewrites require calls).
 */
function selectThreadMain(): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const sqlite = process.getBuiltinModule('node:sqlite');
  const job = threads.workerData as SelectJob;
  const db = new sqlite.DatabaseSync(job.location);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const rows = db.prepare(job.sql).all(...job.params) as { seq: number }[];
    const seqs = Float64Array.from(rows, (row) => row.seq);
    threads.parentPort!.postMessage(seqs, [seqs.buffer]);
  } finally {
    db.close();
  }
}

function selectInThread(location: string, sql: string, params: SQLInputValue[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const workerData: SelectJob = { location, sql, params };
    const worker = new Worker(`(${selectThreadMain.toString()})()`, { eval: true, workerData });
    worker.once('message', (seqs: Float64Array) => resolve(Array.from(seqs)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the log selection thread exited (${code})`)));
  });
}

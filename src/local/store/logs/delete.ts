// Deleting logs without stalling the data plane, which shares the event loop and the main connection.
//
// 1. Which logs: the first `limit` matching logs in the asked order, picked on a thread of its own with its own
//    connection (WAL lets it read while the gateway writes). Ordering by an unindexed column (cost, say) means
//    sorting every matching log, which must not happen on the event loop. An in-memory store cannot be opened
//    twice: its selection runs here (in-memory stores hold test data).
// 2. The deletion: by primary key, in chunks sized so that each takes about TARGET_MS, with a turn of the event
//    loop between chunks so requests go on being served. Logs written after the selection are never touched,
//    and each chunk checks the filters again (a log changed meanwhile by feedback stays if it no longer matches).
// 3. Meanwhile the main connection does not checkpoint (copy the write-ahead log back into the database): after
//    a large delete that takes hundreds of milliseconds. A thread checkpoints once the chunks are done.
import type { SQLInputValue } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { Store } from '../db.js';
import { type Direction, type LogOrder, type LogSelection, orderSql, selectionSql } from './queries.js';

/** What one chunk may hold the event loop for; the budget is 10 ms, this leaves room for a slow chunk. */
const TARGET_MS = 3;
const FIRST_CHUNK = 128;
const MAX_CHUNK = 4096;

export interface DeleteOptions {
  order: LogOrder;
  direction: Direction;
  limit: number;
  /** Told how long each chunk held the event loop, in wall time and CPU time (the bench reports them). */
  onChunk?: (chunk: { ms: number; cpuMs: number; rows: number }) => void;
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
  const file = store.location !== ':memory:';
  const seqs = file
    ? await inThread(store.location, { sql: select, params }).catch(() => selectHere(store, select, params))
    : selectHere(store, select, params);
  const remove = store.db.prepare(
    `DELETE FROM logs WHERE seq IN (SELECT value FROM json_each(?)) AND ${where.sql}`,
  );
  if (file) holdCheckpoints(store, +1);
  let deleted = 0;
  try {
    let size = FIRST_CHUNK;
    for (let at = 0; at < seqs.length; ) {
      const chunk = seqs.slice(at, at + size);
      const started = performance.now();
      const cpu = options.onChunk && process.threadCpuUsage();
      deleted += Number(remove.run(JSON.stringify(chunk), ...where.params).changes);
      const ms = performance.now() - started;
      if (cpu) {
        const used = process.threadCpuUsage(cpu);
        options.onChunk!({ ms, cpuMs: (used.user + used.system) / 1000, rows: chunk.length });
      }
      at += chunk.length;
      if (ms < TARGET_MS / 2) size = Math.min(MAX_CHUNK, Math.ceil(size * 1.5));
      else if (ms > TARGET_MS) size = Math.max(16, Math.floor((size * TARGET_MS) / ms));
      if (at < seqs.length) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    if (file) {
      await inThread(store.location, { sql: 'PRAGMA wal_checkpoint(PASSIVE)', params: [] }).catch(() => []);
      holdCheckpoints(store, -1);
    }
  }
  return deleted;
}

/** Per store: deletes running, and the automatic checkpoint setting to restore after the last. */
const checkpointHolds = new WeakMap<Store, { running: number; pages: number }>();

/** Turns the main connection's automatic checkpoints off while any delete runs. */
function holdCheckpoints(store: Store, change: 1 | -1): void {
  const db = store.db;
  if (!db.isOpen) return;
  let hold = checkpointHolds.get(store);
  if (!hold) {
    const { wal_autocheckpoint } = db.prepare('PRAGMA wal_autocheckpoint').get() as {
      wal_autocheckpoint: number;
    };
    hold = { running: 0, pages: wal_autocheckpoint };
    checkpointHolds.set(store, hold);
  }
  hold.running += change;
  if (hold.running === 0) {
    db.exec(`PRAGMA wal_autocheckpoint = ${hold.pages}`);
    checkpointHolds.delete(store);
  } else if (change === 1 && hold.running === 1) {
    db.exec('PRAGMA wal_autocheckpoint = 0');
  }
}

function selectHere(store: Store, sql: string, params: SQLInputValue[]): number[] {
  const rows = store.db.prepare(sql).all(...params) as { seq: number }[];
  return rows.map((row) => row.seq);
}

interface Job {
  location: string;
  sql: string;
  params: SQLInputValue[];
}

/**
 * The threads' whole program. It runs from its source text (`eval`), so it refers to nothing outside itself
 * and loads modules through process.getBuiltinModule (a bundler rewrites require calls).
 */
function jobThreadMain(): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const sqlite = process.getBuiltinModule('node:sqlite');
  const job = threads.workerData as Job;
  const db = new sqlite.DatabaseSync(job.location);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const rows = db.prepare(job.sql).all(...job.params) as { seq?: number }[];
    const seqs = Float64Array.from(rows, (row) => row.seq ?? 0);
    threads.parentPort!.postMessage(seqs, [seqs.buffer]);
  } finally {
    db.close();
  }
}

/** Runs one statement on a thread with its own connection; resolves with the `seq` column of its rows. */
function inThread(location: string, statement: Omit<Job, 'location'>): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const workerData: Job = { location, ...statement };
    const worker = new Worker(`(${jobThreadMain.toString()})()`, { eval: true, workerData });
    worker.once('message', (seqs: Float64Array) => resolve(Array.from(seqs)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the log selection thread exited (${code})`)));
  });
}

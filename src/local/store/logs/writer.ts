// Batched log writer. Requests only enqueue records; a timer (or a full batch, on the next turn of the event
// loop) writes them, one transaction per batch, so no request ever waits on a disk write. With a file store
// the batches go to a thread of their own (thread.ts); batches of gateways with a log limit, and every
// batch of an in-memory store, are written here on the main connection.
import { randomFillSync } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { monotonicFactory } from 'ulid';
import type { StoreRuntime } from '../../runtime.js';
import { COUNT_SQL, countValues, ROLLUP_SQL } from './counts.js';
import { type LogHealth, LogOutcomes, notStored } from './outcomes.js';
import type { HeaderFields } from './redact.js';
import { INSERT_SQL, rowValues, STATEMENTS } from './rows.js';
import { LogThread } from './thread.js';
import type { LogRow } from './thread-main.js';

/**
 * One row of the logs table. Fields are camelCase; each maps to the snake_case column of the same name
 * (createdAt → created_at as RFC 3339 plus created_ms; booleans → 0/1; metadata → JSON text).
 */
export interface LogRecord {
  id: string;
  accountId: string;
  gatewayId: string;
  createdAt: Date;
  provider: string;
  model: string;
  modelType: string | null;
  path: string;
  requestType: string | null;
  statusCode: number | null;
  success: boolean;
  cached: boolean;
  duration: number;
  tokensIn: number | null;
  tokensOut: number | null;
  cost: number | null;
  customCost: boolean;
  metadata: Record<string, string | number | boolean> | null;
  step: number | null;
  eventId: string | null;
  userAgent: string | null;
  authentication: boolean;
  requestContentType: string | null;
  responseContentType: string | null;
  requestSize: number | null;
  responseSize: number | null;
  /** The heads as sent and received; only their harmless headers are stored (redact.ts). */
  requestHead: HeaderFields | null;
  responseHead: HeaderFields | null;
  /** Null when cf-aig-collect-log-payload is false. */
  requestBody: Buffer | null;
  responseBody: Buffer | null;
  error: string | null;
  /** The dynamic route, version and model element that made this request (unset outside a route). */
  served?: ServedBy | null;
}

/** A dynamic route's part in a request: its name, the version deployed, the model element tried. */
export interface ServedBy {
  route: string;
  version: string;
  element: string;
}

// ulid's default PRNG makes one crypto call per character; drawing from a pooled buffer is ~30x cheaper
// and just as random.
const randomPool = Buffer.alloc(4096);
let randomAt = randomPool.length;
function pooledRandom(): number {
  if (randomAt === randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  return randomPool[randomAt++]! / 256;
}

const ulid = monotonicFactory(pooledRandom);

/** A ULID for `nowMs`; strictly increasing within this process even for equal or earlier times. */
export function newLogId(nowMs: number): string {
  return ulid(nowMs);
}

const STORE_CLOSED = 'the store was closed';

/** The gateway settings that decide whether (and at whose expense) a record is stored. */
export interface LogRetention {
  /** The gateway's creation time: a record of a gateway deleted since (or deleted and created again) is not
   *  stored, so no log outlives its gateway or attaches to a later one of the same id. */
  created_at?: string;
  log_management?: number | null;
  log_management_strategy?: 'STOP_INSERTING' | 'DELETE_OLDEST' | null;
}

interface Pending {
  record: LogRecord;
  limit: number | null;
  deleteOldest: boolean;
  /** False: the request counts in analytics, but its log is not kept. */
  keepLog: boolean;
}

// A LogWriter that keeps counts hears about deleted log rows (whoever deletes them: log deletion in the
// control plane, gateway deletion, DELETE_OLDEST) through one SQL function called by a temporary trigger.
const writersByDb = new WeakMap<DatabaseSync, Set<LogWriter>>();

function watchDeletes(db: DatabaseSync, writer: LogWriter): void {
  let writers = writersByDb.get(db);
  if (!writers) {
    const set = new Set<LogWriter>();
    writers = set;
    writersByDb.set(db, set);
    db.function('aigw_log_deleted', { deterministic: false, directOnly: false }, (account, gateway) => {
      for (const w of set) w.rowDeleted(String(account), String(gateway));
      return null;
    });
  }
  writers.add(writer);
  // Every time (cheap): a rolled-back batch would also have rolled back the trigger's creation.
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS aigw_logs_deleted AFTER DELETE ON main.logs
    BEGIN SELECT aigw_log_deleted(OLD.account_id, OLD.gateway_id); END`);
}

export class LogWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;
  /** Log counts of gateways that have a log_management limit, keyed account \0 gateway. */
  private readonly counts = new Map<string, number>();
  private readonly insert: StatementSync;
  private readonly count: StatementSync;
  private readonly afterBatch: StatementSync[];
  private readonly countRows: StatementSync;
  private readonly deleteOldest: StatementSync;
  private readonly outcomes: LogOutcomes;
  private thread: LogThread | null = null;
  /** The counts of a thread no longer used. */
  private threadWritten = 0;
  private threadDropped = 0;

  constructor(private readonly runtime: StoreRuntime) {
    const db = runtime.store.db;
    this.insert = db.prepare(INSERT_SQL);
    this.count = db.prepare(COUNT_SQL);
    this.afterBatch = ROLLUP_SQL.map((sql) => db.prepare(sql));
    this.countRows = db.prepare('SELECT count(*) AS n FROM logs WHERE account_id = ? AND gateway_id = ?');
    this.deleteOldest = db.prepare(
      `DELETE FROM logs WHERE seq IN (SELECT seq FROM logs WHERE account_id = ? AND gateway_id = ?
       ORDER BY created_ms, seq LIMIT ?)`,
    );
    // What is queued or with the thread for a gateway about to be deleted is dropped or stored now, so that
    // the delete removes all of it.
    runtime.gateways.beforeDelete((accountId, id) => {
      this.queue = this.queue.filter((p) => p.record.accountId !== accountId || p.record.gatewayId !== id);
      this.thread?.forget(accountId, id);
      this.drainThread();
    });
    runtime.gateways.onChange((accountId, before, after) => {
      if (!after && before) this.counts.delete(`${accountId}\u0000${before.id}`);
    });
    const { maxLogMemoryBytes, onLogStore } = runtime.options;
    this.outcomes = new LogOutcomes(maxLogMemoryBytes, onLogStore);
    if (runtime.store.location !== ':memory:') {
      this.thread = new LogThread(runtime.store.location, STATEMENTS, maxLogMemoryBytes, (event) =>
        this.outcomes.fromThread(event),
      );
    }
  }

  /** Records not stored: a row that failed on its own (a duplicate id, say), or, while the store failed,
   *  past the memory bound or still held at shutdown. */
  get dropped(): number {
    return this.outcomes.dropped + (this.thread?.dropped ?? this.threadDropped);
  }

  /** Records queued here, not yet written or handed to the thread. */
  get pending(): number {
    return this.queue.length;
  }

  /** What became of the records so far (the health endpoint, the proxy's last line). */
  health(): LogHealth {
    const held = this.thread?.held ?? 0;
    return {
      pending: this.pending + held,
      written: this.outcomes.written + (this.thread?.written ?? this.threadWritten),
      dropped: this.dropped,
      // The shared count is current; the cause comes by message, a moment later.
      failing: held > 0 ? (this.outcomes.failing ?? 'log writes failing') : null,
      drops: this.outcomes.causes(),
    };
  }

  enqueue(record: LogRecord, gateway: LogRetention, keepLog = true): void {
    if (gateway.created_at !== undefined) {
      const current = this.runtime.gateways.get(record.accountId, record.gatewayId);
      if (current?.created_at !== gateway.created_at) return;
    }
    const limit = gateway.log_management;
    this.queue.push({
      record,
      limit: typeof limit === 'number' && limit >= 0 ? Math.floor(limit) : null,
      deleteOldest: gateway.log_management_strategy === 'DELETE_OLDEST',
      keepLog,
    });
    if (this.closed) {
      // Late arrivals (a request finishing during shutdown) are written at once rather than dropped.
      this.flush();
      return;
    }
    if (this.queue.length >= this.runtime.options.logBatchSize) {
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.flushBatch();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flushBatch();
      }, this.runtime.options.logFlushMs);
      this.timer.unref();
    }
  }

  /** Writes everything pending now, in transactions of at most logBatchSize records (what the log thread
   *  keeps while the store fails is tried once more, and kept if it still fails). */
  flush(): void {
    this.cancelTimers();
    while (this.queue.length > 0) this.writeBatch();
    this.thread?.retry();
    this.drainThread();
  }

  /** Flushes and stops the timers; records enqueued afterwards are written synchronously. */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
    const thread = this.thread;
    if (thread) {
      const lost = await thread.close();
      this.forgetThread(thread);
      this.writeRows(lost ?? []);
    }
    writersByDb.get(this.runtime.store.db)?.delete(this);
  }

  /** Called for each deleted log row (by the trigger); keeps the limit bookkeeping exact. */
  rowDeleted(accountId: string, gatewayId: string): void {
    const key = `${accountId}\u0000${gatewayId}`;
    const n = this.counts.get(key);
    if (n !== undefined) this.counts.set(key, n > 0 ? n - 1 : 0);
  }

  /** Timer path: one batch per turn of the event loop, so a backlog never blocks requests for long. */
  private flushBatch(): void {
    if (this.queue.length === 0) return;
    this.writeBatch();
    if (this.queue.length > 0 && !this.immediate) {
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.flushBatch();
      });
    }
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private writeBatch(): void {
    const size = Math.max(1, this.runtime.options.logBatchSize);
    // splice from the front is O(batch), not O(backlog): a long backlog drains in linear time.
    const batch = this.queue.length <= size ? this.queue : this.queue.splice(0, size);
    if (batch === this.queue) this.queue = [];
    const db = this.runtime.store.db;
    if (!db.isOpen) {
      this.outcomes.drop(STORE_CLOSED, batch.length);
      return;
    }
    // A record whose log is not kept touches no log count, so a limit does not keep it off the thread.
    if (this.thread?.usable && !db.isTransaction && batch.every((i) => i.limit === null || !i.keepLog)) {
      this.thread.post(batch.map((item) => this.threadRow(item)));
      return;
    }
    // The thread's batches go first: limit counts read the table, and rows keep their order.
    this.drainThread();
    // Inside someone else's transaction (never expected), a savepoint keeps this batch atomic all the same.
    const nested = db.isTransaction;
    db.exec(nested ? 'SAVEPOINT aigw_logs' : 'BEGIN IMMEDIATE');
    try {
      for (const item of batch) this.store(item);
      this.foldCounts();
      db.exec(nested ? 'RELEASE aigw_logs' : 'COMMIT');
      this.outcomes.written += batch.length;
    } catch {
      try {
        db.exec(nested ? 'ROLLBACK TO aigw_logs; RELEASE aigw_logs' : 'ROLLBACK');
      } catch {
        // SQLite may already have rolled the transaction back (e.g. disk full).
      }
      // The rollback undid the count changes in the database but not in memory: recount on next use.
      this.counts.clear();
      for (const item of batch) {
        try {
          this.store(item);
          this.outcomes.written++;
        } catch (err) {
          this.outcomes.drop(notStored(err), 1);
        }
      }
      this.foldCounts();
    }
  }

  /** Folds the requests counted so far into the hourly rollup (an error leaves them for the next batch). */
  private foldCounts(): void {
    try {
      for (const statement of this.afterBatch) statement.run();
    } catch {
      // The mark did not move: the next batch folds these requests too.
    }
  }

  /** Waits for the thread to write what it was given; writes here whatever it could not, and stops using it. */
  private drainThread(): void {
    if (!this.thread) return;
    const thread = this.thread;
    const lost = thread.drain();
    if (lost === null) return;
    this.forgetThread(thread);
    this.writeRows(lost);
  }

  /** Stops using the thread, keeping its counts. */
  private forgetThread(thread: LogThread): void {
    this.threadWritten = thread.written;
    this.threadDropped = thread.dropped;
    this.thread = null;
  }

  private writeRows(rows: LogRow[]): void {
    if (!this.runtime.store.db.isOpen) {
      this.outcomes.drop(STORE_CLOSED, rows.length);
      return;
    }
    for (const row of rows) {
      try {
        if (row[0] === 1) this.insert.run(...row.slice(1, 1 + STATEMENTS.logColumns));
        this.count.run(...row.slice(1 + STATEMENTS.logColumns));
        this.outcomes.written++;
      } catch (err) {
        this.outcomes.drop(notStored(err), 1);
      }
    }
    this.foldCounts();
  }

  /** A record as bind values for the thread (which keeps no counts: a later limit recounts the table). */
  private threadRow(item: Pending): LogRow {
    const r = item.record;
    if (this.counts.size > 0 && item.keepLog) this.counts.delete(`${r.accountId}\u0000${r.gatewayId}`);
    return [item.keepLog ? 1 : 0, ...rowValues(r), ...countValues(r)];
  }

  private store(item: Pending): void {
    const r = item.record;
    if (!item.keepLog) {
      this.count.run(...countValues(r));
      return;
    }
    const key = `${r.accountId}\u0000${r.gatewayId}`;
    if (item.limit !== null) {
      let count = this.counts.get(key);
      if (count === undefined) {
        // Only writers that keep counts pay for the trigger, from the first gateway with a limit on.
        watchDeletes(this.runtime.store.db, this);
        count = (this.countRows.get(r.accountId, r.gatewayId) as { n: number }).n;
        this.counts.set(key, count);
      }
      if (count >= item.limit) {
        if (!item.deleteOldest || item.limit === 0) {
          // Not kept, but counted: Cloudflare's analytics see the requests of a full gateway too.
          this.count.run(...countValues(r));
          return;
        }
        const chunk = Math.max(1, Math.floor(item.limit * 0.001));
        // Deletes beyond what is needed to get under the limit (after it was lowered) go in the same statement.
        this.deleteOldest.run(r.accountId, r.gatewayId, count - item.limit + chunk);
      }
    }
    this.insert.run(...rowValues(r));
    this.count.run(...countValues(r));
    // Read again: the deletes above were counted down (rowDeleted) as they happened.
    const stored = this.counts.get(key);
    if (stored !== undefined) this.counts.set(key, stored + 1);
  }
}

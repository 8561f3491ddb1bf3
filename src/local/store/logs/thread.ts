// Log rows written by a worker thread with its own connection to the store (WAL lets it write while the main
// connection reads), so inserts, commits and checkpoints never hold up requests. The main thread hands over
// ready-to-bind rows, one message per batch; shared memory says how far the thread has got, which lets
// flush() wait for it synchronously. An in-memory store cannot be shared between threads: it has no thread.
//
// A row is [keep, ...the log insert's values, ...the count insert's values]: the log is stored when keep is 1,
// the count always; after a batch's rows, its closing statements run in the same transaction.
import type { SQLInputValue } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

export type LogRow = SQLInputValue[];

/** The statements a row is written with (see LogRow) and those that close each batch. */
export interface RowStatements {
  log: string;
  /** How many values the log insert takes. */
  logColumns: number;
  count: string;
  afterBatch: string[];
}

/** Shared Int32 slots: the last batch written, rows that could not be stored, and a fatal-error flag. */
const DONE = 0;
const DROPPED = 1;
const FAILED = 2;

/** How long flush() waits for the thread before writing its batches itself. */
const DRAIN_TIMEOUT_MS = 30_000;

/**
 * One message. Blobs travel packed in one buffer (cloning one buffer per body costs twice as much as the rest
 * of the row): `spans` holds row, column, offset and length for each, and the row holds null meanwhile. The
 * buffer is moved to the thread, not copied, and freed there once written: an idle thread would otherwise
 * keep it until its next garbage collection (with large bodies, MBs per batch).
 */
interface Batch {
  seq: number;
  rows: LogRow[];
  spans: number[];
  packed: Uint8Array | null;
}

interface Posted {
  batch: Batch;
  /** The blobs taken out of the rows, in span order: put back if the main thread has to write the rows. */
  blobs: Uint8Array[];
}

interface ThreadData {
  location: string;
  statements: RowStatements;
  shared: SharedArrayBuffer;
}

/**
 * The thread's whole program. It runs from its source text (`eval`), so it refers to nothing outside itself
 * and loads modules through process.getBuiltinModule (a bundler rewrites require calls).
 */
function logThreadMain(): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const sqlite = process.getBuiltinModule('node:sqlite');
  const port = threads.parentPort!;
  const data = threads.workerData as ThreadData;
  const state = new Int32Array(data.shared);
  let db: InstanceType<typeof sqlite.DatabaseSync>;
  let insert: ReturnType<typeof db.prepare>;
  let count: ReturnType<typeof db.prepare>;
  let afterBatch: ReturnType<typeof db.prepare>[];
  const { logColumns } = data.statements;
  const write = (row: unknown[]) => {
    if (row[0] === 1) insert.run(...(row.slice(1, 1 + logColumns) as SQLInputValue[]));
    count.run(...(row.slice(1 + logColumns) as SQLInputValue[]));
  };
  try {
    db = new sqlite.DatabaseSync(data.location);
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA busy_timeout = 5000');
    insert = db.prepare(data.statements.log);
    count = db.prepare(data.statements.count);
    afterBatch = data.statements.afterBatch.map((sql) => db.prepare(sql));
  } catch {
    Atomics.store(state, 2, 1);
    Atomics.notify(state, 0);
    port.close();
    return;
  }
  port.on('message', (batch: Batch | null) => {
    if (batch === null) {
      db.close();
      port.close();
      return;
    }
    const { rows, spans, packed } = batch;
    for (let i = 0; i < spans.length; i += 4) {
      rows[spans[i]!]![spans[i + 1]!] = packed!.subarray(spans[i + 2]!, spans[i + 2]! + spans[i + 3]!);
    }
    let dropped = 0;
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const row of batch.rows) write(row);
      for (const statement of afterBatch) statement.run();
      db.exec('COMMIT');
    } catch {
      try {
        db.exec('ROLLBACK');
      } catch {
        // SQLite may already have rolled the transaction back (e.g. disk full).
      }
      // Row by row, each in a transaction of its own with its fold, so one bad row costs only itself.
      for (const row of batch.rows) {
        try {
          db.exec('BEGIN IMMEDIATE');
          write(row);
          for (const statement of afterBatch) statement.run();
          db.exec('COMMIT');
        } catch {
          try {
            db.exec('ROLLBACK');
          } catch {
            // Already rolled back.
          }
          dropped++;
        }
      }
    }
    // Detached: its memory is freed now (ES2024's transfer; the TypeScript lib here is ES2023).
    (packed?.buffer as { transfer?(length: number): unknown } | undefined)?.transfer?.(0);
    if (dropped > 0) Atomics.add(state, 1, dropped);
    Atomics.store(state, 0, batch.seq);
    Atomics.notify(state, 0);
  });
}

export class LogThread {
  private readonly worker: Worker;
  private readonly state: Int32Array;
  private seq = 0;
  /** Batches posted and not yet known to be written: what the main thread writes if the thread dies. */
  private inflight: Posted[] = [];
  private dead = false;

  constructor(location: string, statements: RowStatements) {
    const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    this.state = new Int32Array(shared);
    const workerData: ThreadData = { location, statements, shared };
    this.worker = new Worker(`(${logThreadMain.toString()})()`, { eval: true, workerData });
    this.worker.on('error', () => {
      this.dead = true;
    });
    this.worker.on('exit', () => {
      this.dead = true;
    });
    // A process that forgets to close the gateway still exits.
    this.worker.unref();
  }

  /** Rows the thread could not store (a duplicate id, say). */
  get dropped(): number {
    return Atomics.load(this.state, DROPPED);
  }

  /** False once the thread has failed: the caller writes on its own connection from then on. */
  get usable(): boolean {
    return !this.dead && Atomics.load(this.state, FAILED) === 0;
  }

  /** Hands rows over to the thread; their blob values are replaced by null until it writes them. */
  post(rows: LogRow[]): void {
    this.prune();
    const spans: number[] = [];
    const blobs: Uint8Array[] = [];
    let size = 0;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let c = 0; c < row.length; c++) {
        const v = row[c];
        if (!(v instanceof Uint8Array)) continue;
        spans.push(r, c, size, v.byteLength);
        blobs.push(v);
        size += v.byteLength;
        row[c] = null;
      }
    }
    let packed: Uint8Array<ArrayBuffer> | null = null;
    if (blobs.length > 0) {
      packed = new Uint8Array(size);
      for (let i = 0; i < blobs.length; i++) packed.set(blobs[i]!, spans[i * 4 + 2]!);
    }
    const batch: Batch = { seq: ++this.seq, rows, spans, packed };
    this.inflight.push({ batch, blobs });
    this.worker.postMessage(batch, packed ? [packed.buffer] : []);
  }

  /**
   * Blocks until every posted batch is written. Returns null when it is, or the rows of the batches the thread
   * did not write (it failed or stopped answering); the thread is then given up.
   */
  drain(): LogRow[] | null {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    let done = Atomics.load(this.state, DONE);
    while (done < this.seq && this.usable && Date.now() < deadline) {
      Atomics.wait(this.state, DONE, done, 100);
      done = Atomics.load(this.state, DONE);
    }
    this.prune();
    if (this.inflight.length === 0) return null;
    const lost: LogRow[] = [];
    for (const { batch, blobs } of this.inflight) {
      for (let i = 0; i < blobs.length; i++)
        batch.rows[batch.spans[i * 4]!]![batch.spans[i * 4 + 1]!] = blobs[i]!;
      lost.push(...batch.rows);
    }
    this.inflight = [];
    this.dead = true;
    void this.worker.terminate();
    return lost;
  }

  /** Writes what is pending, closes the thread's connection and ends it. */
  async close(): Promise<LogRow[] | null> {
    const lost = this.drain();
    if (!this.dead) {
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      // Held until it has closed its connection: with nothing else left, the process would exit meanwhile.
      this.worker.ref();
      this.worker.postMessage(null);
      await exited;
    }
    return lost;
  }

  private prune(): void {
    const done = Atomics.load(this.state, DONE);
    let n = 0;
    while (n < this.inflight.length && this.inflight[n]!.batch.seq <= done) n++;
    if (n > 0) this.inflight.splice(0, n);
  }
}

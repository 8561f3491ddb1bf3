// The log thread's program (thread.ts starts it). It writes each batch in one transaction; when the store fails
// (full disk, read-only or locked database...) it keeps the rows, in order, and retries with a back-off while
// new batches queue behind them, within a memory bound past which the oldest are dropped and counted. A row
// that fails for a reason of its own (a constraint) is dropped and counted alone, never holding up the others.
import type { SQLInputValue } from 'node:sqlite';

export type LogRow = SQLInputValue[];

/** The statements a row is written with (see LogRow in thread.ts) and those that close each batch. */
export interface RowStatements {
  log: string;
  /** How many values the log insert takes. */
  logColumns: number;
  count: string;
  afterBatch: string[];
}

/**
 * One batch. Blobs travel packed in one buffer (cloning one buffer per body costs twice as much as the rest
 * of the row): `spans` holds row, column, offset and length for each, and the row holds null meanwhile. The
 * buffer is moved to the thread, not copied, and freed there once written: an idle thread would otherwise
 * keep it until its next garbage collection (with large bodies, MBs per batch).
 */
export interface Batch {
  seq: number;
  rows: LogRow[];
  spans: number[];
  packed: Uint8Array | null;
}

/** Other requests to the thread, numbered with the batches: write what is held now; forget a gateway's rows. */
export type Request = { seq: number; retry: true } | { seq: number; forget: [string, string] };

/** What the thread tells the main thread (the proxy says it on stderr). */
export type ThreadEvent =
  | { kind: 'failing'; cause: string; held: number }
  | { kind: 'recovered'; written: number }
  | { kind: 'dropped'; reason: 'row' | 'bound' | 'shutdown'; cause: string; count: number };

export interface ThreadData {
  location: string;
  statements: RowStatements;
  shared: SharedArrayBuffer;
  /** Bytes of rows held while the store fails before the oldest are dropped. */
  maxHeldBytes: number;
}

/**
 * The thread's whole program. It runs from its source text (`eval`), so it refers to nothing outside itself
 * and loads modules through process.getBuiltinModule (a bundler rewrites require calls). The shared Int32
 * slots: 0 the last message handled, 1 rows dropped, 2 a fatal-error flag, 3 rows held, 4 rows written.
 */
export function logThreadMain(): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const sqlite = process.getBuiltinModule('node:sqlite');
  const port = threads.parentPort!;
  const data = threads.workerData as ThreadData;
  const state = new Int32Array(data.shared);
  const FIRST_RETRY_MS = 50;
  const LAST_RETRY_MS = 2_000;
  /** Rows per transaction and per turn when writing what was held (new batches wait between turns). */
  const RETRY_ROWS = 512;
  const TURN_ROWS = 8_192;
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

  // Rows kept while the store fails, oldest first from `head`, with their estimated sizes.
  let held: LogRow[] = [];
  let sizes: number[] = [];
  let head = 0;
  let heldBytes = 0;
  /** The store's error while it fails; null when writes go through. */
  let failing: string | null = null;
  let announce = false;
  let writtenSinceFailing = 0;
  let delay = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | null = null;
  const post = (event: ThreadEvent) => port.postMessage(event);
  const cause = (err: unknown) =>
    (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, 200);
  // The store is failing, not the row: anything from SQLite but a constraint of the row's own, a value of the
  // wrong type or size. A trigger's RAISE counts as the store's (the schema has none that raises: one added to
  // the database refuses every row).
  const storeFailure = (err: unknown) => {
    const code = (err as { errcode?: unknown }).errcode;
    if (typeof code !== 'number') return false;
    const primary = code & 0xff;
    if (primary === 19) return code === 1811; // SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_TRIGGER
    return primary !== 20 && primary !== 18 && primary !== 25; // MISMATCH, TOOBIG, RANGE
  };
  const rollback = () => {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite may already have rolled the transaction back (e.g. disk full).
    }
  };
  const written = (n: number) => {
    Atomics.add(state, 4, n);
    if (failing !== null) writtenSinceFailing += n;
  };
  const fail = (err: unknown) => {
    if (failing !== null) return;
    failing = cause(err);
    announce = true;
    writtenSinceFailing = 0;
  };
  const dropped = (reason: 'row' | 'bound' | 'shutdown', why: string, n: number) => {
    Atomics.add(state, 1, n);
    post({ kind: 'dropped', reason, cause: why, count: n });
  };

  /** Writes rows[from, to): returns where the store started failing (`to` when every row was handled). */
  const writeRun = (rows: LogRow[], from: number, to: number): number => {
    try {
      db.exec('BEGIN IMMEDIATE');
      for (let i = from; i < to; i++) write(rows[i]!);
      for (const statement of afterBatch) statement.run();
      db.exec('COMMIT');
      written(to - from);
      return to;
    } catch (err) {
      rollback();
      if (storeFailure(err)) {
        fail(err);
        return from;
      }
    }
    // Row by row, each in a transaction of its own with its fold, so one bad row costs only itself.
    let bad = 0;
    let why = '';
    for (let i = from; i < to; i++) {
      try {
        db.exec('BEGIN IMMEDIATE');
        write(rows[i]!);
        for (const statement of afterBatch) statement.run();
        db.exec('COMMIT');
        written(1);
      } catch (err) {
        rollback();
        if (storeFailure(err)) {
          fail(err);
          if (bad > 0) dropped('row', why, bad);
          return i;
        }
        bad++;
        why = cause(err);
      }
    }
    if (bad > 0) dropped('row', why, bad);
    return to;
  };

  const rowSize = (row: LogRow) => {
    let n = 200;
    for (const v of row) n += typeof v === 'string' ? v.length : v instanceof Uint8Array ? v.byteLength : 8;
    return n;
  };
  const release = (upTo: number) => {
    for (let i = head; i < upTo; i++) heldBytes -= sizes[i]!;
    head = upTo;
    if (head === held.length) {
      held = [];
      sizes = [];
      head = 0;
      heldBytes = 0;
    } else if (head > 4096 && head * 2 > held.length) {
      held = held.slice(head);
      sizes = sizes.slice(head);
      head = 0;
    }
    Atomics.store(state, 3, held.length - head);
  };
  const hold = (rows: LogRow[], from: number) => {
    for (let i = from; i < rows.length; i++) {
      const size = rowSize(rows[i]!);
      held.push(rows[i]!);
      sizes.push(size);
      heldBytes += size;
    }
    let over = head;
    let bytes = heldBytes;
    while (bytes > data.maxHeldBytes && over < held.length) bytes -= sizes[over++]!;
    if (over > head) {
      const n = over - head;
      release(over);
      dropped('bound', failing ?? '', n);
    }
    Atomics.store(state, 3, held.length - head);
    if (announce) {
      announce = false;
      post({ kind: 'failing', cause: failing ?? '', held: held.length - head });
    }
    timer ??= setTimeout(retry, delay);
  };

  /** Once a write went through with nothing left held: the store works again. */
  const recovered = () => {
    if (failing === null || head < held.length) return;
    post({ kind: 'recovered', written: writtenSinceFailing });
    failing = null;
    delay = FIRST_RETRY_MS;
  };

  /** Writes what is held, oldest first, a turn at a time; backs off while the store still fails. */
  const retry = (all = false) => {
    if (timer) clearTimeout(timer);
    timer = null;
    let turn = 0;
    while (head < held.length) {
      const from = head;
      const to = Math.min(from + RETRY_ROWS, held.length);
      const at = writeRun(held, from, to);
      release(at);
      if (at < to) {
        delay = Math.min(delay * 2, LAST_RETRY_MS);
        if (!all) timer = setTimeout(retry, delay);
        return;
      }
      turn += to - from;
      if (!all && turn >= TURN_ROWS && head < held.length) {
        timer = setTimeout(retry, 0);
        return;
      }
    }
    if (turn > 0) recovered();
  };

  port.on('message', (message: Batch | Request | null) => {
    if (message === null) {
      // Stopping: one last try, then what the store still refuses is counted as dropped.
      if (head < held.length) retry(true);
      if (head < held.length) {
        const n = held.length - head;
        release(held.length);
        dropped('shutdown', failing ?? '', n);
      }
      db.close();
      port.close();
      return;
    }
    if ('retry' in message) {
      if (head < held.length) retry();
    } else if ('forget' in message) {
      // A gateway being deleted: its rows are not written later, where they would outlive it.
      const [account, gateway] = message.forget;
      const keep = (row: LogRow) => row[2] !== account || row[3] !== gateway;
      const rows = held.slice(head).filter(keep);
      const kept = sizes.slice(head).filter((_, i) => keep(held[head + i]!));
      held = rows;
      sizes = kept;
      head = 0;
      heldBytes = kept.reduce((a, b) => a + b, 0);
      Atomics.store(state, 3, held.length);
    } else {
      const { rows, spans, packed } = message;
      for (let i = 0; i < spans.length; i += 4) {
        rows[spans[i]!]![spans[i + 1]!] = packed!.subarray(spans[i + 2]!, spans[i + 2]! + spans[i + 3]!);
      }
      // Behind rows already held, a batch waits its turn: rows are written in the order they came.
      const at = head < held.length ? 0 : writeRun(rows, 0, rows.length);
      if (at < rows.length) {
        hold(rows, at);
      } else {
        if (failing !== null) recovered();
        // Detached: its memory is freed now (ES2024's transfer; the TypeScript lib here is ES2023). Rows kept
        // while the store fails still point into it, and keep it until they are written.
        (packed?.buffer as { transfer?(length: number): unknown } | undefined)?.transfer?.(0);
      }
    }
    Atomics.store(state, 0, message.seq);
    Atomics.notify(state, 0);
  });
}

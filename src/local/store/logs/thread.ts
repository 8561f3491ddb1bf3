// Log rows written by a worker thread with its own connection to the store (WAL lets it write while the main
// connection reads), so inserts, commits and checkpoints never hold up requests. The main thread hands over
// ready-to-bind rows, one message per batch; shared memory says how far the thread has got, which lets
// flush() wait for it synchronously. An in-memory store cannot be shared between threads: it has no thread.
// The thread's program (and what it does while the store fails) is in thread-main.ts.
//
// A row is [keep, ...the log insert's values, ...the count insert's values]: the log is stored when keep is 1,
// the count always; after a batch's rows, its closing statements run in the same transaction.
import { Worker } from 'node:worker_threads';
import {
  type Batch,
  type LogRow,
  logThreadMain,
  type Request,
  type RowStatements,
  type ThreadData,
  type ThreadEvent,
} from './thread-main.js';

/** Shared Int32 slots: the last message handled, rows dropped, a fatal-error flag, rows held, rows written. */
const DONE = 0;
const DROPPED = 1;
const FAILED = 2;
const HELD = 3;
const WRITTEN = 4;

/** How long flush() waits for the thread before writing its batches itself. */
const DRAIN_TIMEOUT_MS = 30_000;

interface Posted {
  batch: Batch;
  /** The blobs taken out of the rows, in span order: put back if the main thread has to write the rows. */
  blobs: Uint8Array[];
}

export class LogThread {
  private readonly worker: Worker;
  private readonly state: Int32Array;
  private seq = 0;
  /** Batches posted and not yet known to be written: what the main thread writes if the thread dies. */
  private inflight: Posted[] = [];
  private dead = false;

  constructor(
    location: string,
    statements: RowStatements,
    maxHeldBytes: number,
    onEvent: (event: ThreadEvent) => void,
  ) {
    const shared = new SharedArrayBuffer(5 * Int32Array.BYTES_PER_ELEMENT);
    this.state = new Int32Array(shared);
    const workerData: ThreadData = { location, statements, shared, maxHeldBytes };
    this.worker = new Worker(`(${logThreadMain.toString()})()`, { eval: true, workerData });
    this.worker.on('message', onEvent);
    this.worker.on('error', () => {
      this.dead = true;
    });
    this.worker.on('exit', () => {
      this.dead = true;
    });
    // A process that forgets to close the gateway still exits.
    this.worker.unref();
  }

  /** Rows the thread could not store: a row of its own failing (a duplicate id, say), rows past the memory
   *  bound while the store failed, and those it still held when it stopped (or died). */
  get dropped(): number {
    return Atomics.load(this.state, DROPPED) + (this.dead ? Atomics.load(this.state, HELD) : 0);
  }

  /** Rows the thread keeps while the store fails, to write once it works again. */
  get held(): number {
    return this.dead ? 0 : Atomics.load(this.state, HELD);
  }

  get written(): number {
    return Atomics.load(this.state, WRITTEN);
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

  /** Asks the thread to leave out the rows it holds for a gateway (being deleted). */
  forget(accountId: string, gatewayId: string): void {
    if (this.held > 0) this.request({ seq: ++this.seq, forget: [accountId, gatewayId] });
  }

  /** Asks the thread to try the rows it holds now rather than at its next retry. */
  retry(): void {
    if (this.held > 0) this.request({ seq: ++this.seq, retry: true });
  }

  private request(request: Request): void {
    this.inflight.push({ batch: { seq: request.seq, rows: [], spans: [], packed: null }, blobs: [] });
    this.worker.postMessage(request);
  }

  /**
   * Blocks until the thread has handled every posted batch (written it, or, while the store fails, kept it).
   * Returns null when it has, or the rows of the batches it did not take (it failed or stopped answering);
   * the thread is then given up.
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

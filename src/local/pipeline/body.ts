// Stage: body. Request bodies are read whole (providers need them whole anyway) with a size limit that stops
// reading early (413, and the connection is closed rather than the rest of the body read). The bytes held for
// bodies across all requests are bounded too (BodyMemory): past the bound a request gets 503 with Retry-After
// instead of the proxy growing without limit under concurrent large bodies.
//
// Memory also has to come back after a burst of large bodies, and V8 alone does not give it back: node:http
// hands each piece of a body over in an ArrayBuffer of its own, freed only when V8 next collects, and an idle
// proxy allocates nothing that would make it collect. Hundreds of MB of dead pieces then sit in malloc's heap,
// which cannot shrink past whatever was allocated after them. So each piece is freed as soon as it is copied
// (release), and once the bodies of a burst are all let go, a collection is asked for (BodyMemory.collect).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayCode, GatewayError } from './errors.js';

const EMPTY = Buffer.alloc(0);

function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    413,
    GatewayCode.PayloadTooLarge,
    `Request body too large: the gateway accepts at most ${limit} bytes`,
    { connection: 'close' },
  );
}

function busy(limit: number): GatewayError {
  return new GatewayError(
    503,
    GatewayCode.Busy,
    `The gateway holds ${limit} bytes of request bodies already (--max-body-memory): retry shortly`,
    { 'retry-after': '1', connection: 'close' },
  );
}

/**
 * The bytes of request bodies held across all requests, up to a bound. `collect` (a full garbage collection)
 * runs when no body is held any more and at least a quarter of the bound was let go since it last ran: the
 * bodies are garbage by then, and without it they stay resident until the proxy next allocates enough.
 */
export class BodyMemory {
  private held = 0;
  private released = 0;
  private collecting = false;

  constructor(
    readonly limit: number,
    private readonly collect?: () => void,
  ) {}

  /** Takes `bytes` for the request answered by `res` until its answer is over; false when over the bound. */
  take(res: ServerResponse, bytes: number): boolean {
    if (bytes === 0) return true;
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    res.once('close', () => this.give(bytes));
    return true;
  }

  private give(bytes: number): void {
    this.held -= bytes;
    this.released += bytes;
    if (this.held > 0 || this.released < this.limit / 4 || this.collect === undefined || this.collecting)
      return;
    this.collecting = true;
    // After the turn that closed the answer, when its request's handler has let go of the body.
    setImmediate(() => {
      this.collecting = false;
      if (this.held > 0) return;
      this.released = 0;
      this.collect?.();
    });
  }
}

/**
 * Frees a piece of a body now (its ArrayBuffer is detached) instead of at the next collection, when the piece
 * owns the whole ArrayBuffer, as node:http's do: each is a copy made for it and read by nothing else.
 */
function release(chunk: Buffer): void {
  const { buffer } = chunk;
  if (!(buffer instanceof ArrayBuffer) || chunk.byteOffset !== 0 || chunk.byteLength !== buffer.byteLength)
    return;
  // ES2024's ArrayBuffer.prototype.transfer (Node 22 has it; the TypeScript lib here is ES2023).
  (buffer as ArrayBuffer & { transfer(length: number): ArrayBuffer }).transfer(0);
}

/**
 * The body, or null when the client went away; throws (or rejects with) a 413 GatewayError when it is over
 * `limit`, a 503 when `memory` cannot hold it. A body that has already arrived whole (the usual case for small
 * requests) is taken synchronously, without stream events.
 */
export function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  memory: BodyMemory,
): Buffer | null | Promise<Buffer | null> {
  const header = req.headers['content-length'];
  const declared = header === undefined ? null : Number(header);
  if (declared !== null && declared > limit) throw tooLarge(limit);
  if (declared === 0) return EMPTY;
  // A declared length is held from the start; a chunked body as it arrives.
  if (declared !== null && !memory.take(res, declared)) throw busy(memory.limit);
  if (req.complete && !req.readableFlowing) {
    if (req.readableLength > limit) throw tooLarge(limit);
    if (declared === null && !memory.take(res, req.readableLength)) throw busy(memory.limit);
    const first = req.read() as Buffer | null;
    if (first === null) return EMPTY;
    let next = req.read() as Buffer | null;
    if (next === null) return first;
    const chunks = [first];
    while (next !== null) {
      chunks.push(next);
      next = req.read() as Buffer | null;
    }
    return Buffer.concat(chunks);
  }
  return new Promise((resolve, reject) => {
    // With a declared length the chunks are copied into one buffer as they come: no second copy at the end.
    const whole = declared !== null ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: GatewayError) => {
      cleanup();
      req.pause();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit || (whole !== null && size > whole.length)) return fail(tooLarge(limit));
      if (whole !== null) {
        chunk.copy(whole, size - chunk.length);
        release(chunk);
      } else if (!memory.take(res, chunk.length)) return fail(busy(memory.limit));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (whole !== null) resolve(size === whole.length ? whole : whole.subarray(0, size));
      else if (chunks.length <= 1) resolve(chunks[0] ?? EMPTY);
      else {
        const body = Buffer.concat(chunks, size);
        for (const chunk of chunks) release(chunk);
        resolve(body);
      }
    };
    const onGone = () => {
      cleanup();
      resolve(null);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    // 'close' before 'end': the client went away mid-body.
    req.on('close', onGone);
  });
}

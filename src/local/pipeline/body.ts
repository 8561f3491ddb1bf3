// Stage: body. Request bodies are read whole (providers need them whole anyway) with a size limit that stops
// reading early (413, and the connection is closed rather than the rest of the body read). The bytes held for
// bodies across all requests are bounded too (BodyMemory): past the bound a request gets 503 with Retry-After
// instead of the proxy growing without limit under concurrent large bodies.
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

/** The bytes of request bodies held across all requests, up to a bound. */
export class BodyMemory {
  private held = 0;

  constructor(readonly limit: number) {}

  /** Takes `bytes` for the request answered by `res` until its answer is over; false when over the bound. */
  take(res: ServerResponse, bytes: number): boolean {
    if (bytes === 0) return true;
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    res.once('close', () => {
      this.held -= bytes;
    });
    return true;
  }
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
      if (whole !== null) chunk.copy(whole, size - chunk.length);
      else if (!memory.take(res, chunk.length)) return fail(busy(memory.limit));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (whole !== null) resolve(size === whole.length ? whole : whole.subarray(0, size));
      else
        resolve(chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, size));
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

// Stage: body. Request bodies are read whole (providers need them whole anyway) with a size limit that stops
// reading early (413, and the connection is closed rather than the rest of the body read).
import type { IncomingMessage } from 'node:http';
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

/**
 * The body, or null when the client went away; throws (or rejects with) a 413 GatewayError when it is over
 * `limit`. A body that has already arrived whole (the usual case for small requests) is taken synchronously,
 * without stream events.
 */
export function readBody(req: IncomingMessage, limit: number): Buffer | null | Promise<Buffer | null> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
  if (declared === '0') return EMPTY;
  if (req.complete && !req.readableFlowing) {
    if (req.readableLength > limit) throw tooLarge(limit);
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
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
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

// How long and how large a client's request may be before any plane sees it: Node's own HTTP server limits,
// set here rather than left to Node's defaults, and answered in the gateway's envelope instead of Node's bare
// `408 Request Timeout` / `431` / `400`. A request cut here never arrived whole, so it is in no log.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayCode, GatewayError, gatewayErrorBody } from './pipeline/errors.js';
import type { LocalGatewayOptions } from './runtime.js';

/** Node's default head size limit, named here so that README and the 431 message say it. */
const MAX_HEAD_BYTES = 16 * 1024;

type Limits = Pick<LocalGatewayOptions, 'clientHeadTimeoutMs' | 'clientRequestTimeoutMs'>;

/** node:http server options enforcing the limits. */
export function clientLimits(options: Limits) {
  return {
    headersTimeout: options.clientHeadTimeoutMs,
    requestTimeout: options.clientRequestTimeoutMs,
    // Node checks the two timeouts on this interval (30 s by default, so a 60 s limit fired after up to 90 s).
    connectionsCheckingInterval: Math.min(5_000, Math.max(10, Math.floor(options.clientHeadTimeoutMs / 10))),
    maxHeaderSize: MAX_HEAD_BYTES,
  };
}

/** The server's `clientError`: the envelope on a connection that has no answer under way, then closed. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket, options: Limits): void {
  // Node's own handler makes the same check: a response already started cannot take another head.
  const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || answering) {
    socket.destroy();
    return;
  }
  const error = clientErrorOf(err.code, options);
  const body = gatewayErrorBody(error);
  socket.end(
    `HTTP/1.1 ${error.httpCode} ${STATUS_CODES[error.httpCode]}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  socket.destroySoon();
}

function clientErrorOf(code: string | undefined, options: Limits): GatewayError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new GatewayError(
      408,
      GatewayCode.BadRequest,
      `Request timeout: the client did not send its request in time (its head within ${seconds(options.clientHeadTimeoutMs)}, all of it within ${seconds(options.clientRequestTimeoutMs)})`,
    );
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new GatewayError(
      431,
      GatewayCode.BadRequest,
      `Request header fields too large: the request's head is over ${MAX_HEAD_BYTES / 1024} KB`,
    );
  }
  return new GatewayError(
    400,
    GatewayCode.BadRequest,
    `Bad request: not valid HTTP (${code ?? 'parse error'})`,
  );
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

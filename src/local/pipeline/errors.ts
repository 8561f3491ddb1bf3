// Cloudflare's AiGatewayError envelope, for failures that originate in the gateway itself. A provider's own
// error response is never wrapped: it passes through unchanged, so SDK retry logic keeps working.
//
// Codes and statuses. 2001, 2003 and 2009 are Cloudflare's; the rest fill gaps the reference leaves open:
//   400 2001  gateway not found ("Please configure AI Gateway in the Cloudflare dashboard")
//   429 2003  gateway rate limit ("Rate limited"), with Retry-After in whole seconds
//   401 2009  gateway authentication ("Unauthorized")
//   400 2000  malformed request: invalid cf-aig-* header value, malformed JSON where JSON is required,
//             an invalid universal step
//   400 2002  unknown provider segment, or a custom-{slug} provider with no configured base URL
//   413 2004  request body larger than the gateway accepts
//   502 2005  no usable response from the provider: connection refused or reset, or a 2xx body that is not
//             the JSON its content type announces (Cloudflare documents 2005 as "Failed to get response from
//             provider" with 400; 502 keeps it retryable for SDKs)
//   504 2005  the provider sent no response headers within cf-aig-request-timeout / config.requestTimeout
//   500 2006  an unexpected fault inside the local gateway
import type { ServerResponse } from 'node:http';

export const GatewayCode = {
  BadRequest: 2000,
  GatewayNotFound: 2001,
  UnknownProvider: 2002,
  RateLimited: 2003,
  PayloadTooLarge: 2004,
  ProviderFailure: 2005,
  Internal: 2006,
  Unauthorized: 2009,
} as const;

export class GatewayError extends Error {
  constructor(
    readonly httpCode: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'AiGatewayError';
  }
}

export function badRequest(message: string): GatewayError {
  return new GatewayError(400, GatewayCode.BadRequest, message);
}

export function envelope(httpCode: number, code: number, message: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      success: false,
      result: [],
      messages: [],
      error: [{ code, message }],
      name: 'AiGatewayError',
      httpCode,
      internalCode: code,
    }),
  );
}

// Bodies that never vary are built once.
const GATEWAY_NOT_FOUND = envelope(
  400,
  GatewayCode.GatewayNotFound,
  'Please configure AI Gateway in the Cloudflare dashboard',
);
const UNAUTHORIZED = envelope(401, GatewayCode.Unauthorized, 'Unauthorized');
const RATE_LIMITED = envelope(429, GatewayCode.RateLimited, 'Rate limited');

export function writeEnvelope(
  res: ServerResponse,
  httpCode: number,
  body: Buffer,
  headers?: Record<string, string | number>,
): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  res.writeHead(httpCode, {
    'content-type': 'application/json',
    'content-length': body.length,
    ...headers,
  });
  res.end(body);
}

export function sendGatewayError(
  res: ServerResponse,
  err: GatewayError,
  headers?: Record<string, string | number>,
): void {
  writeEnvelope(res, err.httpCode, envelope(err.httpCode, err.code, err.message), headers);
}

export function sendGatewayNotFound(res: ServerResponse): void {
  writeEnvelope(res, 400, GATEWAY_NOT_FOUND);
}

export function sendUnauthorized(res: ServerResponse): void {
  writeEnvelope(res, 401, UNAUTHORIZED);
}

export function sendRateLimited(
  res: ServerResponse,
  retryAfterSeconds: number,
  headers: Record<string, string>,
) {
  writeEnvelope(res, 429, RATE_LIMITED, { ...headers, 'retry-after': String(retryAfterSeconds) });
}

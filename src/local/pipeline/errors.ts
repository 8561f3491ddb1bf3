// Cloudflare's AiGatewayError envelope, for failures that originate in the gateway itself. A provider's own
// error response is never wrapped: it passes through unchanged, so SDK retry logic keeps working.
//
// Codes and statuses. 2001, 2003, 2009 and 2040 are Cloudflare's; the rest fill gaps the reference leaves open:
//   400 2001  gateway not found ("Please configure AI Gateway in the Cloudflare dashboard", then a hint to create
//             it on the local gateway)
//   429 2003  gateway rate limit ("Rate limited"), with Retry-After in whole seconds
//   401 2009  gateway authentication ("Unauthorized")
//   400 2040  cf-aig-byok-alias names no stored key of the provider ("Provider 'x' has no BYOK credential named
//             'a'. Configured aliases: ...")
//   400 2000  malformed request: invalid cf-aig-* header value, malformed JSON where JSON is required,
//             an invalid universal step; also a request that is not valid HTTP (and 408 2000 for one not
//             received in time, 431 2000 for a head over the size limit: ../client-limits.ts)
//   400 2002  unknown provider segment, or a custom-{slug} provider with no configured base URL
//   413 2004  request body larger than the gateway accepts
//   502 2005  no usable response from the provider: connection refused or reset, or a 2xx body that is not
//             the JSON its content type announces (Cloudflare documents 2005 as "Failed to get response from
//             provider" with 400; 502 keeps it retryable for SDKs)
//   504 2005  the provider sent no response headers within cf-aig-request-timeout / config.requestTimeout
//   500 2006  an unexpected fault inside the local gateway
//   404 2010  replaying recordings (`aigw proxy --replay`): no recording for this request (404 so that no SDK
//             retries it); the message names the request's hash, the closest recording and how to record it
//   503 2011  the request bodies the gateway holds reach --max-body-memory (with Retry-After)
//   403 2012  a browser request from an origin the proxy was not told to allow (--cors)
//   429 2041  a dynamic route's budget element with no fallback (Cloudflare's spend-limit code)
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
  NotRecorded: 2010,
  Busy: 2011,
  OriginRefused: 2012,
  UnknownKeyAlias: 2040,
  SpendLimited: 2041,
} as const;

/** What every stage throws when it refuses a request; `headers` travel with the envelope (Retry-After...). */
export class GatewayError extends Error {
  constructor(
    readonly httpCode: number,
    readonly code: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> | null = null,
  ) {
    super(message);
    this.name = 'AiGatewayError';
  }
}

export function badRequest(message: string): GatewayError {
  return new GatewayError(400, GatewayCode.BadRequest, message);
}

export function unknownProvider(slug: string): GatewayError {
  return new GatewayError(400, GatewayCode.UnknownProvider, `Unknown provider '${slug}'`);
}

/** Anything thrown inside the data plane, as the gateway answers it (an unexpected fault is a 500 / 2006). */
export function asGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GatewayError(500, GatewayCode.Internal, `Internal gateway error: ${message}`);
}

/** Cloudflare's envelope for `err`, as JSON text. */
export function gatewayErrorBody(err: GatewayError): string {
  return JSON.stringify({
    success: false,
    result: [],
    messages: [],
    error: [{ code: err.code, message: err.message }],
    name: 'AiGatewayError',
    httpCode: err.httpCode,
    internalCode: err.code,
  });
}

/** Writes Cloudflare's envelope for `err`; a response already under way is cut instead. */
export function sendGatewayError(
  res: ServerResponse,
  err: GatewayError,
  headers?: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = gatewayErrorBody(err);
  res.writeHead(err.httpCode, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...err.headers,
    ...headers,
  });
  res.end(body);
}

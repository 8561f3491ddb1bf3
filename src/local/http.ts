// What every answer of the local gateway passes through before a plane sees the request: the Host check
// (DNS rebinding), the Origin check (web pages), preflights and CORS for the origin the user allowed, and JSON
// replies with their length.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalGatewayOptions } from './runtime.js';

const LOOPBACK_NAME = /^(localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
/** A Host header: a bracketed IPv6 address or a name, then an optional port; nothing else. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::\d{1,5})?$/i;

/** Refuses DNS-rebinding: only loopback names (and names the user allowed) may address the server. */
function hostAllowed(hostHeader: string | undefined, options: LocalGatewayOptions): boolean {
  if (!hostHeader) return false;
  const match = HOST_HEADER.exec(hostHeader);
  if (!match) return false;
  const name = match[1]!;
  if (LOOPBACK_NAME.test(name)) return true;
  return options.allowedHosts.some((h) => h.toLowerCase() === name.toLowerCase());
}

/** An origin a page on this machine has: http(s) on a loopback name. */
function loopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAME.test(url.hostname);
}

/**
 * Why a browser request is refused, or null when it may go on. A web page must not spend the keys the proxy
 * holds (stored custom-provider headers, the caller's own session): a request from a page whose origin is
 * neither loopback nor allowed with --cors is refused, and so is a cross-site request a browser sent without
 * an Origin (an <img> or <script> GET). Clients that are not browsers send neither header.
 */
export function browserRefusal(req: IncomingMessage, options: LocalGatewayOptions): string | null {
  const origin = req.headers.origin;
  if (origin === undefined) {
    if (req.headers['sec-fetch-site'] !== 'cross-site' || options.corsOrigin === '*') return null;
    return 'Forbidden: a cross-site browser request; aigw proxy answers pages it was told to allow (--cors)';
  }
  if (options.corsOrigin === '*' || loopbackOrigin(origin)) return null;
  if (options.corsOrigin !== undefined && sameOrigin(origin, options.corsOrigin)) return null;
  return `Forbidden: requests from the origin ${origin} are refused; allow it with aigw proxy --cors ${origin}`;
}

function sameOrigin(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

/**
 * Answers what no plane should see: a foreign Host (403), a browser request from an origin not allowed (403;
 * the data plane refuses its own, to log them), and every OPTIONS request (a preflight is never forwarded
 * to a provider). Returns true when the request is answered here.
 */
export function answeredAtTheDoor(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: LocalGatewayOptions,
): boolean {
  if (!hostAllowed(req.headers.host, options)) {
    forbidden(res, 'Host not allowed: aigw proxy answers loopback names only');
    return true;
  }
  const refusal = browserRefusal(req, options);
  if (refusal !== null) {
    if (url.pathname.startsWith('/v1/')) return false;
    forbidden(res, refusal);
    return true;
  }
  if (options.corsOrigin) {
    res.setHeader('access-control-allow-origin', options.corsOrigin);
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    res.setHeader('access-control-expose-headers', '*');
    if (options.corsOrigin !== '*') res.setHeader('vary', 'origin');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { allow: 'GET, POST, PUT, PATCH, DELETE, OPTIONS' }).end();
    return true;
  }
  return false;
}

/** 403 in the management API's envelope. */
function forbidden(res: ServerResponse, message: string): void {
  sendJson(res, 403, { success: false, errors: [{ code: 10000, message }], messages: [], result: null });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

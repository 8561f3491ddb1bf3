// What every answer of the local gateway passes through before a plane sees the request: the Host check
// (DNS rebinding), CORS for the origin the user allowed, and JSON replies with their length.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalGatewayOptions } from './runtime.js';

const loopbackNames = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** Refuses DNS-rebinding: only loopback names (and names the user allowed) may address the server. */
function hostAllowed(hostHeader: string | undefined, options: LocalGatewayOptions): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : hostHeader.split(':')[0]!;
  if (loopbackNames.test(name) || name.toLowerCase().endsWith('.localhost')) return true;
  return options.allowedHosts.some((h) => h.toLowerCase() === name.toLowerCase());
}

/**
 * Answers what no plane should see: a foreign Host (403), a CORS preflight. Returns true when the request
 * is answered here.
 */
export function answeredAtTheDoor(
  req: IncomingMessage,
  res: ServerResponse,
  options: LocalGatewayOptions,
): boolean {
  if (!hostAllowed(req.headers.host, options)) {
    sendJson(res, 403, {
      success: false,
      errors: [{ code: 10000, message: 'Host not allowed: aigw proxy answers loopback names only' }],
    });
    return true;
  }
  if (options.corsOrigin) {
    res.setHeader('access-control-allow-origin', options.corsOrigin);
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    res.setHeader('access-control-expose-headers', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return true;
    }
  }
  return false;
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

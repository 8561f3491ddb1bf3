// Management API credentials, as api.cloudflare.com takes them: `Authorization: Bearer <token>` or the legacy
// `X-Auth-Email` + `X-Auth-Key` pair. With an apiToken configured only that token (or key) is accepted;
// without one, any non-empty credentials are.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Runtime } from '../runtime.js';
import { authenticationError } from './envelope.js';

export type Credentials = { kind: 'token'; token: string } | { kind: 'key'; key: string; email: string };

/** The request's credentials, or an ApiError (401 without credentials, 403 with wrong ones). */
export function authenticate(req: IncomingMessage, runtime: Runtime): Credentials {
  const credentials = readCredentials(req);
  if (!credentials) throw authenticationError(401);
  const expected = runtime.options.apiToken;
  if (expected !== undefined) {
    const presented = credentials.kind === 'token' ? credentials.token : credentials.key;
    if (!sameSecret(presented, expected)) throw authenticationError(403);
  }
  return credentials;
}

function readCredentials(req: IncomingMessage): Credentials | null {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? { kind: 'token', token: match[1]! } : null;
  }
  const key = header(req, 'x-auth-key');
  const email = header(req, 'x-auth-email');
  return key && email ? { kind: 'key', key, email } : null;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() || undefined;
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** A stable, non-reversible id for a token (what /user/tokens/verify reports). */
export function tokenId(token: string): string {
  return digest(token).toString('hex').slice(0, 32);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

// SDK errors → aigw's typed errors, with Cloudflare's codes and a next step. Never includes credentials.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'cloudflare/error';
import type { Target } from '../config/target.js';
import {
  AigwError,
  ApiError,
  type ApiErrorItem,
  AuthError,
  describeApiErrors,
  InterruptedError,
  NetworkError,
  NotFoundError,
} from '../errors.js';
import { maskUrlCredentials } from '../io/url-credentials.js';
import { type NetworkFailure, networkFailure } from './network.js';

/** `command`: how the user runs aigw, for hints; `lastFailure`: what fetch last threw, which the SDK's timeout
 *  error does not carry. */
export function translateError(
  err: unknown,
  target: Target,
  command: () => string,
  lastFailure?: unknown,
): unknown {
  if (err instanceof AigwError) return err;
  const host = hostOf(target.baseURL);
  if (err instanceof APIUserAbortError) return new InterruptedError();
  if (err instanceof APIConnectionError) {
    const failure = networkFailure(err) ?? networkFailure(lastFailure);
    const hint = networkHint(target, failure, command());
    if (!failure && err instanceof APIConnectionTimeoutError)
      return new NetworkError(`The request to ${host} timed out.`, { hint, cause: err });
    const why = failure ? `: ${failure.text}${failure.code ? ` (${failure.code})` : ''}` : '';
    return new NetworkError(`Could not reach ${host}${why}.`, { hint, cause: err, reason: failure?.code });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const items = errorItems(err);
    const status = err.status;
    if (status === 401 || status === 403) {
      return new AuthError(
        `${target.local ? 'The local gateway' : 'Cloudflare'} rejected the credentials (${target.credential.source}): ${describeApiErrors(status, items)}`,
        { hint: authHint(target, status, command()) },
      );
    }
    if (status === 404) return new NotFoundError(status, items);
    const hint =
      status === 429
        ? `Rate limited by the API${retryAfter(err.headers)}. Wait and try again.`
        : status >= 500
          ? 'The API failed on its side; try again in a moment.'
          : undefined;
    return new ApiError(status, items, undefined, hint);
  }
  return err;
}

function errorItems(err: APIError): ApiErrorItem[] {
  const body = err.error as { errors?: ApiErrorItem[] } | undefined;
  const raw = body?.errors ?? (err.errors as ApiErrorItem[] | undefined) ?? [];
  return raw.map((e) => ({
    ...(typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.message === 'string' ? { message: e.message } : {}),
    ...(Array.isArray(e.path) ? { path: e.path } : {}),
  }));
}

function authHint(target: Target, status: number, command: string): string {
  if (target.local) {
    return `The local gateway was started with --api-token: set AIGW_LOCAL_TOKEN to that token, or run: ${command} auth login --local`;
  }
  const lines = [
    status === 403
      ? 'The token lacks a permission: reading needs "AI Gateway Read", changes need "AI Gateway Edit".'
      : 'The token is invalid or expired.',
  ];
  lines.push(
    target.credential.source.startsWith('CLOUDFLARE_')
      ? `It came from ${target.credential.source}; fix or unset it.`
      : `Run: ${command} auth login${target.profile === 'default' ? '' : ` --profile ${target.profile}`}`,
  );
  return lines.join('\n');
}

function networkHint(target: Target, failure: NetworkFailure | undefined, command: string): string {
  if (failure?.tls) {
    return (
      'If a proxy or a private certificate authority signs it, give Node that authority: ' +
      'NODE_EXTRA_CA_CERTS=/path/to/ca.pem aigw ...'
    );
  }
  return target.local
    ? `Is the local gateway running? Start it with: ${command} proxy (or point --local-url at it).`
    : 'Check your connection, or CLOUDFLARE_BASE_URL if you set it.';
}

function retryAfter(headers: Headers | undefined): string {
  const value = headers?.get('retry-after');
  return value ? ` (retry after ${value} s)` : '';
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A URL fit for debug output: no credentials in userinfo or query. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    for (const key of [...u.searchParams.keys()]) {
      if (/token|key|secret|auth|signature/i.test(key)) u.searchParams.set(key, 'REDACTED');
    }
    return u.toString();
  } catch {
    return maskUrlCredentials(url);
  }
}

// Cloudflare's response envelopes and the error codes the management API answers with.
//
// Success: {success: true, errors: [], messages: [], result, result_info?}.
// AI Gateway errors (7001 validation, 7002 not found, other 400s) carry `result: {}`, because the contract's
// aig_ErrorBadRequest requires `result` to be an object. Errors raised in front of a resource (authentication,
// no such route, wrong method) carry `result: null`, as the rest of api.cloudflare.com does.

export interface ErrorItem {
  code: number;
  message: string;
  /** Where the offending input is, e.g. ['body', 'id'] or ['query', 'per_page']. */
  path?: string[];
}

export interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  [field: string]: unknown;
}

/** What a route handler produces; the router writes it (JSON, or bytes as they are). */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const codes = {
  authentication: 10000,
  noRoute: 7000,
  validation: 7001,
  notFound: 7002,
} as const;

export function ok(result: unknown, resultInfo?: ResultInfo, messages: ErrorItem[] = []): Reply {
  const body: Record<string, unknown> = { success: true, errors: [], messages, result };
  if (resultInfo) body.result_info = resultInfo;
  return { status: 200, body };
}

/** An error a handler throws; the router turns it into the error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ErrorItem[],
    readonly result: Record<string, never> | null = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join('; '));
    this.name = 'ApiError';
  }

  reply(): Reply {
    return {
      status: this.status,
      body: { success: false, errors: this.errors, messages: [], result: this.result },
      headers: this.headers,
    };
  }
}

export function validationError(issues: { path: string[]; message: string }[]): ApiError {
  return new ApiError(
    400,
    issues.map((issue) => ({
      code: codes.validation,
      message: `Input Validation Error: ${issue.message}`,
      path: issue.path,
    })),
  );
}

export function notFound(what?: string): ApiError {
  return new ApiError(404, [{ code: codes.notFound, message: what ? `Not Found: ${what}` : 'Not Found' }]);
}

export function noRoute(): ApiError {
  return new ApiError(404, [{ code: codes.noRoute, message: 'No route for that URI' }], null);
}

export function methodNotAllowed(method: string, allowed: string[]): ApiError {
  return new ApiError(
    405,
    [
      {
        code: codes.noRoute,
        message: `Method ${method} not allowed for that URI (allowed: ${allowed.join(', ')})`,
      },
    ],
    null,
    { allow: allowed.join(', ') },
  );
}

/** 401 when no credentials came with the request, 403 when they are not the right ones. */
export function authenticationError(status: 401 | 403): ApiError {
  return new ApiError(status, [{ code: codes.authentication, message: 'Authentication error' }], null);
}

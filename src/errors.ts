// Typed errors and the one place that maps them to exit codes and messages.

export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  auth: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A Cloudflare API error item, as in the `errors` array of an envelope. */
export interface ApiErrorItem {
  code?: number;
  message?: string;
  path?: (string | number)[];
}

export class AigwError extends Error {
  readonly exitCode: ExitCode = ExitCode.error;
  /** What the user can do about it; printed after the message. */
  hint?: string;
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.hint) this.hint = options.hint;
  }
}

/** Bad flags, arguments or input: exit 2. No request was sent. */
export class UsageError extends AigwError {
  override readonly exitCode = ExitCode.usage;
}

/** Missing or rejected credentials: exit 4. */
export class AuthError extends AigwError {
  override readonly exitCode = ExitCode.auth;
}

/** The API answered with an error envelope. */
export class ApiError extends AigwError {
  readonly status: number;
  readonly errors: ApiErrorItem[];
  constructor(status: number, errors: ApiErrorItem[], message?: string, hint?: string) {
    super(message ?? describeApiErrors(status, errors), hint ? { hint } : undefined);
    this.status = status;
    this.errors = errors;
  }
}

export class NotFoundError extends ApiError {}

/** The host could not be reached. */
export class NetworkError extends AigwError {
  /** The system or TLS code that says why (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT...), when known. */
  readonly reason?: string;
  constructor(message: string, options?: { hint?: string; cause?: unknown; reason?: string | undefined }) {
    super(message, options);
    if (options?.reason) this.reason = options.reason;
  }
}

/** The machine is not as aigw needs it (a port taken, a data directory it cannot use, a database from elsewhere):
 *  exit 1, with what to do about it. Not a bug. */
export class EnvironmentError extends AigwError {}

/** Ctrl-C, or a prompt closed by the user: exit 130. */
export class InterruptedError extends AigwError {
  override readonly exitCode = ExitCode.interrupted;
  constructor(message = 'Interrupted') {
    super(message);
  }
}

export function describeApiErrors(status: number, errors: ApiErrorItem[]): string {
  if (errors.length === 0) return `The API answered HTTP ${status}`;
  return errors
    .map((e) => {
      const code = e.code === undefined ? '' : ` [code ${e.code}]`;
      const field =
        e.path && e.path.length > 0 ? ` (field: ${e.path.filter((p) => p !== 'body').join('.')})` : '';
      return `${e.message ?? 'Unknown error'}${field}${code}`;
    })
    .join('; ');
}

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof AigwError) return err.exitCode;
  if (isPromptExit(err)) return ExitCode.interrupted;
  return ExitCode.error;
}

/** @inquirer/prompts throws ExitPromptError when the user presses Ctrl-C at a prompt. */
function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

const USAGE_HINT = 'Run with --help for usage.';
const BUG_HINT = 'This looks like a bug in aigw. Run again with --debug for details.';

/** The text printed to stderr for an error: message, hint, and the stack only when debugging. */
export function formatError(err: unknown, debug: boolean): string {
  if (isPromptExit(err)) return 'Interrupted';
  if (err instanceof AigwError) {
    const lines = [`Error: ${err.message}`];
    lines.push(err.hint ?? (err instanceof UsageError ? USAGE_HINT : ''));
    if (debug && err.stack) lines.push(err.stack);
    return lines.filter(Boolean).join('\n');
  }
  const message = err instanceof Error ? err.message : String(err);
  const lines = [`Error: ${message}`];
  if (debug && err instanceof Error && err.stack) lines.push(err.stack);
  else lines.push(BUG_HINT);
  return lines.join('\n');
}

/** An error as scripts read it under --json: one line on stderr, `{"error": {...}}`. The shape is
 *  documented in the README; add fields, never rename or remove them. */
export interface ErrorJson {
  code:
    | 'error'
    | 'usage'
    | 'auth'
    | 'not_found'
    | 'api'
    | 'network'
    | 'environment'
    | 'interrupted'
    | 'internal';
  message: string;
  exit: ExitCode;
  hint?: string;
  /** API errors: the HTTP status and Cloudflare's error items. */
  status?: number;
  errors?: ApiErrorItem[];
  /** Network errors: the system or TLS code that says why, e.g. ECONNREFUSED. */
  reason?: string;
  /** Only with --debug. */
  stack?: string;
}

export function errorJson(err: unknown, debug: boolean): { error: ErrorJson } {
  const exit = exitCodeFor(err);
  if (isPromptExit(err)) return { error: { code: 'interrupted', message: 'Interrupted', exit } };
  const stack = debug && err instanceof Error && err.stack ? { stack: err.stack } : {};
  if (!(err instanceof AigwError)) {
    const message = err instanceof Error ? err.message : String(err);
    return { error: { code: 'internal', message, exit, hint: BUG_HINT, ...stack } };
  }
  const hint = err.hint ?? (err instanceof UsageError ? USAGE_HINT : undefined);
  return {
    error: {
      code: errorCode(err),
      message: err.message,
      exit,
      ...(hint ? { hint } : {}),
      ...(err instanceof ApiError ? { status: err.status, errors: err.errors } : {}),
      ...(err instanceof NetworkError && err.reason ? { reason: err.reason } : {}),
      ...stack,
    },
  };
}

function errorCode(err: AigwError): ErrorJson['code'] {
  if (err instanceof UsageError) return 'usage';
  if (err instanceof AuthError) return 'auth';
  if (err instanceof NotFoundError) return 'not_found';
  if (err instanceof ApiError) return 'api';
  if (err instanceof NetworkError) return 'network';
  if (err instanceof EnvironmentError) return 'environment';
  if (err instanceof InterruptedError) return 'interrupted';
  return 'error';
}

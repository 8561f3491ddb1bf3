// What a control-plane route handler receives, and the request parsing every resource shares:
// the JSON body, pagination and other query parameters.
import type { IncomingMessage } from 'node:http';
import type { Runtime } from '../runtime.js';
import type { Credentials } from './auth.js';
import { ApiError, codes, validationError } from './envelope.js';
import { type Schema, validate } from './validate.js';

export interface RequestContext {
  runtime: Runtime;
  req: IncomingMessage;
  url: URL;
  /** Decoded path parameters named as in the route pattern, e.g. { account_id, id }. */
  params: Record<string, string>;
  /** Who is calling (already checked against options.apiToken). */
  credentials: Credentials;
  /** Where this server was reached, e.g. http://127.0.0.1:8787 (from the Host header). */
  origin: string;
  /** The parsed JSON body; a missing or malformed body is a 400 (7001). */
  json(): Promise<unknown>;
  /**
   * The JSON body checked against the contract's schema for this operation (unknown fields dropped, declared
   * defaults filled in); 400 (7001) naming each problem otherwise.
   */
  body<T>(): Promise<T>;
}

export function createContext(
  runtime: Runtime,
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
  credentials: Credentials,
  bodySchema: Schema | null,
): RequestContext {
  let body: Promise<unknown> | undefined;
  const json = () => {
    body ??= readJson(req, runtime.options.maxBodyBytes);
    return body;
  };
  return {
    runtime,
    req,
    url,
    params,
    credentials,
    origin: `http://${req.headers.host ?? `${runtime.options.host}:${runtime.options.port}`}`,
    json,
    body: async <T>() => {
      if (!bodySchema) throw new Error(`${req.method} ${url.pathname} takes no request body in the contract`);
      const checked = validate<T>(bodySchema, await json());
      if (!checked.ok) {
        throw validationError(checked.issues.map((issue) => ({ ...issue, path: ['body', ...issue.path] })));
      }
      return checked.value;
    },
  };
}

async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      throw new ApiError(413, [
        { code: codes.validation, message: `Request body larger than ${maxBytes} bytes`, path: ['body'] },
      ]);
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    throw validationError([{ path: ['body'], message: 'a JSON request body is required' }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // V8 quotes the text it could not parse, and bodies can hold secrets (a provider key): never echo it.
    const reason = (err instanceof Error ? err.message : String(err)).replace(
      /, \S*".*is not valid JSON$/s,
      '',
    );
    throw validationError([{ path: ['body'], message: `the request body is not valid JSON (${reason})` }]);
  }
}

export interface Page {
  page: number;
  perPage: number;
  offset: number;
}

/** The `per_page` bounds of the AI Gateway lists (gateways, custom providers, pricing rules). */
export const aiGatewayPerPage = { defaultPerPage: 20, minPerPage: 1, maxPerPage: 100 } as const;

/** `page` (>= 1, default 1) and `per_page` (within the resource's bounds) from the query string. */
const MAX_PAGE = 2 ** 31 - 1;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function pageQuery(
  url: URL,
  bounds: { defaultPerPage: number; minPerPage: number; maxPerPage: number },
): Page {
  // Bounded so that the offset stays an integer SQLite takes (a larger page is empty anyway).
  const page = integerQuery(url, 'page', { min: 1, max: MAX_PAGE }) ?? 1;
  const perPage =
    integerQuery(url, 'per_page', { min: bounds.minPerPage, max: bounds.maxPerPage }) ??
    bounds.defaultPerPage;
  return { page, perPage, offset: (page - 1) * perPage };
}

export function integerQuery(
  url: URL,
  name: string,
  range: { min?: number; max?: number },
): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const fail = (message: string) =>
    validationError([{ path: ['query', name], message: `"${name}" ${message}` }]);
  if (!/^-?\d+$/.test(raw.trim())) throw fail(`must be an integer, not ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value))
    throw fail(`must be an integer from ${range.min ?? -MAX_SAFE} to ${range.max ?? MAX_SAFE}`);
  if (range.min !== undefined && value < range.min) throw fail(`must be at least ${range.min}`);
  if (range.max !== undefined && value > range.max) throw fail(`must be at most ${range.max}`);
  return value;
}

export function stringQuery(url: URL, name: string): string | undefined {
  const raw = url.searchParams.get(name);
  return raw === null || raw === '' ? undefined : raw;
}

/** A `true` / `false` query parameter; absent (or empty) is undefined, anything else a 400 (7001). */
export function booleanQuery(url: URL, name: string): boolean | undefined {
  const raw = stringQuery(url, name);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw validationError([
    { path: ['query', name], message: `"${name}" must be true or false, not ${JSON.stringify(raw)}` },
  ]);
}

/** `result_info` for a page of a list. */
export function resultInfo(page: Page, count: number, totalCount: number) {
  return { page: page.page, per_page: page.perPage, count, total_count: totalCount };
}

// What names a recording: a hash of the canonical request (provider, method, path and non-secret query, the body
// with its keys sorted), never a credential (headers are not part of it). Fields that change from run to run
// (a `user` id, `metadata`, timestamps) can be left out of the hash per provider and path (`IgnoreRule`).
import { createHash } from 'node:crypto';

/** `provider:path:field,field`; `*` matches any provider or path; a field may be dotted (metadata.user_id). */
export interface IgnoreRule {
  provider: string;
  path: string;
  fields: string[][];
}

/** Parses `openai:/chat/completions:user,metadata`; returns an error message for a malformed one. */
export function parseIgnoreRule(spec: string): IgnoreRule | string {
  const first = spec.indexOf(':');
  const last = spec.lastIndexOf(':');
  if (first <= 0 || last === first) return `"${spec}" is not provider:path:field[,field...]`;
  const provider = spec.slice(0, first).trim();
  const path = trimPath(spec.slice(first + 1, last).trim());
  const fields = spec
    .slice(last + 1)
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (path === '' || fields.length === 0) return `"${spec}" names no path or no field`;
  return { provider, path, fields: fields.map((f) => f.split('.')) };
}

function trimPath(path: string): string {
  return path === '*' ? path : path.replace(/^\/+|\/+$/g, '');
}

/** Query parameters that may carry a key (some providers take one there): never part of the hash or a file. */
const SECRET_PARAM = /key|token|secret|sig|auth|passw|credential/i;

/** The query of an upstream path with credential-looking parameters dropped ('' when none). */
export function safeQuery(targetPath: string): string {
  const q = targetPath.indexOf('?');
  if (q === -1) return '';
  const params = new URLSearchParams(targetPath.slice(q + 1));
  const kept = [...params].filter(([name]) => !SECRET_PARAM.test(name));
  return new URLSearchParams(kept).toString();
}

export interface CanonicalRequest {
  provider: string;
  method: string;
  path: string;
  query: string;
  /** The body as JSON (keys sorted, ignored fields gone), or its text / base64 when it is not JSON. */
  body: unknown;
}

/** The body as the recording keeps it: parsed JSON, else text, else base64; null when empty. */
export function bodyValue(body: Buffer | null): unknown {
  if (body === null || body.length === 0) return null;
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return Buffer.from(text, 'utf8').equals(body) ? text : { base64: body.toString('base64') };
  }
}

export function canonicalRequest(
  provider: string,
  method: string,
  path: string,
  query: string,
  body: unknown,
  rules: readonly IgnoreRule[],
): CanonicalRequest {
  const clean = trimPath(path);
  let value = sorted(body);
  for (const rule of rules) {
    if (rule.provider !== '*' && rule.provider !== provider) continue;
    if (rule.path !== '*' && rule.path !== clean) continue;
    for (const field of rule.fields) value = without(value, field);
  }
  return { provider, method: method.toUpperCase(), path: clean, query, body: value };
}

/** 16 hex digits of SHA-256 over the canonical request. */
export function requestHash(canonical: CanonicalRequest): string {
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sorted((value as Record<string, unknown>)[key]);
  return out;
}

function without(value: unknown, field: string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || field.length === 0) return value;
  const [head, ...rest] = field as [string, ...string[]];
  if (!Object.hasOwn(value, head)) return value;
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0) delete copy[head];
  else copy[head] = without(copy[head], rest);
  return copy;
}

/** The leaf values of a canonical request by JSON path (`body.messages[0].content`), to compare two. */
export function leaves(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [`${prefix}[${i}]`, v] as const)
      : Object.entries(value).map(([k, v]) => [prefix ? `${prefix}.${k}` : k, v] as const);
    for (const [path, v] of entries) leaves(v, path, out);
    if (entries.length === 0) out.set(prefix, JSON.stringify(value));
    return out;
  }
  out.set(prefix, JSON.stringify(value));
  return out;
}

/** The paths where two leaf maps differ (present in one only, or with another value). */
export function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [path, v] of a) if (b.get(path) !== v) out.push(path);
  for (const path of b.keys()) if (!a.has(path)) out.push(path);
  return out;
}

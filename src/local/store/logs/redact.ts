// Credentials never reach the log store: secret headers are dropped from stored heads, secret query values
// are replaced in stored paths.

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cf-aig-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'xi-api-key',
  'fal-api-key',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'x-auth-token',
  'x-access-token',
  'token',
  'cookie',
  'set-cookie',
  'sec-websocket-protocol', // carries cf-aig-authorization.<token> and provider keys on WebSocket upgrades
]);
/** Anything else whose name says it carries a credential. */
const SECRET_NAME = /auth|token|secret|passw|api[-_]?key|apikey|credential|signature|cookie|session/i;

function isSecretHeader(lowerName: string): boolean {
  return SECRET_HEADERS.has(lowerName) || SECRET_NAME.test(lowerName);
}

/** Header names lower-cased, multi-valued headers joined with ', ', credentials and cookies removed. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (isSecretHeader(lower)) continue;
    out[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Second line of defence: a head that still names a secret header is parsed and redacted before storing. */
export function scrubHead(head: string | null): string | null {
  if (head === null || !SECRET_NAME.test(head)) return head;
  let parsed: unknown;
  try {
    parsed = JSON.parse(head);
  } catch {
    return null; // not header JSON: store nothing rather than something unchecked
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const fields: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value)) fields[name] = value.map(String);
    else if (value !== undefined && value !== null) fields[name] = String(value);
  }
  return JSON.stringify(redactHeaders(fields));
}

const SECRET_QUERY =
  /^(key|api[-_]?key|apikey|token|access[-_]?token|auth|signature|x-amz-signature|x-amz-credential|x-amz-security-token|sig)$/i;

/** A path with the values of credential query parameters (Google's ?key=, presigned URLs) replaced by REDACTED. */
export function redactPath(path: string): string {
  const q = path.indexOf('?');
  if (q === -1) return path;
  const params = path.slice(q + 1).split('&');
  let changed = false;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    const eq = p.indexOf('=');
    const name = eq === -1 ? p : p.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {}
    if (eq !== -1 && SECRET_QUERY.test(decoded)) {
      params[i] = `${name}=REDACTED`;
      changed = true;
    }
  }
  return changed ? `${path.slice(0, q)}?${params.join('&')}` : path;
}

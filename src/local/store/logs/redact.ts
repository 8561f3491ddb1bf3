// Credentials never reach the log store or the response cache. A header's name cannot tell whether it carries
// one (ocp-apim-subscription-key, x-custom-key, whatever a custom provider asks for), so only headers known to
// be harmless are kept and every other header is dropped: names of the HTTP standard and of the providers'
// SDKs, and prefixes that name counters and telemetry (x-ratelimit-remaining-tokens is a count, not a token).
// Stored paths never hold a query string, where some providers take a key.

const HARMLESS_NAMES = new Set([
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'accept-ranges',
  'age',
  'allow',
  'alt-svc',
  'cache-control',
  'cf-aig-cache-key',
  'cf-cache-status',
  'cf-ray',
  'connection',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-length',
  'content-range',
  'content-type',
  'date',
  'dnt',
  'etag',
  'expect',
  'expires',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'keep-alive',
  'last-modified',
  'origin',
  'pragma',
  'priority',
  'range',
  'request-id',
  'retry-after',
  'retry-after-ms',
  'server',
  'server-timing',
  'strict-transport-security',
  'te',
  'traceparent',
  'tracestate',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'vary',
  'via',
  'x-client-request-id',
  'x-cloud-trace-context',
  'x-content-type-options',
  'x-correlation-id',
  'x-envoy-upstream-service-time',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-frame-options',
  'x-powered-by',
  'x-real-ip',
  'x-request-id',
]);

/** Counters and telemetry: nothing under these prefixes is a credential. */
const HARMLESS_PREFIXES = [
  'x-ratelimit-',
  'ratelimit-',
  'anthropic-ratelimit-',
  'x-stainless-',
  'sec-ch-',
  'sec-fetch-',
  'access-control-',
];

/** Vendors' own headers (organisation, version, beta flags, timings), unless the name says credential. */
const VENDOR_PREFIXES = ['openai-', 'anthropic-', 'cf-aig-', 'x-goog-', 'x-mock-'];
const CREDENTIAL_NAME = /auth|token|secret|passw|key|credential|signature|cookie|session/;

/** Whether a header (lower-case name) may be stored in a log or the cache: false for anything not known. */
export function isHarmlessHeader(lowerName: string): boolean {
  if (HARMLESS_NAMES.has(lowerName)) return true;
  for (const prefix of HARMLESS_PREFIXES) if (lowerName.startsWith(prefix)) return true;
  for (const prefix of VENDOR_PREFIXES) {
    if (lowerName.startsWith(prefix)) return !CREDENTIAL_NAME.test(lowerName);
  }
  return false;
}

/** Headers as node:http keeps them (incoming or outgoing), any case. */
export type HeaderFields = Record<string, string | number | string[] | undefined>;

/** Header names lower-cased, multi-valued headers joined with ', ', only harmless headers kept. */
export function redactHeaders(headers: HeaderFields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (!isHarmlessHeader(lower)) continue;
    out[lower] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** A head as the log store keeps it: the harmless headers as JSON. Every stored head goes through here. */
export function storedHead(headers: HeaderFields | null): string | null {
  return headers === null ? null : JSON.stringify(redactHeaders(headers));
}

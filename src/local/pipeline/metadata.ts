// cf-aig-metadata: a flat JSON object of string, number or boolean values; only the first 5 entries are kept.
// Cloudflare ignores the header when it holds nested objects or arrays, rather than refusing the request; a
// header that is not JSON, not an object, or holds a null is ignored the same way (the request goes through,
// its log has no metadata).

export type LogMetadata = Record<string, string | number | boolean>;

const MAX_ENTRIES = 5;

/** The metadata a header carries, or null when there is none or the header is ignored. */
export function parseMetadataHeader(header: string | undefined): LogMetadata | null {
  if (header === undefined || header.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const metadata: LogMetadata = {};
  let kept = 0;
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
    if (kept < MAX_ENTRIES) {
      metadata[key] = value;
      kept++;
    }
  }
  return kept > 0 ? metadata : null;
}

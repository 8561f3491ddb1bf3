// cf-aig-metadata: a JSON object of string, number or boolean values; only the first 5 entries are kept.

export type LogMetadata = Record<string, string | number | boolean>;

const MAX_ENTRIES = 5;

export function parseMetadataHeader(
  header: string | undefined,
): { metadata: LogMetadata | null } | { error: string } {
  if (header === undefined || header.trim() === '') return { metadata: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return { error: 'cf-aig-metadata must be a JSON object' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { error: 'cf-aig-metadata must be a JSON object' };
  }
  const metadata: LogMetadata = {};
  let kept = 0;
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return { error: `cf-aig-metadata values must be strings, numbers or booleans (key "${key}")` };
    }
    if (kept < MAX_ENTRIES) {
      metadata[key] = value;
      kept++;
    }
  }
  return { metadata: kept > 0 ? metadata : null };
}

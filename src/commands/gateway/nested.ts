// The nested gateway settings (dlp, guardrails, otel, spend_limits, stripe), checked against the API's schemas
// before anything is sent. The schemas are api-schema.ts's, which a unit test keeps equal to the contract's,
// so the CLI never loads the contract itself. Cloudflare drops keys it does not know without a
// word (`spend_limits={"daily":5}` would be stored as no rule at all), so what a user types is checked
// strictly: an unknown key is an error that lists the known ones.

import { type Issue, type Schema, validate } from '../../local/control-plane/validate.js';
import { gatewayUpdateSchema } from './api-schema.js';

export const nestedFields = ['dlp', 'guardrails', 'otel', 'spend_limits', 'stripe'];

function schemaOf(field: string): Schema {
  return gatewayUpdateSchema.properties![field]!;
}

/** `schema` with every object that lists its properties refusing any other key. */
function strict(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, strict(s)]));
    if (schema.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = strict(schema.additionalProperties);
  }
  if (schema.items) out.items = strict(schema.items);
  if (schema.anyOf) out.anyOf = schema.anyOf.map(strict);
  if (schema.oneOf) out.oneOf = schema.oneOf.map(strict);
  return out;
}

const alternatives = (schema: Schema): Schema[] =>
  [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]
    .flatMap(alternatives)
    .concat(schema.anyOf || schema.oneOf ? [] : [schema]);

/** The schema of the value at `path` inside `schema`, or the keys known where the path goes astray. */
function schemaAt(schema: Schema, path: string[]): { schema: Schema } | { unknown: number; known: string[] } {
  let here = [schema];
  for (const [at, step] of path.entries()) {
    const options = here.flatMap(alternatives);
    const next = options.flatMap((s) => {
      if (s.properties && Object.hasOwn(s.properties, step)) return [s.properties[step]!];
      if (s.items && /^\d+$/.test(step)) return [s.items];
      if (typeof s.additionalProperties === 'object') return [s.additionalProperties];
      return [];
    });
    if (next.length === 0) return { unknown: at, known: knownKeys(options) };
    here = next;
  }
  return { schema: here.length === 1 ? here[0]! : { anyOf: here } };
}

function knownKeys(options: Schema[]): string[] {
  return [...new Set(options.flatMap((s) => Object.keys(s.properties ?? {})))].sort();
}

function describeIssues(field: string, base: string[], root: Schema, issues: Issue[]): string {
  return issues
    .map((issue) => {
      const where = [field, ...base, ...issue.path].join('.');
      const own = issue.path.length === 0 ? 'the body' : `"${issue.path.join('.')}"`;
      let text = issue.message.replace(own, `"${where}"`);
      if (text.endsWith('is not allowed')) {
        const parent = schemaAt(root, issue.path.slice(0, -1));
        const known = 'schema' in parent ? knownKeys(alternatives(parent.schema)) : [];
        text = `${text.replace(/ is not allowed$/, ' is not a known key')}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`;
      }
      return text;
    })
    .join('; ');
}

/**
 * Why `value`, as typed by the user for `field` (or for `path` inside it, from --set a.b.c=...), does not
 * fit the API's schema, unknown keys included; null when it does.
 */
export function nestedProblem(field: string, value: unknown, path: string[] = []): string | null {
  const found = schemaAt(schemaOf(field), path);
  if ('unknown' in found) {
    const where = [field, ...path.slice(0, found.unknown)].join('.');
    const known = found.known.length > 0 ? ` (known: ${found.known.join(', ')})` : '';
    return `"${path[found.unknown]}" is not a key of ${where}${known}`;
  }
  const result = validate(strict(found.schema), value);
  return result.ok ? null : describeIssues(field, path, found.schema, result.issues);
}

/**
 * The problems of the nested settings a request is about to send (after --set paths were merged into the
 * current values): required keys and types only, since the current values are Cloudflare's own.
 */
export function nestedSettingsProblems(fields: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const field of nestedFields) {
    if (fields[field] === undefined) continue;
    const result = validate(schemaOf(field), fields[field]);
    if (!result.ok) problems.push(describeIssues(field, [], schemaOf(field), result.issues));
  }
  return problems;
}

// Custom providers in apply files: a top-level `providers: [{slug, base_url, name, description, link, position,
// beta, enable, headers}]` where each header's value says where it comes from ({env} or {file}), never the value.
// Each is matched with the account's provider of that slug: a missing one is created; one whose named fields or
// header names differ is updated (PATCH); one whose header values changed has them sent again ("rotate"); the rest
// send nothing. With --prune, a file that lists providers deletes the ones it does not name. Pure: no requests.
import {
  type CustomProvider,
  type CustomProviderFields,
  headerNames,
} from '../../client/custom-providers.js';
import { describeRef, type SecretRef, secretRefFromSpec } from './secret-ref.js';
import { sameValue, show } from './spec.js';

type ProviderSettings = Partial<Omit<CustomProviderFields, 'slug' | 'headers'>>;

export interface DesiredProvider {
  slug: string;
  /** Only the fields the file names (a new provider's name defaults to its slug). */
  fields: ProviderSettings;
  /** Header name → where its value comes from; undefined when the entry names no headers (left alone). */
  headers?: Record<string, SecretRef>;
}

type ProviderAction = 'create' | 'update' | 'rotate' | 'unchanged' | 'delete';

export interface ProviderPlanItem {
  action: ProviderAction;
  slug: string;
  /** The existing provider's id (update, rotate, unchanged, delete). */
  id?: string;
  /** What differs (update) or is set (create): `base_url: a → b`, `headers: x-api-key`. Never a secret. */
  changes: string[];
  /** Each header and where its value comes from: `x-api-key from $ACME_API_KEY`. */
  headers?: string[];
}

const SLUG = /^[a-zA-Z0-9_-]+$/;
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const fieldKinds: Record<keyof ProviderSettings & string, 'string' | 'url' | 'integer' | 'boolean'> = {
  name: 'string',
  base_url: 'url',
  description: 'string',
  link: 'string',
  position: 'integer',
  beta: 'boolean',
  enable: 'boolean',
  curl_example: 'string',
  js_example: 'string',
};

/** What the API answers for a field it leaves out. */
const absent: Record<string, unknown> = { beta: false, enable: true };

/** The providers a file lists (undefined when it has no `providers` key), or every problem with them. */
export function providersFromSpec(raw: unknown, errors: string[]): DesiredProvider[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    errors.push(`providers must be a list of {slug, base_url, ...}, not ${show(raw)}`);
    return [];
  }
  const out: DesiredProvider[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    let where = `providers[${i}]`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      errors.push(`${where}: must be an object with a slug and a base_url`);
      return;
    }
    const { slug, headers, ...rest } = entry as Record<string, unknown>;
    const before = errors.length;
    if (typeof slug !== 'string' || !SLUG.test(slug)) {
      errors.push(`${where}: slug must be letters, digits, - and _, not ${show(slug)}`);
    } else {
      where = `${where} (${slug})`;
      if (seen.has(slug)) errors.push(`${where}: the provider ${slug} is listed twice`);
      seen.add(slug);
    }
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
      const kind = fieldKinds[key as keyof typeof fieldKinds];
      if (!kind) {
        const known = ['slug', 'headers', ...Object.keys(fieldKinds)].join(', ');
        errors.push(`${where}: unknown key "${key}" (expected ${known})`);
        continue;
      }
      const problem = fieldProblem(kind, value);
      if (problem) errors.push(`${where}: ${key} ${problem}`);
      else fields[key] = value;
    }
    if (rest.base_url === undefined) errors.push(`${where}: base_url is missing`);
    let refs: Record<string, SecretRef> | undefined;
    if (headers !== undefined) {
      if (!headers || typeof headers !== 'object' || Array.isArray(headers)) {
        errors.push(`${where}: headers must map header names to {env: NAME} or {file: path}`);
      } else {
        refs = {};
        for (const [name, value] of Object.entries(headers)) {
          if (!HEADER.test(name)) errors.push(`${where}: headers: "${name}" cannot be a header name`);
          const ref = secretRefFromSpec(value, `${where}: headers.${name}`, errors);
          if (ref) refs[name] = ref;
        }
      }
    }
    if (errors.length > before) return;
    out.push({
      slug: slug as string,
      fields: fields as ProviderSettings,
      ...(refs ? { headers: refs } : {}),
    });
  });
  return out;
}

function fieldProblem(kind: string, value: unknown): string | null {
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false, not ${show(value)}`;
    case 'integer':
      return Number.isInteger(value) ? null : `must be a whole number, not ${show(value)}`;
    case 'url':
      return typeof value === 'string' && /^https?:\/\/[^/]/i.test(value) && URL.canParse(value)
        ? null
        : `must be an http or https URL, not ${show(value)}`;
    default:
      return typeof value === 'string' ? null : `must be a string, not ${show(value)}`;
  }
}

/** Whether the referenced header values differ from the ones the provider holds (secret-digests.ts decides). */
export type HeadersChanged = (desired: DesiredProvider, existing: CustomProvider) => boolean;

export function planProviders(
  desired: DesiredProvider[],
  existing: CustomProvider[],
  headersChanged: HeadersChanged,
  options: { prune?: boolean } = {},
): ProviderPlanItem[] {
  const bySlug = new Map(existing.map((p) => [p.slug, p]));
  const plan: ProviderPlanItem[] = desired.map((provider) => {
    const headers = provider.headers
      ? Object.entries(provider.headers).map(([name, ref]) => `${name} from ${describeRef(ref)}`)
      : undefined;
    const base = { slug: provider.slug, ...(headers ? { headers } : {}) };
    const current = bySlug.get(provider.slug);
    if (!current) {
      const fields = { name: provider.slug, ...provider.fields };
      const changes = Object.entries(fields).map(([f, v]) => `${f}=${String(v)}`);
      if (provider.headers) changes.push(`headers: ${Object.keys(provider.headers).join(', ') || 'none'}`);
      return { ...base, action: 'create', changes };
    }
    const now = current as unknown as Record<string, unknown>;
    const changes = Object.entries(provider.fields)
      .filter(([f, v]) => !sameValue(now[f] ?? absent[f] ?? null, v))
      .map(([f, v]) => `${f}: ${String(now[f] ?? absent[f] ?? null)} → ${String(v)}`);
    if (provider.headers) {
      const from = headerNames(current).sort();
      const to = Object.keys(provider.headers).sort();
      if (!sameValue(from, to))
        changes.push(`headers: ${from.join(', ') || 'none'} → ${to.join(', ') || 'none'}`);
    }
    const action =
      changes.length > 0
        ? 'update'
        : provider.headers && headersChanged(provider, current)
          ? 'rotate'
          : 'unchanged';
    return { ...base, action, id: current.id, changes };
  });
  if (options.prune) {
    const wanted = new Set(desired.map((p) => p.slug));
    for (const p of existing) {
      if (!wanted.has(p.slug)) plan.push({ action: 'delete', slug: p.slug, id: p.id, changes: [] });
    }
  }
  return plan;
}

/** The header values as the API takes them: one JSON object (also what the recorded digest is of). */
export function headersBody(names: string[], values: string[]): string {
  return JSON.stringify(
    Object.fromEntries(names.map((n, i) => [n, values[i]!]).sort(([a], [b]) => (a! < b! ? -1 : 1))),
  );
}

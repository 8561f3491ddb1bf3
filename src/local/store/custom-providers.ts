// Account-level custom providers in the store. The data plane looks one up by (account, slug) on every
// `custom-{slug}` request, so that lookup goes through an in-memory map that every write keeps current.
import { randomUUID } from 'node:crypto';
import type { Store } from './db.js';
import { AccountMemo } from './memo.js';
import { definedOnly, escapeLike } from './sql.js';

/** What create and update send (every field the contract's request bodies have). */
export interface CustomProviderFields {
  name: string;
  slug: string;
  base_url: string;
  /** A JSON object of extra upstream headers, kept as the string it came as. */
  headers?: string;
  description?: string;
  enable?: boolean;
  beta?: boolean;
  position?: number;
  link?: string;
  logo?: string;
  curl_example?: string;
  js_example?: string;
}

/** A stored custom provider; optional text fields are absent when never set. */
export interface CustomProvider extends CustomProviderFields {
  id: string;
  enable: boolean;
  beta: boolean;
  position: number;
  created_at: string;
  modified_at: string;
}

export interface CustomProviderFilter {
  /** Matches id, name or slug (substring, case-insensitive for ASCII). */
  search?: string;
  enable?: boolean;
  beta?: boolean;
}

export type CustomProviderListener = (
  accountId: string,
  before: CustomProvider | null,
  after: CustomProvider | null,
) => void;

const optionalText = [
  'headers',
  'description',
  'link',
  'logo',
  'curl_example',
  'js_example',
] as const satisfies readonly (keyof CustomProviderFields)[];

const columns = `id, slug, name, base_url, headers, description, enable, beta, position, link, logo,
  curl_example, js_example, created_at, modified_at`;

interface Row {
  id: string;
  slug: string;
  name: string;
  base_url: string;
  headers: string | null;
  description: string | null;
  enable: number;
  beta: number;
  position: number;
  link: string | null;
  logo: string | null;
  curl_example: string | null;
  js_example: string | null;
  created_at: string;
  modified_at: string;
}

export class CustomProviderRepository {
  private readonly bySlugMemo = new AccountMemo<CustomProvider>();
  private readonly listeners: CustomProviderListener[] = [];

  constructor(private readonly store: Store) {}

  /** Called after every create, update and delete (the response cache drops the provider's entries). */
  onChange(listener: CustomProviderListener): void {
    this.listeners.push(listener);
  }

  /** The provider a data-plane `custom-{slug}` names (enabled or not), or null. */
  bySlug(accountId: string, slug: string): CustomProvider | null {
    const hit = this.bySlugMemo.get(accountId, slug);
    if (hit !== undefined) return hit;
    const row = this.store
      .statement(`SELECT ${columns} FROM custom_providers WHERE account_id = ? AND slug = ?`)
      .get(accountId, slug) as Row | undefined;
    const provider = row ? fromRow(row) : null;
    this.bySlugMemo.set(accountId, slug, provider);
    return provider;
  }

  get(accountId: string, id: string): CustomProvider | null {
    const row = this.store
      .statement(`SELECT ${columns} FROM custom_providers WHERE account_id = ? AND id = ?`)
      .get(accountId, id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Providers of an account ordered by position, then name (as Cloudflare lists them). */
  list(accountId: string, filter: CustomProviderFilter, page: { limit: number; offset: number }) {
    const { where, args } = whereClause(accountId, filter);
    const rows = this.store
      .statement(
        `SELECT ${columns} FROM custom_providers WHERE ${where}
         ORDER BY position ASC, name ASC, id ASC LIMIT ? OFFSET ?`,
      )
      .all(...args, page.limit, page.offset) as unknown as Row[];
    return rows.map(fromRow);
  }

  count(accountId: string, filter: CustomProviderFilter): number {
    const { where, args } = whereClause(accountId, filter);
    const row = this.store
      .statement(`SELECT count(*) AS n FROM custom_providers WHERE ${where}`)
      .get(...args) as { n: number };
    return row.n;
  }

  /** Inserts a provider under a new uuid; returns null when the slug is taken in the account. */
  create(accountId: string, fields: CustomProviderFields, now: Date): CustomProvider | null {
    const stamp = now.toISOString();
    const id = randomUUID();
    const result = this.store
      .statement(
        `INSERT INTO custom_providers
           (account_id, id, slug, name, base_url, headers, description, enable, beta, position, link, logo,
            curl_example, js_example, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(accountId, id, ...values(fields), stamp, stamp);
    if (result.changes === 0) return null;
    const created = this.reload(accountId, id, null);
    this.emit(accountId, null, created);
    return created;
  }

  /**
   * Applies the given fields; the others keep their values. Returns null when there is no such provider and
   * 'slug-taken' when the new slug belongs to another provider of the account.
   */
  update(
    accountId: string,
    id: string,
    changes: Partial<CustomProviderFields>,
    now: Date,
  ): CustomProvider | 'slug-taken' | null {
    const before = this.get(accountId, id);
    if (!before) return null;
    const merged: CustomProviderFields = { ...before, ...definedOnly(changes) };
    try {
      this.store
        .statement(
          `UPDATE custom_providers SET slug = ?, name = ?, base_url = ?, headers = ?, description = ?,
             enable = ?, beta = ?, position = ?, link = ?, logo = ?, curl_example = ?, js_example = ?,
             modified_at = ?
           WHERE account_id = ? AND id = ?`,
        )
        .run(...values(merged), now.toISOString(), accountId, id);
    } catch (err) {
      if (isUniqueViolation(err)) return 'slug-taken';
      throw err;
    }
    const after = this.reload(accountId, id, before);
    this.emit(accountId, before, after);
    return after;
  }

  /** Deletes a provider; returns what was deleted, or null. */
  delete(accountId: string, id: string): CustomProvider | null {
    const before = this.get(accountId, id);
    if (!before) return null;
    this.store.statement('DELETE FROM custom_providers WHERE account_id = ? AND id = ?').run(accountId, id);
    this.bySlugMemo.set(accountId, before.slug, null);
    this.emit(accountId, before, null);
    return before;
  }

  /** Reads a provider back after a write and puts it in the memo under its (new) slug. */
  private reload(accountId: string, id: string, before: CustomProvider | null): CustomProvider {
    const provider = this.get(accountId, id);
    if (!provider) throw new Error(`custom provider ${id} vanished during a write`);
    if (before) this.bySlugMemo.set(accountId, before.slug, null);
    this.bySlugMemo.set(accountId, provider.slug, provider);
    return provider;
  }

  private emit(accountId: string, before: CustomProvider | null, after: CustomProvider | null): void {
    for (const listener of this.listeners) listener(accountId, before, after);
  }
}

/** The bound values, in column order, from slug to js_example. */
function values(fields: CustomProviderFields) {
  return [
    fields.slug,
    fields.name,
    fields.base_url,
    fields.headers ?? null,
    fields.description ?? null,
    fields.enable === false ? 0 : 1,
    fields.beta === true ? 1 : 0,
    fields.position ?? 0,
    fields.link ?? null,
    fields.logo ?? null,
    fields.curl_example ?? null,
    fields.js_example ?? null,
  ] as const;
}

function fromRow(row: Row): CustomProvider {
  const provider: CustomProvider = {
    id: row.id,
    slug: row.slug,
    name: row.name,
    base_url: row.base_url,
    enable: row.enable === 1,
    beta: row.beta === 1,
    position: row.position,
    created_at: row.created_at,
    modified_at: row.modified_at,
  };
  for (const field of optionalText) {
    const value = row[field];
    if (value !== null) provider[field] = value;
  }
  return provider;
}

function whereClause(accountId: string, filter: CustomProviderFilter) {
  let where = 'account_id = ?';
  const args: (string | number)[] = [accountId];
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search)}%`;
    where += ` AND (id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR slug LIKE ? ESCAPE '\\')`;
    args.push(pattern, pattern, pattern);
  }
  if (filter.enable !== undefined) {
    where += ' AND enable = ?';
    args.push(filter.enable ? 1 : 0);
  }
  if (filter.beta !== undefined) {
    where += ' AND beta = ?';
    args.push(filter.beta ? 1 : 0);
  }
  return { where, args };
}

function isUniqueViolation(err: unknown): boolean {
  // SQLITE_CONSTRAINT_UNIQUE
  return typeof err === 'object' && err !== null && (err as { errcode?: unknown }).errcode === 2067;
}

/**
 * The extra upstream headers a provider's `headers` string names: a JSON object whose values are strings.
 * Returns the pairs, or why the string is not usable.
 */
export function parseProviderHeaders(text: string): [string, string][] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'must be a JSON object of header names to string values (it is not valid JSON)';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'must be a JSON object of header names to string values';
  }
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (!HEADER_NAME.test(name)) return `names an invalid header ${JSON.stringify(name)}`;
    if (typeof value !== 'string') return `gives header "${name}" ${describeValue(value)}, not a string`;
    if (BAD_HEADER_VALUE.test(value)) return `gives header "${name}" a value with control characters`;
    pairs.push([name, value]);
  }
  return pairs;
}

/** RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Control characters other than tab (CR and LF would split the header). */
const BAD_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

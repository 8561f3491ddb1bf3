// Provider keys (BYOK) in the store: a gateway's provider configs (provider, alias, default flag, rate limit)
// and the secrets they point to. Secrets sit in their own table, are read by one method only (`keysFor`, for
// the data plane), and never leave this module in anything the API returns: answers carry a preview.
//
// The data plane asks for a gateway's keys on requests that carry no provider credentials of their own; that
// lookup goes through an in-memory map which every write here (and every gateway change) clears.
import { randomBytes } from 'node:crypto';
import { maskSecret } from '../../config/target.js';
import type { Store } from './db.js';
import { AccountMemo } from './memo.js';

/** What a create sends (the contract's aig_ProviderConfigCreateRequest, defaults filled in). */
export interface ProviderKeyFields {
  provider_slug: string;
  alias: string;
  default_config: boolean;
  rate_limit?: number;
  rate_limit_period: number;
  /** A new secret, or else `secret_id`: one already stored in the account. */
  secret?: string;
  secret_id?: string;
}

/** A provider config as the API returns it: never the secret, only its preview. */
export interface ProviderKey {
  id: string;
  gateway_id: string;
  provider_slug: string;
  alias: string;
  default_config: boolean;
  secret_id: string;
  secret_preview: string;
  rate_limit?: number;
  rate_limit_period: number;
  modified_at: string;
}

/** A stored key as the data plane uses it. `id` (the config's) names the key in cache keys; never the secret. */
export interface StoredKey {
  id: string;
  alias: string;
  secret: string;
}

/** One provider's keys in a gateway: by alias, and the one used when a request names none. */
interface ProviderKeySet {
  byAlias: ReadonlyMap<string, StoredKey>;
  /** The config flagged default_config, else the one with alias `default`, else none. */
  fallback: StoredKey | null;
}

/** A gateway's keys by provider slug. */
export type GatewayKeys = ReadonlyMap<string, ProviderKeySet>;

interface Row {
  id: string;
  gateway_id: string;
  provider_slug: string;
  alias: string;
  default_config: number;
  secret_id: string;
  preview: string;
  rate_limit: number | null;
  rate_limit_period: number;
  modified_at: string;
}

const select = `SELECT c.id, c.gateway_id, c.provider_slug, c.alias, c.default_config, c.secret_id, s.preview,
    c.rate_limit, c.rate_limit_period, c.modified_at
  FROM provider_configs c JOIN provider_secrets s ON s.account_id = c.account_id AND s.id = c.secret_id`;

const noKeys: GatewayKeys = new Map();

export class ProviderKeyRepository {
  private memo = new AccountMemo<GatewayKeys>();

  constructor(private readonly store: Store) {}

  /** Drops what the data plane remembers (a gateway was changed or deleted, taking its keys with it). */
  forget(): void {
    this.memo = new AccountMemo();
  }

  /** A gateway's configs, oldest first. */
  list(accountId: string, gatewayId: string, page: { limit: number; offset: number }): ProviderKey[] {
    const rows = this.store
      .statement(
        `${select} WHERE c.account_id = ? AND c.gateway_id = ? ORDER BY c.created_at, c.id LIMIT ? OFFSET ?`,
      )
      .all(accountId, gatewayId, page.limit, page.offset) as unknown as Row[];
    return rows.map(fromRow);
  }

  count(accountId: string, gatewayId: string): number {
    const row = this.store
      .statement('SELECT count(*) AS n FROM provider_configs WHERE account_id = ? AND gateway_id = ?')
      .get(accountId, gatewayId) as { n: number };
    return row.n;
  }

  get(accountId: string, gatewayId: string, id: string): ProviderKey | null {
    const row = this.store
      .statement(`${select} WHERE c.account_id = ? AND c.gateway_id = ? AND c.id = ?`)
      .get(accountId, gatewayId, id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /**
   * Stores a config (and its new secret). A default config takes the default flag from the provider's other
   * configs in the gateway. Returns 'alias-taken' when the provider already has a config with that alias in the
   * gateway, 'no-such-secret' when `secret_id` names no stored secret of the account.
   */
  create(
    accountId: string,
    gatewayId: string,
    fields: ProviderKeyFields,
    now: Date,
  ): ProviderKey | 'alias-taken' | 'no-such-secret' {
    const stamp = now.toISOString();
    const id = newId();
    return this.write(() => {
      const taken = this.store
        .statement(
          'SELECT 1 FROM provider_configs WHERE account_id = ? AND gateway_id = ? AND provider_slug = ? AND alias = ?',
        )
        .get(accountId, gatewayId, fields.provider_slug, fields.alias);
      if (taken) return 'alias-taken';
      let secretId = fields.secret_id;
      if (fields.secret !== undefined) {
        secretId = newId();
        this.store
          .statement(
            'INSERT INTO provider_secrets (account_id, id, value, preview, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(accountId, secretId, fields.secret, maskSecret(fields.secret), stamp, stamp);
      } else if (!secretId || !this.secretExists(accountId, secretId)) {
        return 'no-such-secret';
      }
      if (fields.default_config) {
        this.store
          .statement(
            `UPDATE provider_configs SET default_config = 0, modified_at = ?
             WHERE account_id = ? AND gateway_id = ? AND provider_slug = ? AND default_config = 1`,
          )
          .run(stamp, accountId, gatewayId, fields.provider_slug);
      }
      this.store
        .statement(
          `INSERT INTO provider_configs (account_id, gateway_id, id, provider_slug, alias, default_config, secret_id,
             rate_limit, rate_limit_period, created_at, modified_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          accountId,
          gatewayId,
          id,
          fields.provider_slug,
          fields.alias,
          fields.default_config ? 1 : 0,
          secretId,
          fields.rate_limit ?? null,
          fields.rate_limit_period,
          stamp,
          stamp,
        );
      return this.get(accountId, gatewayId, id)!;
    });
  }

  /** Replaces the secret a config uses (every config sharing that secret gets the new value). */
  rotate(accountId: string, gatewayId: string, id: string, secret: string, now: Date): ProviderKey | null {
    const stamp = now.toISOString();
    return this.write(() => {
      const config = this.get(accountId, gatewayId, id);
      if (!config) return null;
      this.store
        .statement(
          'UPDATE provider_secrets SET value = ?, preview = ?, modified_at = ? WHERE account_id = ? AND id = ?',
        )
        .run(secret, maskSecret(secret), stamp, accountId, config.secret_id);
      this.store
        .statement('UPDATE provider_configs SET modified_at = ? WHERE account_id = ? AND secret_id = ?')
        .run(stamp, accountId, config.secret_id);
      return this.get(accountId, gatewayId, id);
    });
  }

  /** Deletes a config (and its secret when no other config uses it); returns what was deleted, or null. */
  delete(accountId: string, gatewayId: string, id: string): ProviderKey | null {
    return this.write(() => {
      const config = this.get(accountId, gatewayId, id);
      if (!config) return null;
      this.store
        .statement('DELETE FROM provider_configs WHERE account_id = ? AND gateway_id = ? AND id = ?')
        .run(accountId, gatewayId, id);
      return config;
    });
  }

  /** The data plane's view of a gateway's keys, secrets included (memoized until the next write). */
  keysFor(accountId: string, gatewayId: string): GatewayKeys {
    const hit = this.memo.get(accountId, gatewayId);
    if (hit) return hit;
    const rows = this.store
      .statement(
        `SELECT c.id, c.provider_slug, c.alias, c.default_config, s.value
         FROM provider_configs c JOIN provider_secrets s ON s.account_id = c.account_id AND s.id = c.secret_id
         WHERE c.account_id = ? AND c.gateway_id = ?`,
      )
      .all(accountId, gatewayId) as unknown as {
      id: string;
      provider_slug: string;
      alias: string;
      default_config: number;
      value: string;
    }[];
    const keys = rows.length === 0 ? noKeys : groupByProvider(rows);
    this.memo.set(accountId, gatewayId, keys);
    return keys;
  }

  private secretExists(accountId: string, secretId: string): boolean {
    return (
      this.store
        .statement('SELECT 1 FROM provider_secrets WHERE account_id = ? AND id = ?')
        .get(accountId, secretId) !== undefined
    );
  }

  /** Runs `change` in a transaction and forgets the memoized keys. */
  private write<T>(change: () => T): T {
    const db = this.store.db;
    db.exec('BEGIN');
    try {
      const result = change();
      db.exec('COMMIT');
      return result;
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    } finally {
      this.forget();
    }
  }
}

function groupByProvider(
  rows: { id: string; provider_slug: string; alias: string; default_config: number; value: string }[],
): GatewayKeys {
  const byProvider = new Map<string, { byAlias: Map<string, StoredKey>; flagged: StoredKey | null }>();
  for (const row of rows) {
    let set = byProvider.get(row.provider_slug);
    if (!set) {
      set = { byAlias: new Map(), flagged: null };
      byProvider.set(row.provider_slug, set);
    }
    const key: StoredKey = { id: row.id, alias: row.alias, secret: row.value };
    set.byAlias.set(row.alias, key);
    if (row.default_config === 1) set.flagged = key;
  }
  const out = new Map<string, ProviderKeySet>();
  for (const [slug, set] of byProvider) {
    out.set(slug, { byAlias: set.byAlias, fallback: set.flagged ?? set.byAlias.get('default') ?? null });
  }
  return out;
}

function fromRow(row: Row): ProviderKey {
  const key: ProviderKey = {
    id: row.id,
    gateway_id: row.gateway_id,
    provider_slug: row.provider_slug,
    alias: row.alias,
    default_config: row.default_config === 1,
    secret_id: row.secret_id,
    secret_preview: row.preview,
    rate_limit_period: row.rate_limit_period,
    modified_at: row.modified_at,
  };
  if (row.rate_limit !== null) key.rate_limit = row.rate_limit;
  return key;
}

/** 32 hex characters, the shape of Cloudflare's ids. */
function newId(): string {
  return randomBytes(16).toString('hex');
}

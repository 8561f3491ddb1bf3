// Gateways in the store. The data plane reads them on every request, so reads go through an
// in-memory map that every write keeps current.
import type { Store } from './db.js';
import { AccountMemo } from './memo.js';
import { escapeLike } from './sql.js';

/** Every gateway field but the identity and the timestamps (what create and update send). */
export interface GatewaySettings {
  cache_ttl: number | null;
  cache_invalidate_on_update: boolean;
  collect_logs: boolean;
  rate_limiting_interval: number | null;
  rate_limiting_limit: number | null;
  rate_limiting_technique?: 'fixed' | 'sliding' | null;
  authentication?: boolean;
  logpush?: boolean;
  logpush_public_key?: string | null;
  log_management?: number | null;
  log_management_strategy?: 'STOP_INSERTING' | 'DELETE_OLDEST' | null;
  retry_max_attempts?: number | null;
  retry_delay?: number | null;
  retry_backoff?: 'constant' | 'linear' | 'exponential' | null;
  is_default?: boolean;
  [field: string]: unknown;
}

/** A gateway as the management API returns it. */
export interface Gateway extends GatewaySettings {
  id: string;
  created_at: string;
  modified_at: string;
}

interface Row {
  id: string;
  config: string;
  created_at: string;
  modified_at: string;
}

export class GatewayRepository {
  private readonly memo = new AccountMemo<Gateway>();
  private readonly listeners: ((accountId: string, before: Gateway | null, after: Gateway | null) => void)[] =
    [];
  private readonly deleting: ((accountId: string, id: string) => void)[] = [];

  constructor(private readonly store: Store) {}

  /** Called after every create, update and delete (the cache uses it for cache_invalidate_on_update). */
  onChange(listener: (accountId: string, before: Gateway | null, after: Gateway | null) => void): void {
    this.listeners.push(listener);
  }

  /** Called just before a gateway and its logs are deleted (the log writer stores what it holds first). */
  beforeDelete(listener: (accountId: string, id: string) => void): void {
    this.deleting.push(listener);
  }

  get(accountId: string, id: string): Gateway | null {
    const hit = this.memo.get(accountId, id);
    if (hit !== undefined) return hit;
    const row = this.store
      .statement('SELECT id, config, created_at, modified_at FROM gateways WHERE account_id = ? AND id = ?')
      .get(accountId, id) as Row | undefined;
    const gateway = row ? fromRow(row) : null;
    this.memo.set(accountId, id, gateway);
    return gateway;
  }

  /** Gateways of an account ordered by creation (newest first, as Cloudflare lists them). */
  list(accountId: string, options: { search?: string; limit: number; offset: number }): Gateway[] {
    const search = options.search ? `%${escapeLike(options.search)}%` : '%';
    const rows = this.store
      .statement(
        `SELECT id, config, created_at, modified_at FROM gateways
         WHERE account_id = ? AND id LIKE ? ESCAPE '\\'
         ORDER BY created_at DESC, id ASC LIMIT ? OFFSET ?`,
      )
      .all(accountId, search, options.limit, options.offset) as unknown as Row[];
    return rows.map(fromRow);
  }

  count(accountId: string, search?: string): number {
    const pattern = search ? `%${escapeLike(search)}%` : '%';
    const row = this.store
      .statement(`SELECT count(*) AS n FROM gateways WHERE account_id = ? AND id LIKE ? ESCAPE '\\'`)
      .get(accountId, pattern) as { n: number };
    return row.n;
  }

  /** Inserts a gateway; returns null when the id is taken. */
  create(accountId: string, id: string, settings: GatewaySettings, now: Date): Gateway | null {
    const stamp = now.toISOString();
    const result = this.store
      .statement(
        `INSERT INTO gateways (account_id, id, config, created_at, modified_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(accountId, id, JSON.stringify(settings), stamp, stamp);
    if (result.changes === 0) return null;
    const gateway = this.reload(accountId, id);
    this.emit(accountId, null, gateway);
    return gateway;
  }

  /** Replaces a gateway's settings; returns null when it does not exist. */
  update(accountId: string, id: string, settings: GatewaySettings, now: Date): Gateway | null {
    const before = this.get(accountId, id);
    if (!before) return null;
    this.store
      .statement('UPDATE gateways SET config = ?, modified_at = ? WHERE account_id = ? AND id = ?')
      .run(JSON.stringify(settings), now.toISOString(), accountId, id);
    const after = this.reload(accountId, id);
    this.emit(accountId, before, after);
    return after;
  }

  /** Deletes a gateway and its logs and cache; returns what was deleted, or null. */
  delete(accountId: string, id: string): Gateway | null {
    const before = this.get(accountId, id);
    if (!before) return null;
    for (const listener of this.deleting) listener(accountId, id);
    const db = this.store.db;
    db.exec('BEGIN');
    try {
      this.store.statement('DELETE FROM gateways WHERE account_id = ? AND id = ?').run(accountId, id);
      this.store.statement('DELETE FROM logs WHERE account_id = ? AND gateway_id = ?').run(accountId, id);
      this.store
        .statement('DELETE FROM cache_entries WHERE account_id = ? AND gateway_id = ?')
        .run(accountId, id);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    this.memo.set(accountId, id, null);
    this.emit(accountId, before, null);
    return before;
  }

  private reload(accountId: string, id: string): Gateway {
    this.memo.delete(accountId, id);
    const gateway = this.get(accountId, id);
    if (!gateway) throw new Error(`gateway ${id} vanished during a write`);
    return gateway;
  }

  private emit(accountId: string, before: Gateway | null, after: Gateway | null): void {
    for (const listener of this.listeners) listener(accountId, before, after);
  }
}

function fromRow(row: Row): Gateway {
  const settings = JSON.parse(row.config) as GatewaySettings;
  return { id: row.id, created_at: row.created_at, modified_at: row.modified_at, ...settings };
}

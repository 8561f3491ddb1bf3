// The response cache's store. Entries live in SQLite (cache_entries) so they survive restarts; a bounded
// in-memory LRU in front of it answers repeated hits without touching the database. Keys come from the
// pipeline's cache stage (pipeline/cache.ts).
import type { StatementSync } from 'node:sqlite';
import type { StoreRuntime } from '../runtime.js';

export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
  streamed: boolean;
  model: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  createdMs: number;
  expiresMs: number;
}

export interface CachePut extends Omit<CachedResponse, 'createdMs' | 'expiresMs'> {
  key: string;
  accountId: string;
  gatewayId: string;
  provider: string;
  ttlSeconds: number;
}

interface Row {
  created_ms: number;
  expires_ms: number;
  status: number;
  headers: string;
  body: Uint8Array;
  streamed: number;
  tokens_in: number | null;
  tokens_out: number | null;
  model: string | null;
}

/** The in-memory layer holds at most this many entries and bytes of bodies; bigger bodies stay on disk only. */
const MEMORY_ENTRIES = 2048;
const MEMORY_BYTES = 64 * 1024 * 1024;
const MEMORY_ENTRY_MAX_BYTES = 1024 * 1024;
const SWEEP_INTERVAL_MS = 60_000;

/** The row key: the entry key scoped to its gateway, so identical requests through two gateways stay apart. */
function rowKey(accountId: string, gatewayId: string, key: string): string {
  return `${accountId.length}:${accountId}${gatewayId.length}:${gatewayId}${key}`;
}

/**
 * Cached responses are shared with every reader: treat the returned object, its headers and its body
 * as read-only.
 */
export class ResponseCache {
  private readonly memory = new Map<string, CachedResponse>();
  private memoryBytes = 0;
  private lastSweepMs = 0;
  private readonly select: StatementSync;
  private readonly upsert: StatementSync;
  private readonly deleteOne: StatementSync;
  private readonly deleteGateway: StatementSync;
  private readonly providerKeys: StatementSync;
  private readonly deleteProvider: StatementSync;
  private readonly deleteExpired: StatementSync;

  constructor(private readonly runtime: StoreRuntime) {
    const db = runtime.store.db;
    this.select = db.prepare(
      `SELECT created_ms, expires_ms, status, headers, body, streamed, tokens_in, tokens_out, model
       FROM cache_entries WHERE key = ?`,
    );
    this.upsert = db.prepare(
      `INSERT OR REPLACE INTO cache_entries
         (key, account_id, gateway_id, provider, created_ms, expires_ms, status, headers, body, streamed,
          tokens_in, tokens_out, model)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deleteOne = db.prepare('DELETE FROM cache_entries WHERE key = ?');
    this.deleteGateway = db.prepare('DELETE FROM cache_entries WHERE account_id = ? AND gateway_id = ?');
    this.providerKeys = db.prepare('SELECT key FROM cache_entries WHERE account_id = ? AND provider = ?');
    this.deleteProvider = db.prepare('DELETE FROM cache_entries WHERE account_id = ? AND provider = ?');
    this.deleteExpired = db.prepare('DELETE FROM cache_entries WHERE expires_ms <= ?');
    runtime.gateways.onChange((accountId, before, after) => {
      const id = (after ?? before)?.id;
      if (id === undefined) return;
      // Deleted (the repository already removed the rows; the memory layer must forget too), re-created
      // under a deleted id, or updated with cache_invalidate_on_update on.
      if (!after || !before || after.cache_invalidate_on_update === true)
        this.invalidateGateway(accountId, id);
    });
    // An edited or deleted custom provider: its entries (under its old and its new slug) answer no more.
    runtime.customProviders.onChange((accountId, before, after) => {
      if (!before) return;
      this.invalidateProvider(accountId, `custom-${before.slug}`);
      if (after && after.slug !== before.slug) this.invalidateProvider(accountId, `custom-${after.slug}`);
    });
  }

  /** The live entry for `key`, or null; an expired entry is deleted on the way. */
  get(accountId: string, gatewayId: string, key: string, nowMs: number): CachedResponse | null {
    const k = rowKey(accountId, gatewayId, key);
    const held = this.memory.get(k);
    if (held) {
      if (held.expiresMs <= nowMs) {
        this.forget(k);
        this.deleteOne.run(k);
        return null;
      }
      // Refresh recency: a Map iterates in insertion order, so the first key is the least recently used.
      this.memory.delete(k);
      this.memory.set(k, held);
      return held;
    }
    const row = this.select.get(k) as Row | undefined;
    if (!row) return null;
    if (row.expires_ms <= nowMs) {
      this.deleteOne.run(k);
      return null;
    }
    const entry: CachedResponse = {
      status: row.status,
      headers: JSON.parse(row.headers) as [string, string][],
      body: Buffer.from(row.body.buffer, row.body.byteOffset, row.body.byteLength),
      streamed: row.streamed === 1,
      model: row.model,
      tokensIn: row.tokens_in,
      tokensOut: row.tokens_out,
      createdMs: row.created_ms,
      expiresMs: row.expires_ms,
    };
    this.remember(k, entry);
    return entry;
  }

  /** Stores a response for ttlSeconds (ignored when ttlSeconds <= 0), replacing any entry under the key. */
  put(entry: CachePut, nowMs: number): void {
    if (!(entry.ttlSeconds > 0)) return;
    const k = rowKey(entry.accountId, entry.gatewayId, entry.key);
    const expiresMs = nowMs + Math.round(entry.ttlSeconds * 1000);
    this.upsert.run(
      k,
      entry.accountId,
      entry.gatewayId,
      entry.provider,
      nowMs,
      expiresMs,
      entry.status,
      JSON.stringify(entry.headers),
      entry.body,
      entry.streamed ? 1 : 0,
      entry.tokensIn,
      entry.tokensOut,
      entry.model,
    );
    this.forget(k);
    this.remember(k, {
      status: entry.status,
      headers: entry.headers,
      body: entry.body,
      streamed: entry.streamed,
      model: entry.model,
      tokensIn: entry.tokensIn,
      tokensOut: entry.tokensOut,
      createdMs: nowMs,
      expiresMs,
    });
    if (nowMs - this.lastSweepMs >= SWEEP_INTERVAL_MS) {
      this.lastSweepMs = nowMs;
      this.deleteExpired.run(nowMs);
    }
  }

  /** Drops every entry of one gateway, on disk and in memory. */
  invalidateGateway(accountId: string, gatewayId: string): void {
    if (this.runtime.store.db.isOpen) this.deleteGateway.run(accountId, gatewayId);
    const prefix = rowKey(accountId, gatewayId, '');
    for (const k of this.memory.keys()) if (k.startsWith(prefix)) this.forget(k);
  }

  /** Drops every entry of one provider (e.g. `custom-acme`) in an account, in every gateway. */
  invalidateProvider(accountId: string, provider: string): void {
    if (!this.runtime.store.db.isOpen) return;
    // Every entry held in memory is also on disk (put writes both), so the disk rows name them all.
    const rows = this.providerKeys.all(accountId, provider) as { key: string }[];
    for (const row of rows) this.forget(row.key);
    this.deleteProvider.run(accountId, provider);
  }

  private remember(k: string, entry: CachedResponse): void {
    const size = entry.body.length;
    if (size > MEMORY_ENTRY_MAX_BYTES) return;
    this.memory.set(k, entry);
    this.memoryBytes += size;
    while (this.memory.size > MEMORY_ENTRIES || this.memoryBytes > MEMORY_BYTES) {
      const oldest = this.memory.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  private forget(k: string): void {
    const held = this.memory.get(k);
    if (!held) return;
    this.memory.delete(k);
    this.memoryBytes -= held.body.length;
  }
}

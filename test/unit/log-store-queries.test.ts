// The logs API's store queries: the plans SQLite picks for them (fixed statistics, so a fresh store plans as
// a large one does), and the chunked delete, which leaves logs written while it runs alone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultLocalGatewayOptions, type StoreRuntime } from '../../src/local/runtime.js';
import { CustomProviderRepository } from '../../src/local/store/custom-providers.js';
import { openStore, type Store } from '../../src/local/store/db.js';
import { GatewayRepository } from '../../src/local/store/gateways.js';
import { deleteLogs } from '../../src/local/store/logs/delete.js';
import { parseFilters } from '../../src/local/store/logs/filters.js';
import { type LogSelection, orderSql, selectionSql } from '../../src/local/store/logs/queries.js';
import { LogWriter } from '../../src/local/store/logs/writer.js';
import type { LogFilter } from '../../src/log-filters.js';
import { sampleRecord } from '../helpers/log-records.js';

let store: Store;
beforeEach(() => {
  store = openStore({ inMemory: true });
});
afterEach(() => store.close());

function selection(filters: LogFilter[]): LogSelection {
  const parsed = parseFilters(filters);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return { accountId: 'acct', gatewayId: 'gw', conditions: parsed.conditions };
}

function plan(sql: string, params: unknown[]): string {
  const rows = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as never[])) as {
    detail: string;
  }[];
  return rows.map((r) => r.detail).join('; ');
}

const page = (filters: LogFilter[]) => {
  const where = selectionSql(selection(filters));
  return plan(
    `SELECT id FROM logs WHERE ${where.sql} ORDER BY ${orderSql('created_at', 'desc')} LIMIT 50`,
    where.params,
  );
};
const count = (filters: LogFilter[]) => {
  const where = selectionSql(selection(filters));
  return plan(`SELECT count(*) FROM logs WHERE ${where.sql}`, where.params);
};

describe('log query plans', () => {
  it('find a newest page through an index, without sorting every log', () => {
    expect(page([])).toBe('SEARCH logs USING INDEX logs_by_gateway_time (account_id=? AND gateway_id=?)');
    expect(page([{ key: 'provider', operator: 'eq', value: ['openai'] }])).toContain(
      'logs_by_gateway_provider',
    );
    expect(page([{ key: 'cached', operator: 'eq', value: [true] }])).toContain('logs_by_gateway_cached');
    expect(page([{ key: 'feedback', operator: 'eq', value: [1] }])).toContain('logs_by_gateway_feedback');
    expect(page([{ key: 'cost', operator: 'gt', value: [0.1] }])).not.toContain('TEMP B-TREE');
  });

  it('look one event id up by its index instead of walking the gateway’s logs in time order', () => {
    expect(page([{ key: 'event_id', operator: 'eq', value: ['ev-1'] }])).toMatch(
      /^SEARCH logs USING INDEX logs_by_event/,
    );
    expect(page([{ key: 'id', operator: 'eq', value: ['01JC3R94FRD97JBCBX3S0ZAXKW'] }])).toMatch(
      /^SEARCH logs USING INDEX sqlite_autoindex_logs_1/,
    );
  });

  it('count numeric filters over the covering time index, not the rows and their bodies', () => {
    for (const key of ['cost', 'duration', 'tokens', 'tokens_in', 'tokens_out', 'feedback'] as const) {
      expect(count([{ key, operator: 'gt', value: [1] }]), key).toContain('COVERING INDEX');
    }
  });
});

describe('deleteLogs', () => {
  it('deletes the chosen logs in chunks and leaves logs written meanwhile alone', async () => {
    const runtime: StoreRuntime = {
      options: defaultLocalGatewayOptions,
      store,
      gateways: new GatewayRepository(store),
      customProviders: new CustomProviderRepository(store),
    };
    const writer = new LogWriter(runtime);
    for (let i = 0; i < 1000; i++)
      writer.enqueue(sampleRecord({ provider: i % 2 ? 'openai' : 'anthropic' }), {});
    writer.flush();
    const later: string[] = [];
    const chunks: number[] = [];
    const deleted = await deleteLogs(
      store,
      selection([{ key: 'provider', operator: 'eq', value: ['openai'] }]),
      {
        order: 'created_at',
        direction: 'desc',
        limit: 10_000,
        onChunk: ({ rows }) => {
          chunks.push(rows);
          // A newer openai log arrives between chunks: it was not chosen, so it stays.
          const record = sampleRecord({ provider: 'openai' });
          later.push(record.id);
          writer.enqueue(record, {});
          writer.flush();
        },
      },
    );
    expect(deleted).toBe(500);
    expect(chunks.length).toBeGreaterThan(1);
    const left = store.db.prepare("SELECT id FROM logs WHERE provider = 'openai' ORDER BY seq").all() as {
      id: string;
    }[];
    expect(left.map((r) => r.id)).toEqual(later);
    expect(store.db.prepare("SELECT count(*) AS n FROM logs WHERE provider = 'anthropic'").get()).toEqual({
      n: 500,
    });
    await writer.close();
  });
});

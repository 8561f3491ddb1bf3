// The log writer with a file store: batches are written by a thread with its own connection, and flush()
// still means "stored and visible" when it returns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultLocalGatewayOptions, type StoreRuntime } from '../../src/local/runtime.js';
import { openStore, type Store } from '../../src/local/store/db.js';
import { GatewayRepository } from '../../src/local/store/gateways.js';
import { type LogRecord, LogWriter } from '../../src/local/store/logs/writer.js';
import { sampleRecord, writeBatchWithDuplicate } from '../helpers/log-records.js';

// The thread test's records: the response head names a credential, the body is a view into a larger buffer
// (as bodies read from a socket are).
const record = (over: Partial<LogRecord> = {}): LogRecord =>
  sampleRecord({
    metadata: { user: 'u1' },
    responseHead: { 'content-type': 'application/json', authorization: 'Bearer sk-x' },
    requestBody: Buffer.from('xx{"model":"gpt-4o-mini"}yy').subarray(2, 25),
    ...over,
  });

describe('LogWriter with a file store', () => {
  let dir: string;
  let store: Store;
  let runtime: StoreRuntime;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-log-thread-'));
    store = openStore({ dataDir: dir });
    const gateways = new GatewayRepository(store);
    runtime = {
      options: { ...defaultLocalGatewayOptions, logBatchSize: 4 },
      store,
      gateways,
    } as StoreRuntime;
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = () =>
    store.db.prepare('SELECT id, request_body, response_head, metadata FROM logs ORDER BY seq').all() as {
      id: string;
      request_body: Uint8Array;
      response_head: string;
      metadata: string;
    }[];

  it('stores every record, in order and redacted, by the time flush() returns', async () => {
    const writer = new LogWriter(runtime);
    const records = Array.from({ length: 10 }, () => record());
    for (const r of records) writer.enqueue(r, {});
    writer.flush();
    const stored = rows();
    expect(stored.map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect(Buffer.from(stored[0]!.request_body).toString()).toBe('{"model":"gpt-4o-mini"}');
    expect(JSON.parse(stored[0]!.response_head)).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(stored[0]!.metadata)).toEqual({ user: 'u1' });
    await writer.close();
  });

  it('counts a record that cannot be stored and keeps the rest of its batch', async () => {
    const writer = new LogWriter(runtime);
    const expected = writeBatchWithDuplicate(writer, record);
    expect(rows().map((r) => r.id)).toEqual(expected);
    expect(writer.dropped).toBe(1);
    await writer.close();
  });

  it('keeps a log limit exact when records of the same gateway went through the thread first', async () => {
    const writer = new LogWriter(runtime);
    const first = [record(), record(), record()];
    for (const r of first) writer.enqueue(r, {});
    writer.flush();
    const retention = { log_management: 4, log_management_strategy: 'STOP_INSERTING' as const };
    const limited = [record(), record(), record()];
    for (const r of limited) writer.enqueue(r, retention);
    writer.flush();
    expect(rows().map((r) => r.id)).toEqual([...first, limited[0]!].map((r) => r.id));
    await writer.close();
  });

  it('writes what is pending on close, and records that arrive after it', async () => {
    const writer = new LogWriter(runtime);
    const a = record();
    writer.enqueue(a, {});
    await writer.close();
    const late = record();
    writer.enqueue(late, {});
    expect(rows().map((r) => r.id)).toEqual([a.id, late.id]);
  });
});

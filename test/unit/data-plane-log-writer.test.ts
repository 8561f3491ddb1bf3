import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultLocalGatewayOptions, type StoreRuntime } from '../../src/local/runtime.js';
import { CustomProviderRepository } from '../../src/local/store/custom-providers.js';
import { openStore, type Store } from '../../src/local/store/db.js';
import { GatewayRepository, type GatewaySettings } from '../../src/local/store/gateways.js';
import { redactHeaders } from '../../src/local/store/logs/redact.js';
import { LogWriter, newLogId } from '../../src/local/store/logs/writer.js';
import { sampleRecord as record, writeBatchWithDuplicate } from '../helpers/log-records.js';

const settings = (extra: Partial<GatewaySettings> = {}): GatewaySettings => ({
  cache_ttl: null,
  cache_invalidate_on_update: false,
  collect_logs: true,
  rate_limiting_interval: null,
  rate_limiting_limit: null,
  ...extra,
});

describe('LogWriter', () => {
  let store: Store;
  let runtime: StoreRuntime;

  const open = (batchSize = 500, flushMs = 50) => {
    store = openStore({ inMemory: true });
    runtime = {
      options: { ...defaultLocalGatewayOptions, logBatchSize: batchSize, logFlushMs: flushMs },
      store,
      gateways: new GatewayRepository(store),
      customProviders: new CustomProviderRepository(store),
    };
    runtime.gateways.create('acct', 'gw', settings(), new Date());
  };
  const count = (gatewayId = 'gw'): number =>
    (store.db.prepare('SELECT count(*) AS n FROM logs WHERE gateway_id = ?').get(gatewayId) as { n: number })
      .n;
  const ids = (gatewayId = 'gw'): string[] =>
    (
      store.db.prepare('SELECT id FROM logs WHERE gateway_id = ? ORDER BY seq').all(gatewayId) as {
        id: string;
      }[]
    ).map((r) => r.id);

  beforeEach(() => open());
  afterEach(() => store.close());

  it('writes nothing on enqueue, then everything after logFlushMs', async () => {
    open(500, 20);
    const writer = new LogWriter(runtime);
    for (let i = 0; i < 3; i++) writer.enqueue(record(), {});
    expect(count()).toBe(0);
    expect(writer.pending).toBe(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(count()).toBe(3);
    expect(writer.pending).toBe(0);
    await writer.close();
  });

  it('flushes full batches on later turns of the event loop, one transaction per batch', async () => {
    open(10, 60_000);
    const writer = new LogWriter(runtime);
    const db = store.db;
    const exec = db.exec.bind(db);
    const statements: string[] = [];
    db.exec = (sql: string) => {
      statements.push(sql);
      exec(sql);
    };
    for (let i = 0; i < 25; i++) writer.enqueue(record(), {});
    expect(count()).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(count()).toBe(10);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(count()).toBe(25);
    expect(statements).toEqual([
      'BEGIN IMMEDIATE',
      'COMMIT',
      'BEGIN IMMEDIATE',
      'COMMIT',
      'BEGIN IMMEDIATE',
      'COMMIT',
    ]);
    await writer.close();
  });

  it('stores every field, with camelCase mapped to the columns', async () => {
    const writer = new LogWriter(runtime);
    const r = record({ eventId: 'ev-1', step: 2, cached: true, customCost: true, error: 'reset' });
    writer.enqueue(r, {});
    writer.flush();
    const row = store.db.prepare('SELECT * FROM logs').get() as Record<string, unknown>;
    expect(row).toMatchObject({
      id: r.id,
      account_id: 'acct',
      gateway_id: 'gw',
      created_at: r.createdAt.toISOString(),
      created_ms: r.createdAt.getTime(),
      provider: 'openai',
      model: 'gpt-4o-mini',
      model_type: 'chat',
      path: 'chat/completions',
      status_code: 200,
      success: 1,
      cached: 1,
      duration: 12,
      tokens_in: 10,
      tokens_out: 20,
      cost: 0.0001,
      custom_cost: 1,
      metadata: '{"user":"u1","n":1,"flag":true}',
      step: 2,
      event_id: 'ev-1',
      user_agent: 'test/1.0',
      authentication: 0,
      request_size: 40,
      response_size: 80,
      error: 'reset',
    });
    expect(Buffer.from(row.request_body as Uint8Array).toString()).toBe('{"model":"gpt-4o-mini"}');
    await writer.close();
  });

  it('stores a metadata-only log when bodies are null', async () => {
    const writer = new LogWriter(runtime);
    writer.enqueue(record({ requestBody: null, responseBody: null }), {});
    await writer.close();
    const row = store.db.prepare('SELECT request_body, response_body FROM logs').get();
    expect(row).toEqual({ request_body: null, response_body: null });
  });

  it('loses nothing on close, and writes records enqueued after close', async () => {
    open(100, 60_000);
    const writer = new LogWriter(runtime);
    for (let i = 0; i < 1234; i++) writer.enqueue(record(), {});
    await writer.close();
    expect(count()).toBe(1234);
    expect(writer.pending).toBe(0);
    writer.enqueue(record(), {});
    expect(count()).toBe(1235);
  });

  it('keeps ids unique and increasing even for equal timestamps', () => {
    const a = newLogId(1_000);
    const b = newLogId(1_000);
    const c = newLogId(999);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(b > a).toBe(true);
    expect(c > b).toBe(true);
  });

  it('STOP_INSERTING: stores nothing once the gateway holds log_management logs', async () => {
    const writer = new LogWriter(runtime);
    const retention = { log_management: 5, log_management_strategy: 'STOP_INSERTING' as const };
    const first = Array.from({ length: 8 }, () => record());
    for (const r of first) writer.enqueue(r, retention);
    writer.enqueue(record({ gatewayId: 'other' }), retention);
    writer.flush();
    expect(ids()).toEqual(first.slice(0, 5).map((r) => r.id));
    expect(count('other')).toBe(1);
    // Room made by deleting logs (as the control plane does) is seen without a restart.
    store.db.prepare('DELETE FROM logs WHERE id IN (?, ?)').run(first[0]!.id, first[1]!.id);
    const later = Array.from({ length: 3 }, () => record());
    for (const r of later) writer.enqueue(r, retention);
    writer.flush();
    expect(ids()).toEqual([...first.slice(2, 5), ...later.slice(0, 2)].map((r) => r.id));
    await writer.close();
  });

  it('STOP_INSERTING counts logs already in the store when first used', async () => {
    const before = new LogWriter(runtime);
    for (let i = 0; i < 4; i++) before.enqueue(record(), {});
    await before.close();
    const writer = new LogWriter(runtime);
    for (let i = 0; i < 4; i++)
      writer.enqueue(record(), { log_management: 6, log_management_strategy: 'STOP_INSERTING' });
    await writer.close();
    expect(count()).toBe(6);
  });

  it('DELETE_OLDEST: deletes the oldest in chunks of 0.1% (at least 1) to make room', async () => {
    const writer = new LogWriter(runtime);
    const retention = { log_management: 5, log_management_strategy: 'DELETE_OLDEST' as const };
    const all = Array.from({ length: 12 }, () => record());
    for (const r of all) writer.enqueue(r, retention);
    await writer.close();
    expect(ids()).toEqual(all.slice(7).map((r) => r.id));
  });

  it('DELETE_OLDEST with a large limit removes 0.1% of it at once', async () => {
    const writer = new LogWriter(runtime);
    const retention = { log_management: 3000, log_management_strategy: 'DELETE_OLDEST' as const };
    const all = Array.from({ length: 3001 }, () => record({ requestBody: null, responseBody: null }));
    for (const r of all) writer.enqueue(r, retention);
    writer.flush();
    // The 3001st insert found 3000 logs: the 3 oldest (0.1% of 3000) went, leaving 2998.
    expect(count()).toBe(2998);
    expect(ids()[0]).toBe(all[3]!.id);
    await writer.close();
  });

  it('forgets counts of a deleted gateway', async () => {
    const writer = new LogWriter(runtime);
    const retention = { log_management: 2, log_management_strategy: 'STOP_INSERTING' as const };
    for (let i = 0; i < 3; i++) writer.enqueue(record(), retention);
    writer.flush();
    expect(count()).toBe(2);
    runtime.gateways.delete('acct', 'gw');
    runtime.gateways.create('acct', 'gw', settings(), new Date());
    for (let i = 0; i < 3; i++) writer.enqueue(record(), retention);
    writer.flush();
    expect(count()).toBe(2);
    await writer.close();
  });

  it('skips a record that cannot be stored without losing the rest of its batch', async () => {
    const writer = new LogWriter(runtime);
    const expected = writeBatchWithDuplicate(writer, record);
    expect(ids()).toEqual(expected);
    expect(writer.dropped).toBe(1);
    await writer.close();
  });

  it('keeps limit bookkeeping right after a batch had to be rolled back', async () => {
    const writer = new LogWriter(runtime);
    const d = record();
    writer.enqueue(d, {});
    writer.flush();
    const retention = { log_management: 3, log_management_strategy: 'STOP_INSERTING' as const };
    const [r1, r2, r3, r4] = [record(), record(), record(), record()];
    writer.enqueue({ ...d }, retention); // duplicate id: the batch's transaction fails
    for (const r of [r1!, r2!, r3!]) writer.enqueue(r, retention);
    writer.flush();
    expect(ids()).toEqual([d.id, r1!.id, r2!.id]);
    store.db.prepare('DELETE FROM logs WHERE id = ?').run(d.id);
    writer.enqueue(r4!, retention);
    writer.flush();
    expect(ids()).toEqual([r1!.id, r2!.id, r4!.id]);
    await writer.close();
  });

  it('never stores a credential header of the heads it is handed', async () => {
    const secrets = {
      Authorization: 'Bearer sk-secret-1',
      'x-api-key': 'sk-ant-secret-2',
      'api-key': 'azure-secret-3',
      'x-goog-api-key': 'AIza-secret-4',
      'cf-aig-authorization': 'Bearer cf-secret-5',
      'xi-api-key': 'eleven-secret-6',
      'proxy-authorization': 'Basic secret-7',
      cookie: 'session=secret-8',
      'x-custom-auth-token': 'secret-9',
      'Ocp-Apim-Subscription-Key': 'secret-12',
      'x-custom-key': 'secret-13',
    };
    const safe = {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'x-ratelimit-remaining-tokens': '7',
    };
    const writer = new LogWriter(runtime);
    writer.enqueue(
      record({
        requestHead: { ...secrets, ...safe },
        responseHead: { ...safe, 'Set-Cookie': ['a=secret-10', 'b=secret-11'] },
      }),
      {},
    );
    writer.enqueue(record({ requestHead: { ...safe, ...secrets } }), {});
    writer.enqueue(record({ requestHead: null }), {});
    await writer.close();
    const rows = store.db.prepare('SELECT request_head, response_head FROM logs ORDER BY seq').all() as {
      request_head: string | null;
      response_head: string | null;
    }[];
    const stored = JSON.stringify(rows);
    expect(stored).not.toMatch(/secret/);
    expect(JSON.parse(rows[0]!.request_head!)).toEqual(safe);
    expect(JSON.parse(rows[1]!.request_head!)).toEqual(safe);
    expect(JSON.parse(rows[0]!.response_head!)).toEqual(safe);
    expect(rows[2]!.request_head).toBeNull();
  });
});

describe('redactHeaders', () => {
  it('drops credentials, lower-cases names and joins repeated values', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer x',
        'X-Api-Key': 'k',
        'X-Goog-Api-Key': 'g',
        'Content-Type': 'application/json',
        Accept: ['a', 'b'],
        'x-missing': undefined,
        'X-Amz-Security-Token': 't',
      }),
    ).toEqual({ 'content-type': 'application/json', accept: 'a, b' });
  });

  it('drops a credential whatever its header is called, and keeps counters and telemetry', () => {
    const credentials = {
      'Ocp-Apim-Subscription-Key': 'azure-apim-secret',
      'x-custom-key': 'custom-secret',
      'x-portkey-api-key': 'pk-secret',
      'X-Goog-Api-Key': 'AIza-secret',
      'cf-aig-authorization': 'Bearer cf-secret',
      'x-amz-security-token': 'aws-secret',
      'sec-websocket-protocol': 'cf-aig-authorization.secret',
      'set-cookie': 'sid=secret',
      'x-my-gateway-pass': 'secret',
      'openai-api-key': 'sk-secret',
      referer: 'https://app.example/?access_token=secret',
    };
    const harmless = {
      'x-ratelimit-remaining-tokens': '149984',
      'x-ratelimit-limit-requests': '500',
      'anthropic-ratelimit-tokens-remaining': '39000',
      'openai-processing-ms': '321',
      'openai-organization': 'org-1',
      'anthropic-version': '2023-06-01',
      'x-stainless-package-version': '6.0.0',
      'x-request-id': 'req_1',
      'cf-aig-cache-key': 'greeting',
      'cf-aig-metadata': '{"user":"u1"}',
      'retry-after': '2',
    };
    const kept = redactHeaders({ ...credentials, ...harmless });
    expect(kept).toEqual(harmless);
    expect(JSON.stringify(kept)).not.toContain('secret');
  });
});

describe('LogWriter throughput', () => {
  // A measurement, not a timing assertion: set AIGW_MEASURE=1 to print the rate over 50,000 logs (the suite
  // writes 10,000, enough to cross many batches without costing seconds on a busy machine).
  it('writes every one of many realistic logs to a file-backed store', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'aigw-logs-'));
    const store = openStore({ dataDir: dir });
    try {
      const runtime: StoreRuntime = {
        options: { ...defaultLocalGatewayOptions },
        store,
        gateways: new GatewayRepository(store),
        customProviders: new CustomProviderRepository(store),
      };
      const writer = new LogWriter(runtime);
      const requestBody = Buffer.from(
        JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(900) }] }),
      );
      const responseBody = Buffer.from(
        JSON.stringify({ id: 'chatcmpl-1', choices: [{ message: { content: 'y'.repeat(1800) } }] }),
      );
      const head = {
        'content-type': 'application/json',
        'user-agent': 'OpenAI/JS 6.0',
        accept: 'application/json',
      };
      const total = process.env.AIGW_MEASURE ? 50_000 : 10_000;
      let longestBatchMs = 0;
      const started = performance.now();
      for (let i = 0; i < total; i++) {
        writer.enqueue(record({ requestBody, responseBody, requestHead: head, responseHead: head }), {});
        if (writer.pending >= runtime.options.logBatchSize) {
          const t = performance.now();
          writer.flush();
          longestBatchMs = Math.max(longestBatchMs, performance.now() - t);
        }
      }
      await writer.close();
      const seconds = (performance.now() - started) / 1000;
      const n = (store.db.prepare('SELECT count(*) AS n FROM logs').get() as { n: number }).n;
      expect(n).toBe(total);
      if (process.env.AIGW_MEASURE) {
        console.log(
          `log writer: ${Math.round(total / seconds)} logs/s (${total} logs, ~3 KB each, WAL file); ` +
            `longest batch of ${runtime.options.logBatchSize}: ${longestBatchMs.toFixed(1)} ms`,
        );
      }
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

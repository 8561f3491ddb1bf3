// Log writes that fail (a full disk, a database that refuses writes): the logs are kept in memory and retried
// until the store works again, so none is lost within the memory bound; past it the oldest are dropped and
// counted. GET /_aigw/health says so, and the proxy is told (it says it on stderr).

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type Cloudflare from 'cloudflare';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalGatewayOptions } from '../../src/local/runtime.js';
import type { LocalGateway } from '../../src/local/server.js';
import type { LogStoreEvent } from '../../src/local/store/logs/outcomes.js';
import { type CheckedApi, startCheckedApi } from '../helpers/control-plane.js';
import {
  ACCOUNT,
  createGateway,
  type FakeUpstream,
  openaiCompletion,
  startFakeUpstream,
} from '../helpers/fake-upstream.js';

let fake: FakeUpstream;
let dir: string;
let api: CheckedApi | null;
let events: LogStoreEvent[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aigw-log-failures-'));
  fake = await startFakeUpstream();
  fake.fallback = { json: openaiCompletion('hello') };
  events = [];
  api = null;
});
afterEach(async () => {
  await api?.gw.close();
  api?.recorder.assertClean();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Partial<LocalGatewayOptions> = {}): Promise<CheckedApi> {
  api = await startCheckedApi({
    inMemory: false,
    dataDir: dir,
    upstreams: { openai: `${fake.url}/v1` },
    onLogStore: (event) => events.push(event),
    ...options,
  });
  createGateway(api.gw, 'gw');
  return api;
}

/** A second connection to the store that makes every log insert fail, as a full disk would, until undone. */
function failLogWrites(): () => void {
  const db = new DatabaseSync(join(dir, 'aigw.db'), { timeout: 5000 });
  db.exec(`CREATE TRIGGER fail_logs BEFORE INSERT ON logs BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
  return () => {
    db.exec('DROP TRIGGER fail_logs');
    db.close();
  };
}

function chat(gw: LocalGateway): Promise<string> {
  return chatWith(gw, 'gpt-4o-mini');
}

async function chatWith(gw: LocalGateway, model: string): Promise<string> {
  const res = await fetch(`${gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return res.headers.get('cf-aig-log-id')!;
}

/** n requests, `concurrency` at a time; their log ids in the order they were sent. */
async function traffic(gw: LocalGateway, n: number, concurrency: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += concurrency) {
    ids.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, n - i) }, () => chat(gw)))));
  }
  return ids;
}

interface Health {
  status: 'ok' | 'degraded';
  version: string;
  uptime: number;
  logs: {
    pending: number;
    written: number;
    dropped: number;
    failing: string | null;
    drops: { cause: string; count: number }[];
  };
}

async function health(gw: LocalGateway): Promise<Health> {
  const res = await fetch(`${gw.url}/_aigw/health`);
  expect(res.status).toBe(200);
  return (await res.json()) as Health;
}

/** Waits until the gateway has the log of each of n requests (written, pending or dropped): a log is taken
 *  once its answer is sent, a moment after the client has it. */
async function allRecorded(gw: LocalGateway, n: number): Promise<void> {
  await expect
    .poll(() => {
      gw.runtime.logs.flush();
      const { pending, written, dropped } = gw.runtime.logs.health();
      return pending + written + dropped;
    })
    .toBe(n);
}

async function storedIds(cf: Cloudflare): Promise<string[]> {
  const ids: string[] = [];
  for await (const log of cf.aiGateway.logs.list('gw', {
    account_id: ACCOUNT,
    per_page: 50,
    order_by: 'created_at',
    order_by_direction: 'asc',
  })) {
    ids.push(log.id);
  }
  return ids;
}

describe('log writes that fail', () => {
  it('keeps every log while the store refuses writes and writes them all once it accepts them again', async () => {
    const { gw, cf } = await start();
    const works = failLogWrites();
    const ids = await traffic(gw, 120, 12);
    await allRecorded(gw, 120);
    const failing = await health(gw);
    expect(failing).toMatchObject({
      status: 'degraded',
      logs: { pending: 120, written: 0, dropped: 0, failing: 'disk full', drops: [] },
    });
    expect(events[0]).toMatchObject({ kind: 'failing', cause: 'disk full' });
    expect(events.filter((e) => e.kind === 'failing')).toHaveLength(1);

    works();
    gw.runtime.logs.flush();
    expect(await health(gw)).toMatchObject({
      status: 'ok',
      logs: { pending: 0, written: 120, dropped: 0, failing: null, drops: [] },
    });
    expect(events.at(-1)).toEqual({ kind: 'recovered', written: 120 });
    expect(await storedIds(cf)).toEqual([...ids].sort());
  });

  it('retries by itself, with no flush, and keeps taking logs meanwhile', async () => {
    const { gw, cf } = await start();
    const works = failLogWrites();
    const ids = await traffic(gw, 20, 5);
    await expect.poll(async () => (await health(gw)).logs.pending, { timeout: 10_000 }).toBe(20);
    works();
    ids.push(...(await traffic(gw, 10, 5)));
    // The next retry is at most 2 s away (the back-off starts at 50 ms and doubles).
    await expect
      .poll(async () => (await health(gw)).logs, { timeout: 10_000, interval: 100 })
      .toMatchObject({ pending: 0, written: 30, dropped: 0 });
    expect(await storedIds(cf)).toEqual([...ids].sort());
  });

  it('past the memory bound drops the oldest logs, counts them and says why', async () => {
    const { gw, cf } = await start({ maxLogMemoryBytes: 8 * 1024 });
    const works = failLogWrites();
    const ids = await traffic(gw, 40, 1);
    await allRecorded(gw, 40);
    const failing = (await health(gw)).logs;
    expect(failing.dropped).toBeGreaterThan(0);
    expect(failing.pending).toBeGreaterThan(0);
    expect(failing.pending + failing.dropped).toBe(40);
    const bound = 'over the log memory bound of 8 KB while writes failed: disk full';
    expect(failing.drops).toEqual([{ cause: bound, count: failing.dropped }]);
    expect(events).toContainEqual({ kind: 'dropped', cause: bound, count: expect.any(Number) });

    works();
    gw.runtime.logs.flush();
    const after = await health(gw);
    expect(after).toMatchObject({
      status: 'degraded',
      logs: { pending: 0, written: failing.pending, dropped: failing.dropped },
    });
    // The newest were kept.
    expect(await storedIds(cf)).toEqual(ids.slice(failing.dropped));
  });

  it('counts what the store still refuses at shutdown as dropped', async () => {
    const { gw } = await start();
    failLogWrites();
    await traffic(gw, 10, 5);
    await gw.close();
    expect(gw.runtime.logs.health()).toMatchObject({
      pending: 0,
      written: 0,
      dropped: 10,
      drops: [{ cause: 'writes still failing at shutdown: disk full', count: 10 }],
    });
  });

  it('drops a row that fails on its own (a constraint) and writes the others of its batch', async () => {
    const { gw, cf } = await start();
    const db = new DatabaseSync(join(dir, 'aigw.db'), { timeout: 5000 });
    // A log of model "bad" breaks a unique constraint: that row fails, not the store.
    db.exec(`CREATE TABLE blocker (model TEXT UNIQUE); INSERT INTO blocker VALUES ('bad');
      CREATE TRIGGER block_bad BEFORE INSERT ON logs WHEN NEW.model = 'bad'
      BEGIN INSERT INTO blocker VALUES (NEW.model); END`);
    db.close();
    fake.fallback = (req) => ({ json: openaiCompletion('hello', req.json().model) });
    const models = ['gpt-4o-mini', 'bad', 'gpt-4o-mini', 'gpt-4o-mini'];
    const ids = await Promise.all(models.map((model) => chatWith(gw, model)));
    await allRecorded(gw, 4);
    expect(await health(gw)).toMatchObject({
      status: 'degraded',
      logs: {
        pending: 0,
        written: 3,
        dropped: 1,
        failing: null,
        drops: [{ cause: 'could not be stored (UNIQUE constraint failed: blocker.model)', count: 1 }],
      },
    });
    expect(events.some((e) => e.kind === 'failing')).toBe(false);
    expect(await storedIds(cf)).toEqual(ids.filter((_, i) => models[i] !== 'bad').sort());
  });
});

describe('GET /_aigw/health', () => {
  it('answers ok with the counts, uptime and version, and refuses a foreign Host', async () => {
    const { gw } = await start();
    await traffic(gw, 3, 3);
    await allRecorded(gw, 3);
    const body = await health(gw);
    expect(body).toEqual({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      uptime: expect.any(Number),
      logs: { pending: 0, written: 3, dropped: 0, failing: null, drops: [] },
    });
    const foreign = await new Promise<number>((resolve, reject) => {
      const req = request(`${gw.url}/_aigw/health`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(foreign).toBe(403);
  });
});

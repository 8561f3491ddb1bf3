// Stopping the proxy while requests are in flight: they finish within the grace period instead of being reset,
// and one still running when it ends is cut and logged as cut by the proxy (not as a client that went away).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Pool } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import {
  ACCOUNT,
  createGateway,
  type FakeUpstream,
  openaiCompletion,
  startFakeUpstream,
} from '../helpers/fake-upstream.js';
import { startTestGateway } from '../helpers/local-gateway.js';

let fake: FakeUpstream;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aigw-shutdown-'));
  fake = await startFakeUpstream();
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(shutdownGraceMs: number): Promise<LocalGateway> {
  const gw = await startTestGateway({
    inMemory: false,
    dataDir: dir,
    shutdownGraceMs,
    upstreams: { openai: `${fake.url}/v1` },
  });
  createGateway(gw, 'gw');
  return gw;
}

function chat(gw: LocalGateway) {
  return fetch(`${gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  }).then(
    async (r) => ({ status: r.status, text: await r.text() }),
    (err: Error) => ({ status: 0, text: err.message }),
  );
}

function storedLogs(): { status_code: number; error: string | null }[] {
  const db = new DatabaseSync(join(dir, 'aigw.db'), { readOnly: true });
  try {
    return db.prepare('SELECT status_code, error FROM logs ORDER BY seq').all() as {
      status_code: number;
      error: string | null;
    }[];
  } finally {
    db.close();
  }
}

describe('shutdown', () => {
  it('lets requests in flight finish within the grace period', async () => {
    // Longer than the 2 s the proxy used to give them.
    fake.fallback = { json: openaiCompletion('finished'), delayMs: 2_500 };
    const gw = await start(5_000);
    const answers = Promise.all([chat(gw), chat(gw), chat(gw)]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const stopping = Date.now();
    await gw.close();
    // Done when the last answer is out, not at the end of the grace period.
    expect(Date.now() - stopping).toBeLessThan(4_500);
    expect((await answers).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(storedLogs().map((l) => l.status_code)).toEqual([200, 200, 200]);
  });

  it('logs a request it cuts when the grace period ends as cut by the proxy', async () => {
    fake.fallback = { json: openaiCompletion('too late'), delayMs: 5_000 };
    const gw = await start(200);
    const answer = chat(gw);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await gw.close();
    expect((await answer).status).not.toBe(200);
    expect(storedLogs()).toEqual([{ status_code: 503, error: 'cut by the proxy at shutdown' }]);
  });

  it('tells clients on kept-alive connections to go, so none sends a request that is then reset', async () => {
    fake.fallback = { json: openaiCompletion('ok'), delayMs: 40 };
    const gw = await start(5_000);
    const pool = new Pool(gw.url, { connections: 32, pipelining: 1, keepAliveTimeout: 60_000 });
    let answered = 0;
    const errors: string[] = [];
    // Each client sends again as soon as it has its answer, on the same connection, until nothing listens.
    const worker = async () => {
      for (;;) {
        try {
          const res = await pool.request({
            method: 'POST',
            path: `/v1/${ACCOUNT}/gw/openai/chat/completions`,
            headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
          });
          await res.body.arrayBuffer();
          answered++;
        } catch (err) {
          const code = (err as { code?: string }).code ?? String(err);
          if (code !== 'ECONNREFUSED') errors.push(code);
          return;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 32 }, worker));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await gw.close();
    await load;
    await pool.destroy();
    // Refused (nothing listens any more) is a request never sent; a reset one was sent and never answered.
    expect(errors).toEqual([]);
    expect(storedLogs()).toHaveLength(answered);
  });
});

// `aigw proxy` (the built bin, run as a user runs it) under a 32-concurrent load while a fault hits it: killed
// with -9 and started again on the same data directory, and a gateway deleted while requests to it run. A small,
// fast version of `npm run faults` (bench/faults.mjs), which reports the full figures.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDefaults } from '../../src/gateway-defaults.js';
import { type FakeUpstream, openaiCompletion, startFakeUpstream } from '../helpers/fake-upstream.js';
import { validateResponse } from '../helpers/openapi.js';
import { type CliSandbox, cliSandbox, type RunningProxy, startProxyProcess } from '../helpers/run-cli.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `done()` (checked every 20 ms): a busy machine answers slower, not fewer. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await sleep(20);
}

let sandbox: CliSandbox;
let fake: FakeUpstream;
let dataDir: string;
beforeEach(async () => {
  sandbox = cliSandbox();
  dataDir = join(sandbox.home, 'gw-data');
  fake = await startFakeUpstream();
  fake.fallback = { json: openaiCompletion('ok'), delayMs: 5 };
});
afterEach(async () => {
  await fake.close();
  sandbox.cleanup();
});

const start = () =>
  startProxyProcess(sandbox, ['--quiet', '--data-dir', dataDir, '--upstream', `openai=${fake.url}/v1`]);

/** A control-plane call, its answer checked against the contract. */
async function api(proxy: RunningProxy, method: string, path: string, body?: unknown) {
  const res = await fetch(`${proxy.apiUrl}${path}`, {
    method,
    headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { result_info?: { total_count: number } };
  validateResponse(method, path.split('?')[0]!, res.status, json);
  expect(res.status).toBe(200);
  return json;
}

const createGateway = (proxy: RunningProxy, id: string) =>
  api(proxy, 'POST', '/accounts/local/ai-gateway/gateways', { id, ...createDefaults });

async function logCount(proxy: RunningProxy, gateway: string): Promise<number> {
  const page = await api(proxy, 'GET', `/accounts/local/ai-gateway/gateways/${gateway}/logs?per_page=1`);
  return page.result_info!.total_count;
}

function storedIds(gateway: string): Set<string> {
  const db = new DatabaseSync(join(dataDir, 'aigw.db'), { readOnly: true });
  try {
    const rows = db.prepare('SELECT id FROM logs WHERE gateway_id = ?').all(gateway) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  } finally {
    db.close();
  }
}

interface Answer {
  gateway: string;
  status: number;
  logId: string | null;
  at: number;
}

/** 32 clients sending chat completions until stop() or until nothing listens any more. */
function load(proxy: RunningProxy, gatewayFor: (i: number) => string) {
  const answers: Answer[] = [];
  const chat: RequestInit = {
    method: 'POST',
    headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  };
  const gone = () => proxy.process.exitCode !== null || proxy.process.signalCode !== null;
  let stopped = false;
  // Client c sends requests c, c + 32, c + 64...
  const client = async (first: number) => {
    for (let i = first; !stopped; i += 32) {
      const gateway = gatewayFor(i);
      // Killed or gone: that request is never answered.
      const res = await fetch(`${proxy.url}/v1/local/${gateway}/openai/chat/completions`, chat)
        .then(async (r) => {
          await r.arrayBuffer();
          return r;
        })
        .catch(() => null);
      if (res === null) {
        if (gone()) return;
        continue;
      }
      answers.push({ gateway, status: res.status, logId: res.headers.get('cf-aig-log-id'), at: Date.now() });
    }
  };
  const running = Promise.all(Array.from({ length: 32 }, (_, c) => client(c)));
  return {
    answers,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

describe('aigw proxy under faults', () => {
  it('killed with -9 under load, starts again on its data directory with every log but the newest', async () => {
    const proxy = await start();
    await createGateway(proxy, 'gw');
    const traffic = load(proxy, () => 'gw');
    await until(() => traffic.answers.length >= 200);
    await sleep(1_000);
    const killedAt = Date.now();
    proxy.process.kill('SIGKILL');
    await traffic.stop();

    const again = await start();
    try {
      const stored = storedIds('gw');
      expect(await logCount(again, 'gw')).toBe(stored.size);
      // What was answered long enough before the kill is there; only the newest batches may be missing.
      const settled = traffic.answers.filter((a) => a.at < killedAt - 800);
      expect(settled.length).toBeGreaterThanOrEqual(200);
      expect(settled.filter((a) => !stored.has(a.logId!))).toEqual([]);
      expect(stored.size).toBeGreaterThanOrEqual(settled.length);
      // And the store takes new logs.
      const res = await fetch(`${again.url}/v1/local/gw/openai/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'after' }] }),
      });
      expect(res.status).toBe(200);
    } finally {
      expect(await again.stop()).toBe(0);
    }
    expect(storedIds('gw').size).toBeGreaterThan(0);
  });

  it('deletes a gateway under load: none of its logs remains or comes back, and its neighbour loses none', async () => {
    const proxy = await start();
    let bystander: Answer[];
    try {
      await createGateway(proxy, 'doomed');
      await createGateway(proxy, 'bystander');
      const traffic = load(proxy, (i) => (i % 2 ? 'doomed' : 'bystander'));
      await until(() => traffic.answers.length >= 200);
      await api(proxy, 'DELETE', '/accounts/local/ai-gateway/gateways/doomed');
      expect(storedIds('doomed').size).toBe(0);
      await sleep(300);
      await traffic.stop();
      await sleep(200);
      expect(storedIds('doomed').size).toBe(0);
      await createGateway(proxy, 'doomed');
      expect(await logCount(proxy, 'doomed')).toBe(0);

      bystander = traffic.answers.filter((a) => a.gateway === 'bystander');
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
    expect(bystander.length).toBeGreaterThan(100);
    expect(bystander.every((a) => a.status === 200)).toBe(true);
    const stored = storedIds('bystander');
    expect(bystander.filter((a) => !stored.has(a.logId!))).toEqual([]);
    expect(storedIds('doomed').size).toBe(0);
  });
});

// DELETE .../logs of the local gateway through the cloudflare SDK: filters, order, limit, the {success}
// envelope, errors; on an in-memory store and on a file store (whose selection runs on a thread of its own).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Cloudflare from 'cloudflare';
import type { LogDeleteParams } from 'cloudflare/resources/ai-gateway/logs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import {
  apiError,
  type CheckedApi,
  requiredGatewaySettings,
  startCheckedApi,
} from '../helpers/control-plane.js';
import { ACCOUNT, type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstream.js';
import { filtersParam, type Sent, sendTraffic } from '../helpers/log-traffic.js';

const account_id = ACCOUNT;
let fake: FakeUpstream;
const apis: CheckedApi[] = [];
const dir = mkdtempSync(join(tmpdir(), 'aigw-log-delete-'));

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  for (const api of apis) await api.gw.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const api of apis) api.recorder.assertClean();
});

async function startApi(store: 'memory' | 'file', name: string): Promise<CheckedApi> {
  const api = await startCheckedApi({
    upstreams: { openai: `${fake.url}/v1`, anthropic: fake.url },
    ...(store === 'file' ? { inMemory: false, dataDir: join(dir, name) } : {}),
  });
  apis.push(api);
  return api;
}

/** A new gateway with the logs sendTraffic makes. */
async function withTraffic(api: CheckedApi, gateway: string) {
  await api.cf.aiGateway.create({ account_id, id: gateway, ...requiredGatewaySettings });
  return sendTraffic(api.gw, fake, gateway, 'test-token');
}

/** The names of the logs left, oldest first. */
async function left(cf: Cloudflare, gateway: string, sent: Record<string, Sent>): Promise<string[]> {
  const page = await cf.aiGateway.logs.list(gateway, { account_id, per_page: 50, order_by_direction: 'asc' });
  return page.result.map((item) => Object.values(sent).find((s) => s.logId === item.id)!.name);
}

describe.each(['memory', 'file'] as const)('delete (%s store)', (store) => {
  let api: CheckedApi;
  let cf: Cloudflare;
  let gw: LocalGateway;
  let sent: Record<string, Sent>;
  // Each test deletes from a gateway of its own, with the same logs.
  let gateway = '';
  let gateways = 0;
  let names: string[];

  beforeAll(async () => {
    api = await startApi(store, `doomed-${store}`);
    ({ cf, gw } = api);
  });
  beforeEach(async () => {
    gateway = `doomed-${store}-${++gateways}`;
    sent = await withTraffic(api, gateway);
    names = Object.keys(sent);
  });

  /** What the first test deletes: the logs of failed requests. */
  async function deleteFailures() {
    const filters = filtersParam([{ key: 'success', operator: 'eq', value: [false] }]);
    const res = await cf.aiGateway.logs.delete(gateway, { account_id, filters }).asResponse();
    names = names.filter((n) => n !== 'fail');
    return res;
  }

  it('deletes the logs the filters select, and answers {success} alone', async () => {
    const res = await deleteFailures();
    expect(await res.json()).toEqual({ success: true });
    expect(await left(cf, gateway, sent)).toEqual(names);
  });

  it('deletes the first `limit` logs in the order asked for (oldest first by default)', async () => {
    await (await deleteFailures()).arrayBuffer();
    const steps: [LogDeleteParams, (remaining: string[]) => string[]][] = [
      [{ account_id, limit: 2 }, (r) => r.slice(2)],
      [
        { account_id, limit: 1, order_by: 'cost', order_by_direction: 'desc' },
        (r) => r.filter((n) => n !== 'custom'),
      ],
      [
        { account_id, limit: 2, order_by: 'tokens_out', order_by_direction: 'desc' },
        (r) => r.filter((n) => n !== 'slow' && n !== 'hit'),
      ],
      [{ account_id, limit: 1, order_by_direction: 'desc' }, (r) => r.slice(0, -1)],
    ];
    for (const [params, remaining] of steps) {
      await cf.aiGateway.logs.delete(gateway, params);
      names = remaining(names);
      expect(await left(cf, gateway, sent), JSON.stringify(params)).toEqual(names);
    }
  });

  it('without filters deletes every log (up to the limit), and no other gateway’s', async () => {
    await cf.aiGateway.create({ account_id, id: `kept-${store}`, ...requiredGatewaySettings });
    const kept = await fetch(`${gw.url}/v1/${account_id}/kept-${store}/openai/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"gpt-4o-mini","messages":[]}',
    });
    await kept.arrayBuffer();
    await cf.aiGateway.logs.delete(gateway, { account_id });
    expect(await left(cf, gateway, sent)).toEqual([]);
    expect((await cf.aiGateway.logs.list(`kept-${store}`, { account_id })).result).toHaveLength(1);
  });
});

describe('delete errors', () => {
  let cf: Cloudflare;
  const gateway = 'untouched';

  beforeAll(async () => {
    const api = await startApi('memory', gateway);
    await withTraffic(api, gateway);
    ({ cf } = api);
  });

  it('answers 400 (7001) for a bad limit, order or filter and deletes nothing', async () => {
    const bad: [Omit<LogDeleteParams, 'account_id'>, string[]][] = [
      [{ limit: 0 }, ['query', 'limit']],
      [{ limit: 10_001 }, ['query', 'limit']],
      [{ order_by: 'colour' as 'cost' }, ['query', 'order_by']],
      [{ order_by_direction: 'sideways' as 'asc' }, ['query', 'order_by_direction']],
      [
        {
          filters: filtersParam([
            { key: 'cost', operator: 'contains', value: ['1'] },
          ]) as LogDeleteParams['filters'],
        },
        ['query', 'filters', '0', 'operator'],
      ],
    ];
    for (const [params, path] of bad) {
      const err = await apiError(cf.aiGateway.logs.delete(gateway, { account_id, ...params }));
      expect(err.status, JSON.stringify(params)).toBe(400);
      expect(err.errors, JSON.stringify(params)).toEqual([expect.objectContaining({ code: 7001, path })]);
    }
    expect((await cf.aiGateway.logs.list(gateway, { account_id, per_page: 50 })).result).toHaveLength(11);
  });

  it('answers 404 (7002) for a gateway that does not exist', async () => {
    const err = await apiError(cf.aiGateway.logs.delete('missing', { account_id }));
    expect(err.status).toBe(404);
    expect(err.errors).toEqual([expect.objectContaining({ code: 7002 })]);
  });
});

// The gateways management API of the local gateway, driven by the official cloudflare SDK; every request
// and response is checked against Cloudflare's contract.
import type Cloudflare from 'cloudflare';
import { BadRequestError, NotFoundError } from 'cloudflare';
import type { AIGatewayCreateParams } from 'cloudflare/resources/ai-gateway/ai-gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { apiError, requiredGatewaySettings as required, startCheckedApi } from '../helpers/control-plane.js';
import type { ContractRecorder } from '../helpers/openapi.js';

const account_id = '3ebbcb006d4d46d7bb6a8c7f14676cb0';
let clock = Date.parse('2026-03-01T12:00:00.000Z');
const tick = (ms = 1000) => {
  clock += ms;
};

let gw: LocalGateway;
let cf: Cloudflare;
let recorder: ContractRecorder;

beforeAll(async () => {
  ({ gw, recorder, cf } = await startCheckedApi({ now: () => new Date(clock) }));
});
afterAll(() => gw.close());
afterEach(() => recorder.assertClean());

describe('create and get', () => {
  it('round-trips every field the contract accepts', async () => {
    const settings: Omit<AIGatewayCreateParams, 'account_id' | 'id'> = {
      cache_ttl: 3600,
      cache_invalidate_on_update: true,
      collect_logs: false,
      rate_limiting_interval: 60,
      rate_limiting_limit: 100,
      rate_limiting_technique: 'sliding',
      authentication: true,
      byok_only: true,
      log_classification: true,
      log_management: 100000,
      log_management_strategy: 'DELETE_OLDEST',
      logpush: true,
      logpush_public_key: 'public-key-of-at-least-16-chars',
      retry_max_attempts: 3,
      retry_delay: 500,
      retry_backoff: 'exponential',
      store_id: 'store-1',
      workers_ai_billing_mode: 'unified',
      zdr: true,
      dlp: {
        enabled: true,
        policies: [
          { id: 'pii', enabled: true, action: 'BLOCK', check: ['REQUEST', 'RESPONSE'], profiles: ['p1'] },
        ],
      },
      guardrails: { prompt: { P1: 'BLOCK', S1: 'FLAG' }, response: { S13: 'BLOCK' } },
      otel: [
        {
          url: 'https://otel.example/v1/traces',
          headers: { 'x-team': 'chat' },
          authorization: 'Bearer otel',
          content_type: 'protobuf',
        },
      ],
      spend_limits: {
        enabled: true,
        rules: [
          {
            id: 'daily',
            enabled: true,
            limitType: 'cost',
            limit: 12.5,
            window: 86400,
            technique: 'fixed',
            model: { mode: 'filter', values: ['gpt-4o'] },
            provider: { mode: 'filter', values: ['openai'] },
            metadata: { team: { mode: 'partition' }, app: { mode: 'filter', values: ['web'] } },
          },
        ],
      },
      stripe: { authorization: 'rk_test', usage_events: [{ payload: '{"event":"tokens"}' }] },
    };
    const created = await cf.aiGateway.create({ account_id, id: 'prod-chat', ...settings });
    const stamp = new Date(clock).toISOString();
    expect(created).toEqual({
      id: 'prod-chat',
      ...settings,
      is_default: false,
      created_at: stamp,
      modified_at: stamp,
    });
    expect(await cf.aiGateway.get('prod-chat', { account_id })).toEqual(created);
  });

  it('fills the contract’s declared defaults and reports is_default for the gateway named default', async () => {
    const created = await cf.aiGateway.create({ account_id, id: 'default', ...required, cache_ttl: null });
    expect(created).toMatchObject({ id: 'default', cache_ttl: null, is_default: true });
    expect(created.workers_ai_billing_mode).toBe('postpaid');
    await cf.aiGateway.delete('default', { account_id });
  });

  it('refuses a duplicate id with 7001 on body.id', async () => {
    await cf.aiGateway.create({ account_id, id: 'twice', ...required });
    const err = await apiError(cf.aiGateway.create({ account_id, id: 'twice', ...required }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.errors).toEqual([
      { code: 7001, message: expect.stringMatching(/already exists/), path: ['body', 'id'] },
    ]);
  });

  it.each(['Prod', 'a--b', '-a', 'a-', 'x'.repeat(65), 'white space'])('refuses the id %j', async (id) => {
    const err = await apiError(cf.aiGateway.create({ account_id, id, ...required }));
    expect(err.status).toBe(400);
    expect(err.errors).toEqual([
      { code: 7001, message: expect.stringContaining('Input Validation Error'), path: ['body', 'id'] },
    ]);
  });

  it('refuses a body missing a required field, or with wrong types and ranges', async () => {
    const { cache_ttl: _, ...missing } = required;
    const err = await apiError(cf.aiGateway.create({ account_id, id: 'incomplete', ...missing } as never));
    expect(err.errors).toEqual([
      { code: 7001, message: expect.stringMatching(/cache_ttl.*required/), path: ['body', 'cache_ttl'] },
    ]);

    const wrong = await apiError(
      cf.aiGateway.create({
        account_id,
        id: 'wrong',
        ...required,
        collect_logs: 'yes' as never,
        retry_max_attempts: 9,
        rate_limiting_technique: 'leaky' as never,
      }),
    );
    expect(wrong.errors.map((e) => (e as { path?: string[] }).path)).toEqual([
      ['body', 'collect_logs'],
      ['body', 'rate_limiting_technique'],
      ['body', 'retry_max_attempts'],
    ]);
    await expect(cf.aiGateway.get('wrong', { account_id })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('list', () => {
  const team = 'list-account';

  beforeAll(async () => {
    for (let i = 0; i < 25; i++) {
      tick();
      await cf.aiGateway.create({ account_id: team, id: `gw-${String(i).padStart(2, '0')}`, ...required });
    }
    tick();
    await cf.aiGateway.create({ account_id: team, id: 'team_b-chat', ...required });
  });

  it('auto-paginates with for await, newest first', async () => {
    const before = recorder.exchanges.length;
    const ids: string[] = [];
    for await (const gateway of cf.aiGateway.list({ account_id: team })) ids.push(gateway.id);
    expect(ids).toHaveLength(26);
    expect(new Set(ids).size).toBe(26);
    expect(ids.slice(0, 3)).toEqual(['team_b-chat', 'gw-24', 'gw-23']);
    // Pages of 20: two full or partial pages, then the empty page the SDK stops on.
    expect(recorder.exchanges.slice(before).map((e) => e.status)).toEqual([200, 200, 200]);
  });

  it('reports result_info and honours page and per_page', async () => {
    const page = await cf.aiGateway.list({ account_id: team, page: 3, per_page: 10 });
    expect(page.result.map((g) => g.id)).toEqual(['gw-05', 'gw-04', 'gw-03', 'gw-02', 'gw-01', 'gw-00']);
    expect(page.result_info).toEqual({ page: 3, per_page: 10, count: 6, total_count: 26 });
  });

  it('searches by id', async () => {
    const found: string[] = [];
    for await (const gateway of cf.aiGateway.list({ account_id: team, search: 'team_b' }))
      found.push(gateway.id);
    expect(found).toEqual(['team_b-chat']);
    const page = await cf.aiGateway.list({ account_id: team, search: 'gw-1' });
    expect(page.result_info).toMatchObject({ count: 10, total_count: 10 });
  });

  it.each([
    [{ per_page: 101 }, 'per_page'],
    [{ per_page: 0 }, 'per_page'],
    [{ page: 0 }, 'page'],
  ])('refuses %j with 7001 on the query parameter', async (query, name) => {
    const err = await apiError(cf.aiGateway.list({ account_id: team, ...query }));
    expect(err.status).toBe(400);
    expect(err.errors).toEqual([
      { code: 7001, message: expect.stringContaining(name), path: ['query', name] },
    ]);
  });
});

describe('update and delete', () => {
  it('replaces the whole gateway on update', async () => {
    const created = await cf.aiGateway.create({
      account_id,
      id: 'replace-me',
      ...required,
      retry_max_attempts: 2,
      dlp: { enabled: true, action: 'FLAG', profiles: ['p'] },
    });
    tick(5000);
    const updated = await cf.aiGateway.update('replace-me', { account_id, ...required, cache_ttl: 120 });
    expect(updated).toEqual({
      id: 'replace-me',
      ...required,
      cache_ttl: 120,
      workers_ai_billing_mode: 'postpaid',
      is_default: false,
      created_at: created.created_at,
      modified_at: new Date(clock).toISOString(),
    });
    expect(await cf.aiGateway.get('replace-me', { account_id })).toEqual(updated);
  });

  it('validates update bodies and answers 7002 for unknown gateways', async () => {
    const invalid = await apiError(
      cf.aiGateway.update('replace-me', { account_id, ...required, cache_ttl: -5 }),
    );
    expect(invalid.errors).toEqual([
      { code: 7001, message: expect.any(String), path: ['body', 'cache_ttl'] },
    ]);
    const missing = await apiError(cf.aiGateway.update('nobody-home', { account_id, ...required }));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.errors).toEqual([{ code: 7002, message: expect.stringContaining('Not Found') }]);
  });

  it('returns the deleted gateway, after which it is gone', async () => {
    const created = await cf.aiGateway.create({ account_id, id: 'short-lived', ...required });
    expect(await cf.aiGateway.delete('short-lived', { account_id })).toEqual(created);
    const err = await apiError(cf.aiGateway.get('short-lived', { account_id }));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.errors).toEqual([{ code: 7002, message: expect.stringContaining('Not Found') }]);
    const again = await apiError(cf.aiGateway.delete('short-lived', { account_id }));
    expect(again.status).toBe(404);
  });

  it('deletes the gateway’s logs with it', async () => {
    await cf.aiGateway.create({ account_id, id: 'with-logs', ...required });
    const insert = gw.runtime.store.db.prepare(
      `INSERT INTO logs (id, account_id, gateway_id, created_at, created_ms, provider, model, path, success, cached, duration)
       VALUES (?, ?, 'with-logs', '2026-03-01T00:00:00Z', 0, 'openai', 'gpt-4o', 'chat/completions', 1, 0, 5)`,
    );
    insert.run('log-1', account_id);
    insert.run('log-2', 'another-account');
    await cf.aiGateway.delete('with-logs', { account_id });
    const left = gw.runtime.store.db.prepare('SELECT id FROM logs ORDER BY id').all() as { id: string }[];
    expect(left.map((row) => row.id)).toEqual(['log-2']);
  });
});

describe('accounts are kept apart', () => {
  it('lists, reads, updates and deletes only the account’s own gateways', async () => {
    await cf.aiGateway.create({ account_id: 'acct-a', id: 'shared', ...required, cache_ttl: 10 });
    await cf.aiGateway.create({ account_id: 'acct-b', id: 'shared', ...required, cache_ttl: 20 });
    await cf.aiGateway.create({ account_id: 'acct-b', id: 'only-b', ...required });

    const listed = async (id: string) => {
      const ids: string[] = [];
      for await (const g of cf.aiGateway.list({ account_id: id })) ids.push(g.id);
      return ids.sort();
    };
    expect(await listed('acct-a')).toEqual(['shared']);
    expect(await listed('acct-b')).toEqual(['only-b', 'shared']);
    expect((await cf.aiGateway.get('shared', { account_id: 'acct-a' })).cache_ttl).toBe(10);
    await expect(cf.aiGateway.get('only-b', { account_id: 'acct-a' })).rejects.toBeInstanceOf(NotFoundError);

    await cf.aiGateway.delete('shared', { account_id: 'acct-a' });
    expect((await cf.aiGateway.get('shared', { account_id: 'acct-b' })).cache_ttl).toBe(20);
  });
});

describe('gateway URL', () => {
  it('points at this local gateway’s data plane', async () => {
    await cf.aiGateway.create({ account_id, id: 'url-gw', ...required });
    const url = await cf.aiGateway.urls.get('workers-ai', { account_id, gateway_id: 'url-gw' });
    expect(url).toBe(`${gw.url}/v1/${account_id}/url-gw/workers-ai`);
  });

  it('answers 7002 for an unknown gateway', async () => {
    const err = await apiError(cf.aiGateway.urls.get('openai', { account_id, gateway_id: 'nope' }));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.errors[0]?.code).toBe(7002);
  });
});

describe('contract coverage', () => {
  it('checks the responses of every gateway operation against the contract', async () => {
    const before = recorder.exchanges.length;
    await cf.aiGateway.create({ account_id, id: 'covered', ...required });
    await cf.aiGateway.get('covered', { account_id });
    await cf.aiGateway.urls.get('openai', { account_id, gateway_id: 'covered' });
    await cf.aiGateway.list({ account_id });
    await cf.aiGateway.update('covered', { account_id, ...required, cache_ttl: 60 });
    await cf.aiGateway.delete('covered', { account_id });
    const validated = recorder.exchanges.slice(before).filter((e) => !e.skipped);
    const operations = new Set(validated.map((e) => e.operationId));
    expect([...operations].sort()).toEqual([
      'aig-config-create-gateway',
      'aig-config-delete-gateway',
      'aig-config-fetch-gateway',
      'aig-config-get-gateway-url',
      'aig-config-list-gateway',
      'aig-config-update-gateway',
    ]);
  });
});

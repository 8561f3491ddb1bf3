// The datasets management API of the local gateway, driven by the official cloudflare SDK; every request and
// response is checked against Cloudflare's contract.
import type Cloudflare from 'cloudflare';
import { BadRequestError, NotFoundError } from 'cloudflare';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { apiError, requiredGatewaySettings, startCheckedApi } from '../helpers/control-plane.js';
import type { ContractRecorder } from '../helpers/openapi.js';

const account_id = '3ebbcb006d4d46d7bb6a8c7f14676cb0';
const gateway_id = 'evals-gw';
let clock = Date.parse('2026-03-01T12:00:00.000Z');

let gw: LocalGateway;
let cf: Cloudflare;
let recorder: ContractRecorder;

beforeAll(async () => {
  ({ gw, recorder, cf } = await startCheckedApi({ now: () => new Date(clock) }));
  await cf.aiGateway.create({ account_id, id: gateway_id, ...requiredGatewaySettings });
});
afterAll(() => gw.close());
afterEach(() => recorder.assertClean());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Filter = Cloudflare.AIGateway.DatasetCreateParams.Filter;

const errorsOnly: Filter[] = [{ key: 'success', operator: 'eq', value: [false] }];

function create(name: string, filters: Filter[] = errorsOnly, enable = true) {
  return cf.aiGateway.datasets.create(gateway_id, { account_id, name, enable, filters });
}

describe('create, get, replace, delete', () => {
  it('round-trips a dataset with a new uuid and its timestamps', async () => {
    const filters: Filter[] = [
      { key: 'provider', operator: 'eq', value: ['openai'] },
      { key: 'created_at', operator: 'gt', value: ['2026-02-01T00:00:00Z'] },
      { key: 'cost', operator: 'lt', value: [0.5] },
      { key: 'model', operator: 'contains', value: ['gpt'] },
    ];
    const created = await create('openai-recent', filters);
    const stamp = new Date(clock).toISOString();
    expect(created).toEqual({
      id: expect.stringMatching(UUID),
      gateway_id,
      name: 'openai-recent',
      enable: true,
      filters,
      created_at: stamp,
      modified_at: stamp,
    });
    expect(await cf.aiGateway.datasets.get(created.id, { account_id, gateway_id })).toEqual(created);

    clock += 60_000;
    const replaced = await cf.aiGateway.datasets.update(created.id, {
      account_id,
      gateway_id,
      name: 'errors',
      enable: false,
      filters: errorsOnly,
    });
    expect(replaced).toEqual({
      ...created,
      name: 'errors',
      enable: false,
      filters: errorsOnly,
      modified_at: new Date(clock).toISOString(),
    });

    const deleted = await cf.aiGateway.datasets.delete(created.id, { account_id, gateway_id });
    expect(deleted).toEqual(replaced);
    const gone = await apiError(cf.aiGateway.datasets.get(created.id, { account_id, gateway_id }));
    expect(gone).toBeInstanceOf(NotFoundError);
    expect(gone.errors).toEqual([{ code: 7002, message: `Not Found: no dataset with id "${created.id}"` }]);
  });

  it('answers 404 (7002) for an unknown dataset or gateway', async () => {
    for (const call of [
      () => cf.aiGateway.datasets.get('nope', { account_id, gateway_id }),
      () => cf.aiGateway.datasets.delete('nope', { account_id, gateway_id }),
      () =>
        cf.aiGateway.datasets.update('nope', {
          account_id,
          gateway_id,
          name: 'x',
          enable: true,
          filters: [],
        }),
      () => cf.aiGateway.datasets.create('no-such-gw', { account_id, name: 'x', enable: true, filters: [] }),
      () => cf.aiGateway.datasets.list('no-such-gw', { account_id }),
    ]) {
      const err = await apiError(call());
      expect(err.status).toBe(404);
      expect(err.errors[0]?.code).toBe(7002);
    }
    // Another account does not see this one's gateway.
    const other = await apiError(cf.aiGateway.datasets.list(gateway_id, { account_id: 'other-account' }));
    expect(other.status).toBe(404);
  });
});

describe('validation', () => {
  const refused = async (body: unknown) => {
    const err = await apiError(
      cf.aiGateway.datasets.create(gateway_id, {
        account_id,
        ...(body as object),
      } as Cloudflare.AIGateway.DatasetCreateParams),
    );
    expect(err).toBeInstanceOf(BadRequestError);
    return err.errors.map((e) => ({ code: e.code, path: (e as { path?: string[] }).path }));
  };

  it('requires name, enable and filters', async () => {
    expect(await refused({ name: 'x', filters: [] })).toEqual([{ code: 7001, path: ['body', 'enable'] }]);
    expect(await refused({ enable: true, filters: [] })).toEqual([{ code: 7001, path: ['body', 'name'] }]);
    expect(await refused({ name: ' ', enable: true, filters: [] })).toEqual([
      { code: 7001, path: ['body', 'name'] },
    ]);
  });

  it('takes only the keys and operators datasets have, with values that fit them', async () => {
    const bad = (filter: unknown) => refused({ name: 'x', enable: true, filters: [errorsOnly[0], filter] });
    expect(await bad({ key: 'event_id', operator: 'eq', value: ['e'] })).toEqual([
      { code: 7001, path: ['body', 'filters', '1', 'key'] },
    ]);
    expect(await bad({ key: 'provider', operator: 'neq', value: ['openai'] })).toEqual([
      { code: 7001, path: ['body', 'filters', '1', 'operator'] },
    ]);
    expect(await bad({ key: 'cost', operator: 'contains', value: [1] })).toEqual([
      { code: 7001, path: ['body', 'filters', '1', 'operator'] },
    ]);
    expect(await bad({ key: 'duration', operator: 'gt', value: ['fast'] })).toEqual([
      { code: 7001, path: ['body', 'filters', '1', 'value', '0'] },
    ]);
    expect(await bad({ key: 'created_at', operator: 'gt', value: ['yesterday'] })).toEqual([
      { code: 7001, path: ['body', 'filters', '1', 'value', '0'] },
    ]);
    expect(await bad({ key: 'cost', operator: 'gt', value: [1, 2] })).toEqual([
      { code: 7001, path: ['body', 'filters', '1', 'value'] },
    ]);
    expect(await bad({ key: 'model', operator: 'eq', value: [] })).toEqual([
      { code: 7001, path: ['body', 'filters', '1', 'value'] },
    ]);
  });
});

describe('list', () => {
  it('pages newest first and filters by name, enable and search', async () => {
    const other = 'list-gw';
    await cf.aiGateway.create({ account_id, id: other, ...requiredGatewaySettings });
    const made: string[] = [];
    for (const [name, enable, provider] of [
      ['alpha', true, 'openai'],
      ['beta', false, 'anthropic'],
      ['gamma', true, 'openai'],
    ] as const) {
      clock += 1000;
      const dataset = await cf.aiGateway.datasets.create(other, {
        account_id,
        name,
        enable,
        filters: [{ key: 'provider', operator: 'eq', value: [provider] }],
      });
      made.push(dataset.id);
    }
    const names = async (query: Omit<Cloudflare.AIGateway.DatasetListParams, 'account_id'>) =>
      (await cf.aiGateway.datasets.list(other, { account_id, ...query })).result.map((d) => d.name);
    expect(await names({})).toEqual(['gamma', 'beta', 'alpha']);
    expect(await names({ per_page: 2, page: 2 })).toEqual(['alpha']);
    expect(await names({ name: 'beta' })).toEqual(['beta']);
    expect(await names({ enable: true })).toEqual(['gamma', 'alpha']);
    expect(await names({ search: 'anthropic' })).toEqual(['beta']);
    expect(await names({ search: made[0]!.slice(0, 8) })).toEqual(['alpha']);
    // Every page, through the SDK's own paging.
    const all = [];
    for await (const d of cf.aiGateway.datasets.list(other, { account_id, per_page: 1 })) all.push(d.name);
    expect(all).toEqual(['gamma', 'beta', 'alpha']);
    // The other gateway's datasets are its own.
    expect((await cf.aiGateway.datasets.list(gateway_id, { account_id, name: 'alpha' })).result).toEqual([]);
  });
});

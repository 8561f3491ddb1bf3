// Evaluation types and evaluations of the local gateway, driven by the official cloudflare SDK with every request
// and response checked against Cloudflare's contract. Logs of known cost, duration and feedback are stored
// through the gateway's own log writer, so each result can be checked to the digit.
import type Cloudflare from 'cloudflare';
import { BadRequestError, NotFoundError } from 'cloudflare';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { EvaluationRepository } from '../../src/local/store/evaluations.js';
import { type LogRecord, newLogId } from '../../src/local/store/logs/writer.js';
import { apiError, requiredGatewaySettings, startCheckedApi } from '../helpers/control-plane.js';
import { sampleRecord } from '../helpers/log-records.js';
import type { ContractRecorder } from '../helpers/openapi.js';

const account_id = '3ebbcb006d4d46d7bb6a8c7f14676cb0';
let clock = Date.parse('2026-03-01T12:00:00.000Z');

let gw: LocalGateway;
let cf: Cloudflare;
let recorder: ContractRecorder;

beforeAll(async () => {
  ({ gw, recorder, cf } = await startCheckedApi({ now: () => new Date(clock) }));
});
afterAll(() => gw.close());
afterEach(() => recorder.assertClean());

async function gateway(id: string) {
  await cf.aiGateway.create({ account_id, id, ...requiredGatewaySettings });
}

/** Stores a log of `gatewayId` written at `atMs` (default: now on the test clock); returns its id. */
function storeLog(gatewayId: string, fields: Partial<LogRecord>, atMs = clock): string {
  const id = newLogId(atMs);
  gw.runtime.logs.enqueue(
    sampleRecord({ id, accountId: account_id, gatewayId, createdAt: new Date(atMs), ...fields }),
    {},
  );
  return id;
}

async function dataset(
  gatewayId: string,
  name: string,
  filters: Cloudflare.AIGateway.DatasetCreateParams.Filter[],
) {
  return (await cf.aiGateway.datasets.create(gatewayId, { account_id, name, enable: true, filters })).id;
}

/** GET until the evaluation is processed (it is processed in the background after it is created). */
async function processed(gatewayId: string, id: string) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const evaluation = await cf.aiGateway.evaluations.get(id, { account_id, gateway_id: gatewayId });
    if (evaluation.processed || Date.now() > deadline) return evaluation;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const resultsByType = (evaluation: { results: Cloudflare.AIGateway.EvaluationGetResponse['results'] }) =>
  Object.fromEntries(
    evaluation.results.map((r) => [
      r.evaluation_type_id,
      {
        result: r.result,
        status: r.status,
        status_description: r.status_description,
        total_logs: r.total_logs,
      },
    ]),
  );

describe('evaluation types', () => {
  it('lists cost, speed and performance, mandatory first, as the contract says', async () => {
    const page = await cf.aiGateway.evaluationTypes.list({ account_id });
    expect(page.result.map((t) => [t.id, t.type, t.mandatory])).toEqual([
      ['cost', 'cost', true],
      ['speed', 'speed', true],
      ['performance', 'performance', false],
    ]);
    expect(page.result_info).toEqual({ page: 1, per_page: 20, count: 3, total_count: 3 });
    for (const type of page.result) {
      expect(type.enable).toBe(true);
      expect(type.description).not.toBe('');
    }
    const byName = await cf.aiGateway.evaluationTypes.list({
      account_id,
      order_by: 'name',
      order_by_direction: 'asc',
      per_page: 5,
    });
    expect(byName.result.map((t) => t.name)).toEqual(['Cost', 'Human feedback', 'Speed']);
  });

  it('refuses a page size outside 5..50 and an unknown order', async () => {
    for (const query of [{ per_page: 4 }, { per_page: 51 }, { order_by: 'colour' }]) {
      const err = await apiError(cf.aiGateway.evaluationTypes.list({ account_id, ...query }));
      expect(err).toBeInstanceOf(BadRequestError);
      expect(err.errors[0]?.code).toBe(7001);
    }
  });
});

describe('evaluations', () => {
  // Each test evaluates the same logs and datasets, in a gateway of its own.
  let gateway_id = '';
  let gateways = 0;
  let logs: Record<string, string> = {};
  let ids: Record<string, string> = {};

  beforeEach(async () => {
    gateway_id = `ev-gw-${++gateways}`;
    logs = {};
    ids = {};
    await gateway(gateway_id);
    clock += 1000;
    logs.cheap = storeLog(gateway_id, { provider: 'openai', success: true, cost: 0.001, duration: 100 });
    logs.dear = storeLog(gateway_id, { provider: 'openai', success: true, cost: 0.003, duration: 300 });
    logs.oops = storeLog(gateway_id, { provider: 'openai', success: false, cost: null, duration: 50 });
    logs.down = storeLog(gateway_id, { provider: 'anthropic', success: false, cost: null, duration: 70 });
    logs.other = storeLog(gateway_id, { provider: 'anthropic', success: true, cost: 0.002, duration: 200 });
    // Written after the evaluations are created (its time is later): never part of them.
    logs.later = storeLog(
      gateway_id,
      { provider: 'openai', success: false, cost: 5, duration: 9999 },
      clock + 600_000,
    );
    for (const [log, feedback] of [
      ['cheap', 1],
      ['dear', -1],
      ['down', 1],
      ['other', -1],
    ] as const) {
      await cf.aiGateway.logs.edit(logs[log]!, { account_id, gateway_id, feedback });
    }
    ids.errors = await dataset(gateway_id, 'errors', [{ key: 'success', operator: 'eq', value: [false] }]);
    ids.openai = await dataset(gateway_id, 'openai', [
      { key: 'provider', operator: 'eq', value: ['openai'] },
    ]);
  });

  /** Creates the evaluation of the `errors` dataset by cost, speed and performance, a second later. */
  function errorsEvaluation() {
    clock += 1000;
    return cf.aiGateway.evaluations.create(gateway_id, {
      account_id,
      name: 'errors',
      dataset_ids: [ids.errors!],
      evaluation_type_ids: ['cost', 'speed', 'performance'],
    });
  }

  /** Creates the evaluation of both datasets (errors twice), a second later. */
  function bothEvaluation() {
    clock += 1000;
    return cf.aiGateway.evaluations.create(gateway_id, {
      account_id,
      name: 'errors and openai',
      dataset_ids: [ids.errors!, ids.openai!, ids.errors!],
      evaluation_type_ids: ['speed', 'cost', 'performance', 'cost'],
    });
  }

  it('is answered unprocessed, with a pending result per type, then processed in the background', async () => {
    const created = await errorsEvaluation();
    const stamp = new Date(clock).toISOString();
    expect(created).toMatchObject({ gateway_id, name: 'errors', processed: false, total_logs: 0 });
    expect(created.created_at).toBe(stamp);
    expect(created.datasets).toEqual([
      expect.objectContaining({ id: ids.errors, name: 'errors', account_id, account_tag: account_id }),
    ]);
    expect(
      created.results.map((r) => [r.evaluation_type_id, r.status, r.status_description, r.result]),
    ).toEqual([
      ['cost', 0, 'In progress', ''],
      ['speed', 0, 'In progress', ''],
      ['performance', 0, 'In progress', ''],
    ]);
    for (const r of created.results) expect(r.evaluation_id).toBe(created.id);

    const done = await processed(gateway_id, created.id);
    expect(done.processed).toBe(true);
    expect(done.total_logs).toBe(2);
    expect(resultsByType(done)).toEqual({
      cost: {
        result: '',
        status: 2,
        status_description: 'No log in the datasets has cost data',
        total_logs: 0,
      },
      speed: { result: '60', status: 1, status_description: 'Completed', total_logs: 2 },
      performance: { result: '100', status: 1, status_description: 'Completed', total_logs: 1 },
    });
  });

  it('counts a log in several datasets once, and only logs with the field each type reads', async () => {
    const created = await bothEvaluation();
    expect(created.datasets.map((d) => d.name)).toEqual(['errors', 'openai']);
    const done = await processed(gateway_id, created.id);
    // cheap, dear, oops (openai) and down (error): `later` and `other` are not in it.
    expect(done.total_logs).toBe(4);
    expect(done.results.map((r) => r.evaluation_type_id)).toEqual(['speed', 'cost', 'performance']);
    expect(resultsByType(done)).toEqual({
      speed: { result: '130', status: 1, status_description: 'Completed', total_logs: 4 },
      cost: { result: '0.002', status: 1, status_description: 'Completed', total_logs: 2 },
      performance: { result: '66.67', status: 1, status_description: 'Completed', total_logs: 3 },
    });
  });

  it('is a snapshot: a dataset changed afterwards changes neither its copy nor its results', async () => {
    const errorsEval = (await processed(gateway_id, (await errorsEvaluation()).id)).id;
    await cf.aiGateway.datasets.update(ids.errors!, {
      account_id,
      gateway_id,
      name: 'errors renamed',
      enable: false,
      filters: [{ key: 'success', operator: 'eq', value: [true] }],
    });
    const again = await cf.aiGateway.evaluations.get(errorsEval, { account_id, gateway_id });
    expect(again.datasets[0]).toMatchObject({ name: 'errors', enable: true });
    expect(again.total_logs).toBe(2);
  });

  it('lists newest first, by name, processed state and search', async () => {
    await processed(gateway_id, (await errorsEvaluation()).id);
    await processed(gateway_id, (await bothEvaluation()).id);
    const list = async (query: Omit<Cloudflare.AIGateway.EvaluationListParams, 'account_id'> = {}) =>
      (await cf.aiGateway.evaluations.list(gateway_id, { account_id, ...query })).result.map((e) => e.name);
    expect(await list()).toEqual(['errors and openai', 'errors']);
    expect(await list({ name: 'errors' })).toEqual(['errors']);
    expect(await list({ processed: true })).toEqual(['errors and openai', 'errors']);
    expect(await list({ processed: false })).toEqual([]);
    expect(await list({ search: 'openai' })).toEqual(['errors and openai']);
    expect(await list({ per_page: 1, page: 2 })).toEqual(['errors']);
  });

  it('refuses unknown types and datasets, none of them, or more than five datasets (7001)', async () => {
    const paths = async (body: Partial<Cloudflare.AIGateway.EvaluationCreateParams>) => {
      const err = await apiError(
        cf.aiGateway.evaluations.create(gateway_id, {
          account_id,
          name: 'x',
          dataset_ids: [ids.openai!],
          evaluation_type_ids: ['cost'],
          ...body,
        }),
      );
      expect(err).toBeInstanceOf(BadRequestError);
      return err.errors.map((e) => [e.code, (e as { path?: string[] }).path]);
    };
    expect(await paths({ evaluation_type_ids: ['cost', 'quality'] })).toEqual([
      [7001, ['body', 'evaluation_type_ids', '1']],
    ]);
    expect(await paths({ evaluation_type_ids: [] })).toEqual([[7001, ['body', 'evaluation_type_ids']]]);
    expect(await paths({ dataset_ids: ['nope'] })).toEqual([[7001, ['body', 'dataset_ids', '0']]]);
    expect(await paths({ dataset_ids: [] })).toEqual([[7001, ['body', 'dataset_ids']]]);
    expect(await paths({ dataset_ids: Array(6).fill(ids.openai!) })).toEqual([
      [7001, ['body', 'dataset_ids']],
    ]);
    expect(await paths({ name: '' })).toEqual([[7001, ['body', 'name']]]);
  });

  it('answers 404 (7002) for an unknown evaluation or gateway, and deletes one', async () => {
    const errorsEval = (await processed(gateway_id, (await errorsEvaluation()).id)).id;
    const missing = await apiError(cf.aiGateway.evaluations.get('nope', { account_id, gateway_id }));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.errors).toEqual([{ code: 7002, message: 'Not Found: no evaluation with id "nope"' }]);
    const noGateway = await apiError(cf.aiGateway.evaluations.list('no-such-gw', { account_id }));
    expect(noGateway.status).toBe(404);

    const deleted = await cf.aiGateway.evaluations.delete(errorsEval, { account_id, gateway_id });
    expect(deleted).toMatchObject({ id: errorsEval, name: 'errors', processed: true });
    const gone = await apiError(cf.aiGateway.evaluations.delete(errorsEval, { account_id, gateway_id }));
    expect(gone.status).toBe(404);
  });
});

describe('processing', () => {
  it('reads every log across chunks, keyed by time and insertion order (many logs in one millisecond)', async () => {
    const gateway_id = 'many-gw';
    await gateway(gateway_id);
    let durations = 0;
    let costs = 0;
    const n = 5000;
    for (let i = 0; i < n; i++) {
      // Ten logs per millisecond: chunk boundaries fall inside a millisecond.
      storeLog(
        gateway_id,
        { duration: i, cost: i % 2 === 0 ? 0.5 : null },
        clock - 10_000 + Math.floor(i / 10),
      );
      durations += i;
      if (i % 2 === 0) costs += 1;
    }
    const all = await dataset(gateway_id, 'all', []);
    const created = await cf.aiGateway.evaluations.create(gateway_id, {
      account_id,
      name: 'all',
      dataset_ids: [all],
      evaluation_type_ids: ['speed', 'cost'],
    });
    const done = await processed(gateway_id, created.id);
    expect(done.total_logs).toBe(n);
    expect(resultsByType(done)).toMatchObject({
      speed: { result: String(durations / n), total_logs: n },
      cost: { result: '0.5', total_logs: costs },
    });
  });

  it('takes up an evaluation a stopped gateway left unprocessed when it is next read', async () => {
    const gateway_id = 'resume-gw';
    await gateway(gateway_id);
    storeLog(gateway_id, { duration: 42 });
    gw.runtime.logs.flush();
    const all = await cf.aiGateway.datasets.create(gateway_id, {
      account_id,
      name: 'all',
      enable: true,
      filters: [],
    });
    // As a gateway stopped before processing leaves it: stored, never processed.
    const left = new EvaluationRepository(gw.runtime.store).create(
      account_id,
      gateway_id,
      { name: 'left', datasets: [all], typeIds: ['speed'] },
      new Date(clock),
    );
    const listed = await cf.aiGateway.evaluations.list(gateway_id, { account_id });
    expect(listed.result.map((e) => [e.name, e.processed])).toEqual([['left', false]]);
    const done = await processed(gateway_id, left.id);
    expect(resultsByType(done).speed).toMatchObject({ result: '42', total_logs: 1 });
  });
});

describe('a deleted gateway', () => {
  it('takes its datasets and evaluations with it', async () => {
    const gateway_id = 'doomed-gw';
    await gateway(gateway_id);
    storeLog(gateway_id, { duration: 10 });
    const all = await dataset(gateway_id, 'all', []);
    const evaluation = await cf.aiGateway.evaluations.create(gateway_id, {
      account_id,
      name: 'all',
      dataset_ids: [all],
      evaluation_type_ids: ['speed'],
    });
    await processed(gateway_id, evaluation.id);
    await cf.aiGateway.delete(gateway_id, { account_id });
    await gateway(gateway_id);
    expect((await cf.aiGateway.datasets.list(gateway_id, { account_id })).result).toEqual([]);
    expect((await cf.aiGateway.evaluations.list(gateway_id, { account_id })).result).toEqual([]);
    const rows = (table: string) =>
      (
        gw.runtime.store.db
          .prepare(`SELECT count(*) AS n FROM ${table} WHERE gateway_id = ?`)
          .get(gateway_id) as {
          n: number;
        }
      ).n;
    expect(rows('datasets')).toBe(0);
    expect(rows('evaluations')).toBe(0);
  });
});

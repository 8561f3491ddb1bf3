// `aigw datasets` and `aigw evals` in process against an in-memory local gateway with the mock upstream: the
// filter flags a dataset takes (and those it refuses), and evaluations whose numbers are those of the logs the
// logs API returns. Every management exchange is checked against the contract.
// Each test works in an account of its own, with the same logs.
import { beforeEach, describe, expect, it } from 'vitest';
import { createGateway } from '../helpers/fake-upstream.js';
import { scriptedPrompter } from '../helpers/in-process.js';
import { localCommands } from '../helpers/local-commands.js';

const cli = localCommands([], (gw, account) => createGateway(gw, 'ev', {}, account), {
  accountPerTest: true,
  gateway: { mock: true },
});
const { contract } = cli;
let sleeps = 0;

function aigw(argv: string[], extra: Parameters<typeof cli.run>[1] = {}) {
  return cli.run(argv, {
    // The gateway processes evaluations on its own turns of the event loop: a short real wait lets it.
    sleep: async () => {
      sleeps++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    },
    ...extra,
  });
}

async function json<T>(argv: string[]): Promise<T> {
  const result = await aigw(['--json', ...argv]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface Log {
  id: string;
  success: boolean;
  cost?: number;
  duration: number;
}

interface Dataset {
  name: string;
  enable: boolean;
  filters: unknown[];
}

/** Creates the datasets `errors` (every error) and `openai` (disabled); what the API answered. */
async function datasets(): Promise<[Dataset, Dataset]> {
  const errors = await json<Dataset>(['datasets', 'create', 'ev', '--name', 'errors', '--status', 'error']);
  const openai = await json<Dataset>([
    'datasets',
    'create',
    'ev',
    '--name',
    'openai',
    '--provider',
    'openai',
    '--min-duration',
    '1ms',
    '--disable',
  ]);
  return [errors, openai];
}

/** An evaluation of cost and speed over the dataset `errors`, waited for. */
const errorsEval = [
  'evals',
  'create',
  'ev',
  '--name',
  'errors',
  '--dataset',
  'errors',
  '--type',
  'cost,speed',
  '--wait',
];

describe('datasets and evals against the local gateway', () => {
  beforeEach(async () => {
    for (const prompt of ['one', 'two', 'three']) await aigw(['request', 'ev', prompt]);
    for (const latency of [20, 60])
      await aigw(['request', 'ev', 'boom', '--model', `gpt-4o-mini@status=500@latency=${latency}`]);
  });

  it('datasets create compiles the logs filter flags a dataset takes', async () => {
    const [created, openai] = await datasets();
    expect(created).toMatchObject({
      name: 'errors',
      enable: true,
      filters: [{ key: 'success', operator: 'eq', value: [false] }],
    });
    expect(openai).toMatchObject({
      enable: false,
      filters: [
        { key: 'provider', operator: 'eq', value: ['openai'] },
        { key: 'duration', operator: 'gt', value: [1] },
      ],
    });
  });

  it('refuses, before sending anything, the flags datasets do not take', async () => {
    const before = contract.exchanges.length;
    for (const [flags, says] of [
      [['--meta', 'user=alice'], '--meta does not apply to datasets'],
      [['--event-id', 'e1'], '--event-id does not apply to datasets'],
      [['--search', 'x'], '--search does not apply to datasets'],
      [['--status', '429'], '--status 429 does not apply to datasets'],
      [['--provider', 'openai,anthropic'], 'A dataset filter takes one value: provider has 2'],
      [['--filter', 'user_agent:contains:curl'], 'Datasets cannot filter on user_agent'],
      [['--filter', 'model:neq:gpt-4o'], 'Datasets have no neq operator'],
    ] as const) {
      const result = await aigw(['datasets', 'create', 'ev', '--name', 'x', ...flags]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(says);
    }
    expect(contract.exchanges.length).toBe(before);
  });

  it('datasets list, get (by name), update and delete', async () => {
    await datasets();
    const listed = await aigw(['datasets', 'list', 'ev']);
    expect(listed.stdout).toContain('errors\ttrue\tsuccess = false');
    expect(listed.stdout).toContain('openai\tfalse\tprovider = openai, duration > 1');
    const got = await json<{ name: string }>(['datasets', 'get', 'ev', 'openai']);
    expect(got.name).toBe('openai');
    const updated = await json<{ enable: boolean; filters: unknown[] }>([
      'datasets',
      'update',
      'ev',
      'openai',
      '--enable',
      '--status',
      'success',
    ]);
    expect(updated).toMatchObject({
      enable: true,
      filters: [{ key: 'success', operator: 'eq', value: [true] }],
    });
    expect((await aigw(['datasets', 'update', 'ev', 'openai'])).code).toBe(2);
    const missing = await aigw(['datasets', 'get', 'ev', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Dataset "nope" was not found in gateway ev.');
    const noYes = await aigw(['datasets', 'delete', 'ev', 'openai']);
    expect(noYes.code).toBe(2);
    const asked = scriptedPrompter({ confirm: [false] });
    const kept = await aigw(['datasets', 'delete', 'ev', 'openai'], { tty: true, prompter: asked });
    expect(kept.code).toBe(0);
    expect(asked.asked[0]).toContain('Delete dataset openai');
    expect((await aigw(['datasets', 'delete', 'ev', 'openai', '--yes'])).code).toBe(0);
    expect((await json<unknown[]>(['datasets', 'list', 'ev'])).length).toBe(1);
  });

  it('evals create --wait: cost and speed of the error logs, as the logs API has them', async () => {
    await datasets();
    const types = await json<{ type: string }[]>(['evals', 'types']);
    expect(types.map((t) => t.type)).toEqual(['cost', 'speed', 'performance']);

    sleeps = 0;
    const evaluation = await json<{
      processed: boolean;
      total_logs: number;
      results: { evaluation_type_id: string; result: string; total_logs: number }[];
    }>(errorsEval);
    expect(sleeps).toBeGreaterThan(0);
    const errors = (await json<Log[]>(['logs', 'ev', '--status', 'error', '--limit', '0'])).filter(
      (l) => !l.success,
    );
    expect(errors).toHaveLength(2);
    expect(evaluation.processed).toBe(true);
    expect(evaluation.total_logs).toBe(errors.length);
    const byType = Object.fromEntries(evaluation.results.map((r) => [r.evaluation_type_id, r]));
    const withCost = errors.filter((l) => l.cost !== undefined);
    expect(byType.cost!.total_logs).toBe(withCost.length);
    expect(byType.speed!.total_logs).toBe(errors.length);
    const avgDuration = errors.reduce((s, l) => s + l.duration, 0) / errors.length;
    expect(Number(byType.speed!.result)).toBeCloseTo(avgDuration, 2);
  });

  it('evals get reads each result by its type; a terminal shows a spinner while waiting', async () => {
    await datasets();
    await json(errorsEval);
    const created = await aigw(
      [
        'evals',
        'create',
        'ev',
        '--name',
        'all',
        '--dataset',
        'errors',
        '--type',
        'speed',
        '--type',
        'performance',
        '--wait',
      ],
      { tty: true },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain('Evaluating all...');
    expect(created.stderr).toContain('\r\x1b[K');
    expect(created.stdout).toMatch(/Speed\s+\d+ms average over 2 logs/);
    expect(created.stdout).toMatch(/Human feedback\s+No log in the datasets has feedback/);
    const listed = await aigw(['evals', 'list', 'ev']);
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);
    expect(listed.stdout).toContain('Speed: ');
    const got = await aigw(['evals', 'get', 'ev', 'all']);
    expect(got.stdout).toMatch(/^Processed\ttrue$/m);
    const badType = await aigw([
      'evals',
      'create',
      'ev',
      '--name',
      'x',
      '--dataset',
      'errors',
      '--type',
      'quality',
    ]);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('"quality" is not an evaluation type');
    expect((await aigw(['evals', 'delete', 'ev', 'all', '--yes'])).code).toBe(0);
    expect((await json<unknown[]>(['evals', 'list', 'ev'])).length).toBe(1);
  });
});

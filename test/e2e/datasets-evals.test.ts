// `aigw datasets` and `aigw evals` as a user runs them: the built bin against `aigw proxy --mock`. Traffic made
// with `aigw request` (successes over two providers, provider errors), a dataset over the error logs and one
// over OpenAI's successes, and cost + speed evaluations whose numbers are those computed here from the logs the
// logs API returns.
import { describe, expect, it } from 'vitest';
import { type CliResult, sandboxWithProxy } from '../helpers/run-cli.js';

const env = sandboxWithProxy(['--mock']);
const aigw = (...args: string[]) => env.run(['--local-url', env.proxy.apiUrl, ...args]);

async function json<T>(...args: string[]): Promise<T> {
  const result: CliResult = await aigw('--json', ...args);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface Log {
  id: string;
  provider: string;
  success: boolean;
  cost?: number;
  duration: number;
}

interface Evaluation {
  processed: boolean;
  total_logs: number;
  results: { evaluation_type_id: string; result: string; status: number; total_logs: number }[];
}

/** What an evaluation of `logs` must say, computed from the logs themselves. */
function expected(logs: Log[]) {
  const priced = logs.filter((l) => typeof l.cost === 'number');
  return {
    total: logs.length,
    costLogs: priced.length,
    cost: priced.reduce((sum, l) => sum + l.cost!, 0) / priced.length,
    speed: logs.reduce((sum, l) => sum + l.duration, 0) / logs.length,
  };
}

const byType = (evaluation: Evaluation) =>
  Object.fromEntries(evaluation.results.map((r) => [r.evaluation_type_id, r]));

describe('aigw datasets and aigw evals against aigw proxy --mock', () => {
  it('evaluates a dataset of error logs, and two datasets together, as the stored logs say', async () => {
    expect((await aigw('gateway', 'create', 'dev')).code).toBe(0);
    for (const prompt of ['one', 'two', 'three']) {
      expect((await aigw('request', 'dev', prompt, '--model', 'gpt-4o-mini')).code).toBe(0);
    }
    const claude = await aigw(
      'request',
      'dev',
      'four',
      '--provider',
      'anthropic',
      '--model',
      'claude-3-5-haiku-latest',
    );
    expect(claude.code, claude.stderr).toBe(0);
    for (const model of ['gpt-4o-mini@status=500@latency=40', 'gpt-4o-mini@status=503@latency=120']) {
      expect((await aigw('request', 'dev', 'boom', '--model', model)).code).toBe(1);
    }

    const errors = await json<{ id: string }>(
      'datasets',
      'create',
      'dev',
      '--name',
      'errors',
      '--status',
      'error',
    );
    await json(
      'datasets',
      'create',
      'dev',
      '--name',
      'openai-ok',
      '--provider',
      'openai',
      '--status',
      'success',
    );
    const listed = await aigw('datasets', 'list', 'dev');
    expect(listed.stdout).toContain(`${errors.id}\terrors\ttrue\tsuccess = false`);

    const all = await json<Log[]>('logs', 'dev', '--limit', '0');
    expect(all).toHaveLength(6);
    const errorLogs = all.filter((l) => !l.success);
    expect(errorLogs).toHaveLength(2);

    const onErrors = await json<Evaluation>(
      'evals',
      'create',
      'dev',
      '--name',
      'errors',
      '--dataset',
      'errors',
      '--type',
      'cost',
      '--type',
      'speed',
      '--wait',
    );
    const want = expected(errorLogs);
    expect(onErrors.processed).toBe(true);
    expect(onErrors.total_logs).toBe(want.total);
    const results = byType(onErrors);
    expect(results.speed).toMatchObject({ status: 1, total_logs: want.total });
    expect(Number(results.speed!.result)).toBeCloseTo(want.speed, 2);
    // Provider errors carry no usage, so no cost: the cost result says there is none.
    expect(want.costLogs).toBe(0);
    expect(results.cost).toMatchObject({ result: '', status: 2, total_logs: 0 });

    const both = await json<Evaluation>(
      'evals',
      'create',
      'dev',
      '--name',
      'both',
      '--dataset',
      'errors,openai-ok',
      '--type',
      'cost,speed',
      '--wait',
    );
    const union = all.filter((l) => !l.success || l.provider === 'openai');
    const wantBoth = expected(union);
    expect(wantBoth.costLogs).toBe(3);
    expect(both.total_logs).toBe(wantBoth.total);
    const bothResults = byType(both);
    expect(bothResults.cost!.total_logs).toBe(wantBoth.costLogs);
    expect(Number(bothResults.cost!.result)).toBeCloseTo(wantBoth.cost, 12);
    expect(bothResults.speed!.total_logs).toBe(wantBoth.total);
    expect(Number(bothResults.speed!.result)).toBeCloseTo(wantBoth.speed, 2);

    // Read by type, as a script reads it (piped: key, tab, value).
    const shown = await aigw('evals', 'get', 'dev', 'both');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^Cost\t\$[\d.e-]+ average over 3 logs$/m);
    expect(shown.stdout).toMatch(
      new RegExp(`^Speed\\t\\d+(\\.\\d+)?m?s average over ${wantBoth.total} logs$`, 'm'),
    );

    // Deleting the gateway takes its datasets and evaluations with it.
    expect((await aigw('gateway', 'delete', 'dev', '--yes')).code).toBe(0);
    expect((await aigw('gateway', 'create', 'dev')).code).toBe(0);
    expect(await json<unknown[]>('datasets', 'list', 'dev')).toEqual([]);
    expect(await json<unknown[]>('evals', 'list', 'dev')).toEqual([]);
  });
});

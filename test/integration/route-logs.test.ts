// The logs of requests a dynamic route served: each model tried is logged with Cloudflare's `step` and the local
// gateway's own aigw_route, aigw_route_version and aigw_route_element, returned by the logs API (every exchange
// checked against the contract) and shown by `aigw logs` and `aigw logs get`. The mock upstream fails the
// model that asks it to (`@status=503`), so the route's fallback runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../helpers/fake-upstream.js';
import { localCommands } from '../helpers/local-commands.js';
import { twoModelFlow } from '../helpers/route-flows.js';

// Each test sends its requests through gateway rl in an account of its own.
const cli = localCommands([], (gw, account) => createGateway(gw, 'rl', {}, account), {
  accountPerTest: true,
  gateway: { mock: true },
});

interface ListedLog {
  id: string;
  model: string;
  status_code?: number;
  step?: number;
  aigw_route?: string;
  aigw_route_version?: string;
  aigw_route_element?: string;
}

async function json<T>(argv: string[]): Promise<T> {
  const result = await cli.run(['--json', ...argv]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function flowFile(name: string, failing: string, backup: string): string {
  const file = join(cli.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ elements: twoModelFlow('openai', failing, 'openai', backup) }));
  return file;
}

const deployedVersion = async (route: string) =>
  (await json<{ version: { version_id: string } }>(['routes', 'get', 'rl', route])).version.version_id;

/** Sends one chat completion through the route; the log id of the answer. */
const viaRoute = async (route: string) =>
  (await json<{ log_id: string }>(['request', 'rl', 'hi', '--compat', '--model', `dynamic/${route}`])).log_id;

const allLogs = () => json<ListedLog[]>(['logs', 'rl', '--limit', '0']);

/** Route support, whose first model fails (so the second answers), and one request through it; the log id. */
async function supportServed(): Promise<string> {
  const file = flowFile('v1', 'gpt-4o-mini@status=503', 'gpt-4o-mini');
  expect((await cli.run(['routes', 'create', 'rl', 'support', '-f', file])).code).toBe(0);
  return viaRoute('support');
}

describe('logs of dynamic routes', () => {
  it('name the route, the version deployed then and the model element tried, with the step', async () => {
    const answered = await supportServed();
    const v1 = await deployedVersion('support');
    const logs = await allLogs();
    expect(
      logs.map((l) => [
        l.model,
        l.status_code,
        l.step,
        l.aigw_route,
        l.aigw_route_version,
        l.aigw_route_element,
      ]),
    ).toEqual([
      ['gpt-4o-mini', 200, 1, 'support', v1, 'b'],
      ['gpt-4o-mini@status=503', 503, 0, 'support', v1, 'a'],
    ]);
    expect(logs[0]!.id).toBe(answered);

    const got = await json<ListedLog>(['logs', 'get', 'rl', answered]);
    expect(got).toMatchObject({
      step: 1,
      aigw_route: 'support',
      aigw_route_version: v1,
      aigw_route_element: 'b',
    });
    const shown = await cli.run(['logs', 'get', 'rl', answered]);
    expect(shown.stdout).toContain(`Route\tsupport (version ${v1}, element b)\n`);
    expect(shown.stdout).toContain('Step\t1\n');
  });

  it('keep what served them after the route is renamed and a new version deployed', async () => {
    await supportServed();
    const before = await allLogs();
    const v1 = before[0]!.aigw_route_version!;
    const file = flowFile('v2', 'gpt-4o@status=503', 'gpt-4o');
    expect((await cli.run(['routes', 'deploy', 'rl', 'support', '-f', file])).code).toBe(0);
    expect((await cli.run(['routes', 'rename', 'rl', 'support', 'helpdesk'])).code).toBe(0);
    const v2 = await deployedVersion('helpdesk');
    expect(v2).not.toBe(v1);

    const answered = await viaRoute('helpdesk');
    const after = await allLogs();
    expect(after.slice(2)).toEqual(before);
    expect(after[0]).toMatchObject({
      id: answered,
      model: 'gpt-4o',
      aigw_route: 'helpdesk',
      aigw_route_version: v2,
    });
  });

  it('leave the route fields out of logs no route served', async () => {
    const answered = (await json<{ log_id: string }>(['request', 'rl', 'hi'])).log_id;
    const got = await json<Record<string, unknown>>(['logs', 'get', 'rl', answered]);
    expect(got.provider).toBe('openai');
    expect(Object.keys(got).filter((k) => k.startsWith('aigw_'))).toEqual([]);
    const shown = await cli.run(['logs', 'get', 'rl', answered]);
    expect(shown.stdout).toContain('Route\t\n');
  });
});

// gateway apply with routes: created and deployed, unchanged ones send no write on the second run, a changed flow
// becomes a new deployed version, and --prune deletes the routes a listing gateway does not name. Every request
// is checked against the contract.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localCommands } from '../helpers/local-commands.js';
import { twoModelFlow } from '../helpers/route-flows.js';

// Each test applies in an account of its own.
const cli = localCommands([], undefined, { accountPerTest: true });

function apply(file: object, ...flags: string[]) {
  writeFileSync(join(cli.dir, 'gateways.json'), JSON.stringify(file));
  return cli.run(['gateway', 'apply', '-f', 'gateways.json', ...flags]);
}

const writes = () => cli.contract.exchanges.filter((e) => e.method !== 'GET');

describe('gateway apply with routes', () => {
  const first = twoModelFlow('openai', 'gpt-4o', 'anthropic', 'claude-haiku-4-5');
  const file = {
    gateways: [
      {
        id: 'prod',
        cache_ttl: '1h',
        routes: [
          { name: 'support', elements: first },
          { name: 'batch', elements: twoModelFlow('openai', 'gpt-4o-mini', 'openai', 'gpt-4o') },
        ],
      },
    ],
  };

  it('creates the gateway and its routes, then sends no write when applied again', async () => {
    const created = await apply(file);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('create\tprod/support\troute, deployed');
    const routes = cli.gw.runtime.routes.list(cli.account, 'prod', { limit: 10, offset: 0 });
    expect(routes.map((r) => r.name).sort()).toEqual(['batch', 'support']);

    const before = writes().length;
    const again = await apply(file);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('No changes');
    expect(again.stdout).toContain('unchanged\tprod/support');
    expect(writes().length).toBe(before);
  });

  it('saves a changed flow as a new version and deploys it; --prune deletes the unnamed route', async () => {
    expect((await apply(file)).code).toBe(0);
    const changed = {
      gateways: [
        {
          id: 'prod',
          cache_ttl: '1h',
          routes: [
            { name: 'support', elements: twoModelFlow('openai', 'gpt-5', 'anthropic', 'claude-haiku-4-5') },
          ],
        },
      ],
    };
    const result = await apply(changed, '--prune', '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('update\tprod/support');
    expect(result.stdout).toContain('delete\tprod/batch');
    const support = cli.gw.runtime.routes.deployedByName(cli.account, 'prod', 'support')!;
    expect(support.version.elements[1]).toMatchObject({ properties: { model: 'gpt-5' } });
    expect(cli.gw.runtime.routes.countVersions(cli.account, 'prod', support.id)).toBe(2);
    expect(cli.gw.runtime.routes.deployedByName(cli.account, 'prod', 'batch')).toBeNull();
    expect((await apply(changed)).stderr).toContain('No changes');
  });

  it('refuses a route whose flow cannot run before sending anything', async () => {
    const before = cli.contract.exchanges.length;
    const bad = {
      gateways: [
        {
          id: 'prod',
          routes: [
            { name: 'x', elements: [{ id: 's', type: 'start', outputs: { next: { elementId: 'nope' } } }] },
          ],
        },
      ],
    };
    const result = await apply(bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('routes[0] (x)');
    expect(cli.contract.exchanges.length).toBe(before);
  });
});

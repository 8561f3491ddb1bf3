// The routes commands run in this process through main() against an in-memory local gateway; every request the
// CLI sends and every answer it reads is checked against the contract.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localCommands } from '../helpers/local-commands.js';

// Each test works in an account of its own.
const cli = localCommands([], undefined, { accountPerTest: true });
const aigw = cli.run;
const contract = cli.contract;

// Cloudflare's docs spellings (condition, rate_limit, interval, an end without outputs) on purpose.
const flowYaml = `elements:
  - {id: start, type: start, outputs: {next: {elementId: paid}}}
  - id: paid
    type: conditional
    properties: {condition: {metadata.plan: {$eq: paid}}}
    outputs: {true: {elementId: big}, false: {elementId: split}}
  - {id: split, type: percentage, outputs: {"80%": {elementId: small}, "20%": {elementId: limit}}}
  - id: limit
    type: rate_limit
    properties: {key: metadata.user_id, limit: 10, limitType: count, interval: 60}
    outputs: {success: {elementId: big}, fallback: {elementId: small}}
  - id: big
    type: model
    properties: {provider: openai, model: gpt-4o, timeout: 30000, retries: 1}
    outputs: {success: {elementId: end}, fallback: {elementId: small}}
  - id: small
    type: model
    properties: {provider: anthropic, model: claude-haiku-4-5, timeout: 30000, retries: 0}
    outputs: {success: {elementId: end}, fallback: {elementId: end}}
  - {id: end, type: end}
`;

/** Gateway chat with the route support running flowYaml, as the first test makes them. */
async function chatWithSupport() {
  expect((await aigw(['gateway', 'create', 'chat'])).code).toBe(0);
  writeFileSync(join(cli.dir, 'flow.yaml'), flowYaml);
  return aigw(['routes', 'create', 'chat', 'support', '-f', 'flow.yaml']);
}

/** The second version of support: one model, openai/gpt-5. */
function writeV2() {
  writeFileSync(
    join(cli.dir, 'v2.json'),
    JSON.stringify([
      { id: 's', type: 'start', outputs: { next: { elementId: 'm' } } },
      {
        id: 'm',
        type: 'model',
        properties: { provider: 'openai', model: 'gpt-5', timeout: 1000, retries: 0 },
        outputs: { success: { elementId: 'e' }, fallback: { elementId: 'e' } },
      },
      { id: 'e', type: 'end', outputs: {} },
    ]),
  );
}

describe('aigw routes', () => {
  it('creates a route from a YAML flow, lists it and draws it as a tree', async () => {
    const created = await chatWithSupport();
    expect(created.code, created.stderr).toBe(0);

    const list = await aigw(['routes', 'list', 'chat']);
    expect(list.stdout).toMatch(/^support\t[\w-]+\topenai\/gpt-4o, anthropic\/claude-haiku-4-5\t/);

    const tree = await aigw(['routes', 'get', 'chat', 'support'], { tty: true });
    expect(tree.code, tree.stderr).toBe(0);
    expect(tree.stdout).toContain('if metadata.plan = "paid" [paid]');
    expect(tree.stdout).toContain('├─ true → model openai/gpt-4o (timeout 30000 ms, 1 retries) [big]');
    expect(tree.stdout).toContain('80% → model anthropic/claude-haiku-4-5');
    expect(tree.stdout).toContain('limit 10 requests per 60s by metadata.user_id [limit]');
    expect(tree.stdout).toContain('(see above)');
  });

  it('tests which model a request with some metadata reaches, without calling it', async () => {
    expect((await chatWithSupport()).code).toBe(0);
    const paid = await aigw(['routes', 'test', 'chat', 'support', '--meta', 'plan=paid']);
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stdout.split('\n')[0]).toBe('openai/gpt-4o');
    expect(paid.stdout).toContain('falls back to anthropic/claude-haiku-4-5');
    const free = await aigw(['routes', 'test', 'chat', 'support', '--meta', 'plan=free', '--json']);
    const reaches = JSON.parse(free.stdout).reaches as { share: number; model: string }[];
    expect(reaches.map((r) => [r.share, r.model])).toEqual([
      [0.8, 'anthropic/claude-haiku-4-5'],
      [0.2, 'openai/gpt-4o'],
    ]);
  });

  it('deploys a new flow as a version, lists versions, deploys one by number and rolls back', async () => {
    expect((await chatWithSupport()).code).toBe(0);
    writeV2();
    expect((await aigw(['routes', 'deploy', 'chat', 'support', '-f', 'v2.json'])).code).toBe(0);
    expect((await aigw(['routes', 'test', 'chat', 'support'])).stdout.split('\n')[0]).toBe('openai/gpt-5');
    const versions = await aigw(['routes', 'versions', 'chat', 'support']);
    const rows = versions.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows.map((r) => [r[0], r[2]])).toEqual([
      ['2', 'true'],
      ['1', 'false'],
    ]);
    expect((await aigw(['routes', 'rollback', 'chat', 'support'])).code).toBe(0);
    expect((await aigw(['routes', 'test', 'chat', 'support', '--meta', 'plan=paid'])).stdout).toMatch(
      /^openai\/gpt-4o\n/,
    );
    expect((await aigw(['routes', 'deploy', 'chat', 'support', '--to', '2'])).code).toBe(0);
    expect((await aigw(['routes', 'test', 'chat', 'support'])).stdout).toMatch(/^openai\/gpt-5\n/);
  });

  it('rolls back to the deployment before the latest, not to the previous version number', async () => {
    // Versions 1 and 2 exist and 2 runs. Deploying 1 then rolling back runs 2 again.
    expect((await chatWithSupport()).code).toBe(0);
    writeV2();
    expect((await aigw(['routes', 'deploy', 'chat', 'support', '-f', 'v2.json'])).code).toBe(0);
    expect((await aigw(['routes', 'deploy', 'chat', 'support', '--to', '1'])).code).toBe(0);
    const back = await aigw(['routes', 'rollback', 'chat', 'support', '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ number: 2, active: 'true' });
    expect((await aigw(['routes', 'test', 'chat', 'support'])).stdout).toMatch(/^openai\/gpt-5\n/);
    // A second rollback undoes the first.
    expect((await aigw(['routes', 'rollback', 'chat', 'support'])).code).toBe(0);
    expect((await aigw(['routes', 'test', 'chat', 'support', '--meta', 'plan=paid'])).stdout).toMatch(
      /^openai\/gpt-4o\n/,
    );
  });

  it('says a route deployed once has nothing to roll back to (exit 1), deploying nothing', async () => {
    expect((await aigw(['gateway', 'create', 'chat'])).code).toBe(0);
    writeFileSync(join(cli.dir, 'flow.yaml'), flowYaml);
    expect((await aigw(['routes', 'create', 'chat', 'once', '-f', 'flow.yaml'])).code).toBe(0);
    const sent = contract.exchanges.length;
    const result = await aigw(['routes', 'rollback', 'chat', 'once']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Route once has no earlier deployment to go back to.');
    expect(contract.exchanges.slice(sent).filter((e) => e.method !== 'GET')).toEqual([]);
    expect((await aigw(['routes', 'delete', 'chat', 'once', '--yes'])).code).toBe(0);
  });

  it('refuses a flow that cannot run before sending anything (exit 2)', async () => {
    writeFileSync(
      join(cli.dir, 'broken.json'),
      JSON.stringify([{ id: 's', type: 'start', outputs: { next: { elementId: 'x' } } }]),
    );
    const sent = contract.exchanges.length;
    const result = await aigw(['routes', 'create', 'chat', 'broken', '-f', 'broken.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('leads to "x", which is not an element');
    expect(contract.exchanges.length).toBe(sent);
  });

  it('renames and deletes (with --yes when not interactive), and names a missing route', async () => {
    expect((await chatWithSupport()).code).toBe(0);
    expect((await aigw(['routes', 'rename', 'chat', 'support', 'helpdesk'])).code).toBe(0);
    const missing = await aigw(['routes', 'get', 'chat', 'support']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Gateway chat has no route named "support"');
    expect((await aigw(['routes', 'delete', 'chat', 'helpdesk'])).code).toBe(2);
    expect((await aigw(['routes', 'delete', 'chat', 'helpdesk', '--yes'])).code).toBe(0);
    expect((await aigw(['routes', 'list', 'chat'])).stdout).toBe('');
  });

  it('sent only requests the contract accepts', async () => {
    const before = contract.exchanges.length;
    expect((await chatWithSupport()).code).toBe(0);
    writeV2();
    for (const argv of [
      ['routes', 'list', 'chat'],
      ['routes', 'get', 'chat', 'support'],
      ['routes', 'test', 'chat', 'support', '--meta', 'plan=paid'],
      ['routes', 'deploy', 'chat', 'support', '-f', 'v2.json'],
      ['routes', 'versions', 'chat', 'support'],
      ['routes', 'rollback', 'chat', 'support'],
      ['routes', 'deploy', 'chat', 'support', '--to', '2'],
      ['routes', 'rename', 'chat', 'support', 'helpdesk'],
      ['routes', 'delete', 'chat', 'helpdesk', '--yes'],
    ]) {
      const result = await aigw(argv);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const routeCalls = contract.exchanges.slice(before).filter((e) => e.path.includes('/routes'));
    expect(routeCalls.length).toBeGreaterThan(10);
    expect(routeCalls.filter((e) => e.requestViolation)).toEqual([]);
  });
});

// gateway export: a gateway (settings, routes' deployed flows, key references, custom providers) written as an
// apply file, YAML by default or JSON, to stdout or -o; applied right away (with the variables it names set, and no
// record of the secrets on this machine) it prints "No changes" and sends no write. No output holds a secret.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { localCommands } from '../helpers/local-commands.js';
import { twoModelFlow } from '../helpers/route-flows.js';

const OPENAI_KEY = 'sk-proj-export-0123456789abcdefWXYZ';
const TEAM_KEY = 'sk-ant-export-team-9876543210QRST';
const ACME_KEY = 'acme-export-secret-55554444';

// Each test exports from an account of its own.
const cli = localCommands([OPENAI_KEY, TEAM_KEY, ACME_KEY], undefined, { accountPerTest: true });

const writes = () => cli.contract.exchanges.filter((e) => e.method !== 'GET');

const env = { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY_TEAM_A: TEAM_KEY, ACME_X_API_KEY: ACME_KEY };

/** Applies the gateway `exported` (settings, two keys, a route) and the custom provider acme. */
function applySource() {
  const source = {
    providers: [
      {
        slug: 'acme',
        base_url: 'https://api.acme.example/v1',
        description: 'Acme models',
        headers: { 'x-api-key': { env: 'SOURCE_ACME' } },
      },
    ],
    gateways: [
      {
        id: 'exported',
        cache_ttl: '1h',
        rate_limit: '100/60s',
        authentication: true,
        keys: [
          { provider: 'openai', secret: { env: 'SOURCE_OPENAI' } },
          { provider: 'anthropic', alias: 'team-a', rate_limit: '10/min', secret: { env: 'SOURCE_TEAM' } },
        ],
        routes: [
          { name: 'support', elements: twoModelFlow('openai', 'gpt-4o', 'anthropic', 'claude-haiku-4-5') },
        ],
      },
    ],
  };
  writeFileSync(join(cli.dir, 'source.json'), JSON.stringify(source));
  return cli.run(['gateway', 'apply', '-f', 'source.json'], {
    env: { SOURCE_OPENAI: OPENAI_KEY, SOURCE_TEAM: TEAM_KEY, SOURCE_ACME: ACME_KEY },
  });
}

describe('gateway export', () => {
  it('writes settings, routes, key references and custom providers that apply back with no write', async () => {
    const made = await applySource();
    expect(made.code, made.stderr).toBe(0);

    const exported = await cli.run(['gateway', 'export', 'exported']);
    expect(exported.code, exported.stderr).toBe(0);
    const text = exported.stdout;
    expect(text).toMatch(/^# Gateway exported, exported by aigw/);
    expect(text).toContain('#   OPENAI_API_KEY: the openai key "default" of gateway exported');
    expect(text).toContain('#   ANTHROPIC_API_KEY_TEAM_A: the anthropic key "team-a" of gateway exported');
    expect(text).toContain('#   ACME_X_API_KEY: header x-api-key of custom provider acme');
    expect(exported.stderr).toContain('set OPENAI_API_KEY, ANTHROPIC_API_KEY_TEAM_A, ACME_X_API_KEY');
    const file = parse(text);
    expect(file.gateways[0]).toMatchObject({
      id: 'exported',
      cache_ttl: 3600,
      rate_limiting_limit: 100,
      rate_limiting_interval: 60,
      authentication: true,
      keys: [
        { provider: 'openai', secret: { env: 'OPENAI_API_KEY' } },
        {
          provider: 'anthropic',
          alias: 'team-a',
          rate_limit: '10/60s',
          secret: { env: 'ANTHROPIC_API_KEY_TEAM_A' },
        },
      ],
      routes: [{ name: 'support' }],
    });
    expect(file.providers).toEqual([
      {
        slug: 'acme',
        name: 'acme',
        base_url: 'https://api.acme.example/v1',
        description: 'Acme models',
        enable: true,
        beta: false,
        position: 0,
        headers: { 'x-api-key': { env: 'ACME_X_API_KEY' } },
      },
    ]);

    writeFileSync(join(cli.dir, 'exported.yaml'), text);
    const before = writes().length;
    // Another machine: no record of the secrets (a fresh config dir), the variables set as the comment says.
    const applied = await cli.run(['gateway', 'apply', '-f', 'exported.yaml'], {
      env: { ...env, AIGW_CONFIG_DIR: join(cli.dir, 'other-machine') },
    });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('No changes');
    expect(writes().length).toBe(before);
  });

  it('writes JSON to a file with -o, and a missing gateway is exit 1 naming it', async () => {
    expect((await applySource()).code).toBe(0);
    const result = await cli.run(
      ['gateway', 'export', 'exported', '--format', 'json', '-o', 'exported.json'],
      { tty: true },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Exported gateway exported to exported.json.');
    const file = JSON.parse(readFileSync(join(cli.dir, 'exported.json'), 'utf8'));
    expect(file.gateways[0].keys[0]).toEqual({ provider: 'openai', secret: { env: 'OPENAI_API_KEY' } });

    const before = writes().length;
    const applied = await cli.run(['gateway', 'apply', '-f', 'exported.json'], { env });
    expect(applied.stderr).toContain('No changes');
    expect(writes().length).toBe(before);

    const missing = await cli.run(['gateway', 'export', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Gateway "nope" was not found');
    const bad = await cli.run(['gateway', 'export', 'exported', '--format', 'toml']);
    expect(bad.code).toBe(2);
  });
});

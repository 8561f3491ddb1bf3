// Whole gateways as code with the built bin against a running `aigw proxy` (temp HOME): an apply file with routes
// and provider keys applied twice (the second run sends no write, as --debug's request trace shows), a secret
// changed in the environment rotates that key only, and export then apply prints "No changes". No secret shows in
// any output, --debug trace included. Needs `npm run build` first (npm test does it).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { twoModelFlow } from '../helpers/route-flows.js';
import { sandboxWithProxy } from '../helpers/run-cli.js';

const OPENAI_KEY = 'sk-e2e-apply-openai-AAAA0000BBBB1111';
const OPENAI_NEW = 'sk-e2e-apply-openai-rotated-CCCC2222';
const ANTHROPIC_KEY = 'sk-ant-e2e-apply-DDDD3333EEEE4444';
const SECRETS = [OPENAI_KEY, OPENAI_NEW, ANTHROPIC_KEY];

// Each test has a config dir (where apply records its digests) and an account of its own on the one proxy.
const cli = sandboxWithProxy(['--in-memory'], { sandboxPerTest: true, secrets: SECRETS });
let account = '';
beforeEach(() => {
  account = randomBytes(16).toString('hex');
});

function aigw(args: string[], env: Record<string, string> = {}) {
  return cli.run(['--local', '--debug', ...args], {
    env: { AIGW_LOCAL_URL: cli.proxy.apiUrl, CLOUDFLARE_ACCOUNT_ID: account, ...env },
  });
}

/** The write requests a --debug trace shows (`→ POST http://...`). */
const writes = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => /→ (POST|PUT|PATCH|DELETE) /.test(line))
    .map((l) => l.replace(/^.*→ /, ''));

describe('gateway apply and export, end to end', () => {
  const file = () => join(cli.sandbox.home, 'gateways.yaml');
  const env = (openai: string) => ({ OPENAI_API_KEY: openai });

  /** Writes the apply file (gateway as-code: two keys and a route) and applies it with this OpenAI key. */
  function applyFile(openai: string) {
    writeFileSync(join(cli.sandbox.home, 'anthropic.key'), `${ANTHROPIC_KEY}\n`);
    const flow = JSON.stringify(twoModelFlow('openai', 'gpt-4o', 'anthropic', 'claude-haiku-4-5'));
    writeFileSync(
      file(),
      [
        'gateways:',
        '  - id: as-code',
        '    authentication: true',
        '    cache_ttl: 1h',
        '    keys:',
        '      - provider: openai',
        '        secret: {env: OPENAI_API_KEY}',
        '      - provider: anthropic',
        '        secret: {file: anthropic.key}',
        '    routes:',
        `      - {name: support, elements: ${flow}}`,
        '',
      ].join('\n'),
    );
    return aigw(['gateway', 'apply', '-f', file()], env(openai));
  }

  it('applies routes and keys, and a second run sends no write', async () => {
    const first = await applyFile(OPENAI_KEY);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^create\tas-code\/openai\/default\tkey, secret from \$OPENAI_API_KEY$/m);
    expect(first.stdout).toMatch(/^create\tas-code\/support\troute, deployed$/m);
    expect(writes(first.stderr).length).toBe(4);

    const second = await aigw(['gateway', 'apply', '-f', file()], env(OPENAI_KEY));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('No changes');
    expect(writes(second.stderr)).toEqual([]);
  });

  it('rotates only the key whose secret changed in the environment', async () => {
    expect((await applyFile(OPENAI_KEY)).code).toBe(0);
    const dry = await aigw(['gateway', 'apply', '-f', file(), '--dry-run'], env(OPENAI_NEW));
    expect(dry.stdout).toMatch(/^rotate\tas-code\/openai\/default\tkey: rotate \(secret changed\)/m);
    expect(dry.stdout).toMatch(/^unchanged\tas-code\/anthropic\/default\tkey$/m);
    expect(writes(dry.stderr)).toEqual([]);

    const result = await aigw(['gateway', 'apply', '-f', file()], env(OPENAI_NEW));
    expect(result.code, result.stderr).toBe(0);
    const sent = writes(result.stderr);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^PUT .*\/gateways\/as-code\/provider_configs\/[0-9a-f]+$/);
  });

  it('exports the gateway, which applies back with "No changes"', async () => {
    expect((await applyFile(OPENAI_NEW)).code).toBe(0);
    const exported = await aigw(['gateway', 'export', 'as-code', '-o', 'as-code.yaml']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('set OPENAI_API_KEY, ANTHROPIC_API_KEY to their secrets');
    const applied = await aigw(['gateway', 'apply', '-f', 'as-code.yaml'], {
      OPENAI_API_KEY: OPENAI_NEW,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('No changes');
    expect(writes(applied.stderr)).toEqual([]);
  });
});

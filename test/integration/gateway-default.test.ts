// The gateway a command works on when none is named (the profile's default gateway), and the id
// `gateway create` asks for in a terminal; in process, against an in-memory local gateway.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/io/prompter.js';
import type { LocalGateway } from '../../src/local/server.js';
import { runInProcess, scriptedPrompter } from '../helpers/in-process.js';
import { apiBase, startTestGateway } from '../helpers/local-gateway.js';
import { ContractRecorder, contractFetch } from '../helpers/openapi.js';

let gw: LocalGateway;
let root: string;
let config: string;
const contract = new ContractRecorder();
const checkedFetch = contractFetch(contract);
let sent: string[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  sent.push(new Request(input, init).url);
  return checkedFetch(input, init);
};

beforeAll(async () => {
  gw = await startTestGateway();
  root = mkdtempSync(join(tmpdir(), 'aigw-default-gw-'));
});
beforeEach(() => {
  sent = [];
  // A fresh config directory per test: profiles do not leak from one test into the next.
  config = mkdtempSync(join(root, 'config-'));
});
afterAll(async () => {
  contract.assertClean();
  await gw.close();
  rmSync(root, { recursive: true, force: true });
});

function aigw(
  argv: string[],
  options: { tty?: boolean; prompter?: Prompter; env?: Record<string, string> } = {},
) {
  return runInProcess(argv, {
    tty: options.tty === true,
    env: { AIGW_CONFIG_DIR: config, AIGW_LOCAL_URL: apiBase(gw), NO_COLOR: '1', ...options.env },
    cwd: root,
    prompter: options.prompter ?? scriptedPrompter({}),
    fetch: recordingFetch,
  });
}

describe("a profile's default gateway", () => {
  it('the local profile can have one; get, update, url and delete use it when no gateway is named', async () => {
    expect((await aigw(['--local', 'gateway', 'create', 'fallback'])).code).toBe(0);
    const add = await aigw(['profile', 'add', 'local', '--default-gateway', 'fallback']);
    expect(add.code, add.stderr).toBe(0);
    // Adding settings to the local profile does not make it the current one.
    expect((await aigw(['profile', 'show', '--json'])).stdout).toContain('"name":"default"');

    const get = await aigw(['--local', 'gateway', 'get', '--json']);
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ id: 'fallback' });
    const update = await aigw(['--local', 'gateway', 'update', '--cache-ttl', '5m', '--json']);
    expect(update.code, update.stderr).toBe(0);
    expect(JSON.parse(update.stdout)).toMatchObject({ id: 'fallback', cache_ttl: 300 });
    const url = await aigw(['--local', 'gateway', 'url', '--provider', 'openai']);
    expect(url.stdout.trim()).toBe(`${gw.url}/v1/local/fallback/openai`);
    const refused = await aigw(['--local', 'gateway', 'delete']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Run: aigw --local gateway delete fallback --yes');
    const deleted = await aigw(['--local', 'gateway', 'delete', '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout.trim()).toBe('fallback');
    // A gateway named on the command line wins over the default.
    expect((await aigw(['--local', 'gateway', 'create', 'named'])).code).toBe(0);
    expect(JSON.parse((await aigw(['--local', 'gateway', 'get', 'named', '--json'])).stdout).id).toBe(
      'named',
    );
  });

  it('no gateway and no default: a usage error naming --default-gateway, and nothing is sent', async () => {
    for (const verb of [['get'], ['update', '--cache-ttl', '1h'], ['delete', '--yes'], ['url']]) {
      const r = await aigw(['--local', 'gateway', ...verb]);
      expect(r.code, verb.join(' ')).toBe(2);
      expect(r.stderr).toContain('No gateway given, and profile "local" has no default gateway.');
      expect(r.stderr).toContain('aigw profile add local --default-gateway <id>');
      expect(r.stderr).toContain('aigw --local gateway list');
    }
    expect(sent).toEqual([]);
  });

  it('a default gateway that is not a gateway id is refused when saved', async () => {
    const r = await aigw(['profile', 'add', 'local', '--default-gateway', 'Not An Id']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid --default-gateway "Not An Id"');
    const local = await aigw(['profile', 'add', 'local', '--base-url', 'http://127.0.0.1:1/client/v4']);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('--local-url');
  });
});

describe('gateway create without an id', () => {
  it('asks for it in a terminal (checked with the id rule), then for the settings', async () => {
    const prompter = scriptedPrompter({ input: ['asked-for', '0', 'off'], confirm: [true, false] });
    const r = await aigw(['--local', 'gateway', 'create'], { tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.asked[0]).toMatch(/^input: Gateway id\?/);
    expect(prompter.asked).toHaveLength(5);
    expect((await aigw(['--local', 'gateway', 'get', 'asked-for'])).code).toBe(0);

    const withFlags = scriptedPrompter({ input: ['flagged'] });
    const flagged = await aigw(['--local', 'gateway', 'create', '--cache-ttl', '1h', '--json'], {
      tty: true,
      prompter: withFlags,
    });
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(withFlags.asked).toEqual(['input: Gateway id? (e.g. prod-chat)']);
    expect(JSON.parse(flagged.stdout)).toMatchObject({ id: 'flagged', cache_ttl: 3600 });
  });

  it('refuses an answer that is not a gateway id', async () => {
    const prompter = scriptedPrompter({ input: ['Bad Id'] });
    const r = await aigw(['--local', 'gateway', 'create'], { tty: true, prompter });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The prompt rejected "Bad Id": Not a gateway id');
    expect(sent).toEqual([]);
  });

  it('is a usage error when nobody can be asked, before anything is sent', async () => {
    for (const options of [{}, { tty: true, env: { CI: 'true' } }]) {
      const r = await aigw(['--local', 'gateway', 'create', '--cache-ttl', '1h'], options);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('gateway create needs an id');
      expect(r.stderr).toContain('aigw --local gateway create prod-chat');
    }
    expect(sent).toEqual([]);
  });
});

// Stored provider keys end to end with the built bin: `aigw --local keys add` from stdin, then the OpenAI SDK
// holding no provider key (only the gateway token) gets its answer through `aigw proxy`, from an upstream that
// accepts nothing but the stored key; a rotation takes effect at once; no key shows in any output or log.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, openaiCompletion, startFakeUpstream } from '../helpers/fake-upstream.js';
import {
  type CliResult,
  type CliSandbox,
  cliSandbox,
  type RunningProxy,
  startProxyProcess,
} from '../helpers/run-cli.js';

const TOKEN = 'local-gateway-token-e2e';
const KEY = 'sk-e2e-stored-key-AAAA0000BBBB1111';
const NEW_KEY = 'sk-e2e-rotated-key-CCCC2222DDDD3333';

let fake: FakeUpstream;
let sandbox: CliSandbox;
let proxy: RunningProxy;
const results: CliResult[] = [];

beforeAll(async () => {
  fake = await startFakeUpstream();
  // The upstream answers only requests that carry the key aigw stores.
  fake.fallback = (req) =>
    req.headers.authorization === `Bearer ${KEY}` || req.headers.authorization === `Bearer ${NEW_KEY}`
      ? { json: openaiCompletion('answered with the stored key') }
      : {
          status: 401,
          json: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } },
        };
  sandbox = cliSandbox();
  // Access lines on: they are checked for keys like every other output.
  proxy = await startProxyProcess(sandbox, [
    '--log-format',
    'json',
    '--in-memory',
    '--api-token',
    TOKEN,
    '--upstream',
    `openai=${fake.url}/v1`,
  ]);
});

afterAll(async () => {
  expect(await proxy.stop()).toBe(0);
  for (const text of [...results.flatMap((r) => [r.stdout, r.stderr]), proxy.stderr()]) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(NEW_KEY);
  }
  sandbox.cleanup();
  await fake.close();
});

async function aigw(args: string[], stdin?: string): Promise<CliResult> {
  const result = await sandbox.run(['--local-url', proxy.url, ...args], {
    env: { AIGW_LOCAL_TOKEN: TOKEN },
    ...(stdin === undefined ? {} : { stdin }),
  });
  results.push(result);
  return result;
}

function sdk(gateway: string): OpenAI {
  return new OpenAI({
    apiKey: TOKEN,
    baseURL: `${proxy.url}/v1/local/${gateway}/openai`,
    defaultHeaders: { 'cf-aig-authorization': `Bearer ${TOKEN}` },
    maxRetries: 0,
  });
}

const ask = (gateway: string) =>
  sdk(gateway).chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hello' }],
  });

let gateways = 0;

/**
 * A new gateway that requires the token: the provider refuses the SDK until `keys add` stores the key, and then
 * answers it. Each test stores its key in a gateway of its own.
 */
async function gatewayWithStoredKey(): Promise<string> {
  const gateway = `dev-${++gateways}`;
  const created = await aigw(['gateway', 'create', gateway, '--authentication']);
  expect(created.code, created.stderr).toBe(0);
  // Without a stored key, the provider refuses the request.
  await expect(ask(gateway)).rejects.toMatchObject({ status: 401 });

  const added = await aigw(['keys', 'add', gateway, '--provider', 'openai'], `${KEY}\n`);
  expect(added.code, added.stderr).toBe(0);
  expect(added.stdout.trim()).toMatch(/^[0-9a-f]{32}$/);

  const answer = await ask(gateway);
  expect(answer.choices[0]!.message.content).toBe('answered with the stored key');
  expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
  return gateway;
}

describe('aigw keys with aigw proxy', () => {
  it('stores a key from stdin that the OpenAI SDK then uses without holding it', async () => {
    const gateway = await gatewayWithStoredKey();
    await expect
      .poll(() => proxy.stderr())
      .toMatch(new RegExp(`"gateway":"${gateway}","provider":"openai".*"status":200`));
  });

  it('lists the key by its preview, rotates it from stdin (with a --debug trace), and uses the new one', async () => {
    const gateway = await gatewayWithStoredKey();
    const listed = await aigw(['keys', 'list', gateway]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/\topenai\tdefault\ttrue\t\*\*\*\*1111\toff\t/);

    const rotated = await aigw(['--debug', 'keys', 'rotate', gateway, 'openai'], NEW_KEY);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stderr).toMatch(/→ PUT .*\/provider_configs\/[0-9a-f]{32}/);

    await ask(gateway);
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${NEW_KEY}`);

    const logs = await aigw(['logs', gateway, '--json']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(JSON.parse(logs.stdout).length).toBeGreaterThanOrEqual(3);
  });

  it('removes the key; the provider then refuses the SDK again', async () => {
    const gateway = await gatewayWithStoredKey();
    const removed = await aigw(['keys', 'remove', gateway, 'openai', '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    await expect(ask(gateway)).rejects.toMatchObject({ status: 401 });
  });
});

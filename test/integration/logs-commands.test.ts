// `aigw request` and the logs verbs in process against an in-memory local gateway with the mock upstream:
// the filters the CLI compiles are the ones the logs API honours, and every management exchange is checked
// against the contract.
// Each test reads the logs of a gateway in an account of its own.
import { beforeEach, describe, expect, it } from 'vitest';
import { createGateway } from '../helpers/fake-upstream.js';
import { localCommands } from '../helpers/local-commands.js';

const cli = localCommands([], (gw, account) => createGateway(gw, 'logs-int', {}, account), {
  accountPerTest: true,
  gateway: { mock: true },
});
const aigw = cli.run;
const { contract } = cli;

async function send(prompt: string, ...flags: string[]): Promise<string> {
  const result = await aigw(['--json', 'request', 'logs-int', prompt, ...flags]);
  return (JSON.parse(result.stdout) as { log_id: string }).log_id;
}

const listed = async (...flags: string[]) => {
  const result = await aigw(['--json', 'logs', 'logs-int', '--limit', '0', ...flags]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { id: string }[]).map((l) => l.id).sort();
};

describe('logs verbs against the local logs API', () => {
  let sent: Record<string, string> = {};
  beforeEach(async () => {
    sent = {};
    sent.alice = await send('one', '--meta', 'user=alice', '--event-id', 'ev-alice');
    sent.bob = await send(
      'two',
      '--meta',
      'user=bob',
      '--provider',
      'anthropic',
      '--model',
      'claude-3-5-haiku-latest',
    );
    sent.long = await send('x'.repeat(4000));
    sent.error = await send('three', '--model', 'gpt-4o-mini@status=503');
    sent.miss = await send('four', '--cache-ttl', '1h');
    sent.hit = await send('four', '--cache-ttl', '1h');
  });

  it('each human flag selects what it says, as the API applies it', async () => {
    expect(await listed('--status', 'error')).toEqual([sent.error]);
    expect(await listed('--status', '503')).toEqual([sent.error]);
    expect(await listed('--status', '4xx')).toEqual([]);
    expect(await listed('--provider', 'anthropic')).toEqual([sent.bob]);
    expect(await listed('--model', 'claude-3-5-haiku-latest')).toEqual([sent.bob]);
    expect(await listed('--cached')).toEqual([sent.hit]);
    expect(await listed('--meta', 'user=alice')).toEqual([sent.alice]);
    expect(await listed('--event-id', 'ev-alice')).toEqual([sent.alice]);
    expect(await listed('--min-tokens', '500')).toEqual([sent.long]);
    expect(await listed('--filter', 'tokens_in:gt:500')).toEqual([sent.long]);
    expect(await listed('--since', '1h')).toHaveLength(6);
    expect(await listed('--until', '1h')).toEqual([]);
  });

  it('a limit reads only the pages it needs from the real API', async () => {
    const before = contract.exchanges.length;
    const result = await aigw(['logs', 'logs-int', '--limit', '2']);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    const lists = contract.exchanges
      .slice(before)
      .filter((e) => e.operationId === 'aig-config-list-gateway-logs');
    expect(lists).toHaveLength(1);
  });

  it('logs tail follows new logs through the real API (fake clock, no sleeping)', async () => {
    const stop = new AbortController();
    let polls = 0;
    let newest = '';
    const result = await aigw(['logs', 'tail', 'logs-int'], {
      sleep: async () => {
        polls++;
        if (polls === 1) newest = await send('tailed');
        if (polls === 3) stop.abort();
      },
      interrupts: () => stop.signal,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual([newest]);
  });

  it("feedback --meta adds its entries to the log's metadata and keeps the others", async () => {
    const rated = await aigw([
      'logs',
      'feedback',
      'logs-int',
      sent.alice!,
      '--up',
      '--meta',
      'reviewer=carol',
    ]);
    expect(rated.code, rated.stderr).toBe(0);
    const log = await aigw(['--json', 'logs', 'get', 'logs-int', sent.alice!]);
    expect(JSON.parse(JSON.parse(log.stdout).metadata)).toEqual({ user: 'alice', reviewer: 'carol' });
    expect(await listed('--meta', 'user=alice', '--feedback', 'up')).toEqual([sent.alice]);
  });

  it('delete removes what the filter selects and nothing else', async () => {
    const all = await listed();
    const result = await aigw(['logs', 'delete', 'logs-int', '--provider', 'anthropic', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(await listed()).toEqual(all.filter((id) => id !== sent.bob));
  });
});

describe('request -d', () => {
  it('--json names the model the body asks for, as the log does', async () => {
    const body = JSON.stringify({ model: 'text-embedding-3-small', input: 'hello' });
    const sentBody = await aigw(['--json', 'request', 'logs-int', '-d', body, '--path', 'embeddings']);
    expect(sentBody.code, sentBody.stderr).toBe(0);
    const report = JSON.parse(sentBody.stdout);
    expect(report).toMatchObject({ status: 200, model: 'text-embedding-3-small' });
    const log = JSON.parse((await aigw(['--json', 'logs', 'get', 'logs-int', report.log_id])).stdout);
    expect(log.model).toBe('text-embedding-3-small');
  });
});

describe('request through the mock, every provider shape, streamed and whole', () => {
  const cases: [string, string[]][] = [
    ['openai', []],
    ['anthropic', ['--provider', 'anthropic', '--model', 'claude-3-5-haiku-latest']],
    ['google-ai-studio', ['--provider', 'google-ai-studio', '--model', 'gemini-2.0-flash']],
    ['compat', ['--compat', '--model', 'anthropic/claude-3-5-haiku-latest']],
  ];
  for (const [name, flags] of cases) {
    for (const stream of [false, true]) {
      it(`${name}${stream ? ', streamed' : ''}: the answer's text, tokens and cost; the log reads back`, async () => {
        const prompt = `shape ${name} ${stream}`;
        const args = ['request', 'logs-int', prompt, ...flags, ...(stream ? ['--stream'] : [])];
        const shown = await aigw(args);
        expect(shown.code, shown.stderr).toBe(0);
        expect(shown.stdout).toBe(`Mock reply to: "${prompt}"\n`);
        const report = JSON.parse((await aigw(['--json', ...args, '--skip-cache'])).stdout);
        expect(report).toMatchObject({ status: 200, text: `Mock reply to: "${prompt}"` });
        expect(report.tokens_in).toBeGreaterThan(0);
        expect(report.tokens_out).toBeGreaterThan(0);
        expect(typeof report.cost).toBe('number');
        const got = await aigw(['logs', 'get', 'logs-int', report.log_id, '--response']);
        expect(got.stdout).toContain(`Response body:\n`);
        expect(got.stdout).toContain(
          stream ? `Mock reply to: "${prompt}"` : `Mock reply to: \\"${prompt}\\"`,
        );
      });
    }
  }
});

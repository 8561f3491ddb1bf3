// The logs verbs in process against a fake of Cloudflare's logs API that checks every exchange against the
// contract: what is sent (one JSON `filters` parameter, pages only as needed) and what is printed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeLog, fakeLogsApi } from '../helpers/fake-logs-api.js';
import { runInProcess, scriptedPrompter } from '../helpers/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'aigw-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOKEN = 'cf-test-token-1234567890';
const ACCOUNT = '0123456789abcdef0123456789abcdef';
const start = Date.parse('2026-05-10T12:00:00Z');

function sampleLogs(n: number, over: (i: number) => Partial<FakeLog> = () => ({})): FakeLog[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `01LOG${String(i).padStart(5, '0')}`,
    created_at: new Date(start + i * 1000).toISOString(),
    provider: 'openai',
    model: 'gpt-4o-mini',
    path: 'chat/completions',
    duration: 100 + i,
    success: true,
    cached: false,
    tokens_in: 10,
    tokens_out: 20,
    status_code: 200,
    cost: 0.000015,
    ...over(i),
  }));
}

let api: ReturnType<typeof fakeLogsApi>;
let configDir: string;
let tests = 0;

beforeEach(() => {
  // Each test its own profiles (one adds a profile with a default gateway).
  configDir = join(dir, `config-${++tests}`);
  api = fakeLogsApi({
    gateways: { prod: {} },
    logs: sampleLogs(6, (i) =>
      i === 2
        ? { success: false, status_code: 500, tokens_in: null, tokens_out: null, cost: 0 }
        : i === 4
          ? { success: false, status_code: 429, metadata: { user: 'alice' } }
          : i === 5
            ? { cached: true, provider: 'anthropic', model: 'claude-3-5-haiku', metadata: { user: 'bob' } }
            : {},
    ),
  });
});

afterEach(() => {
  expect(api.violations).toEqual([]);
});

function aigw(argv: string[], options: { tty?: boolean; env?: Record<string, string>; stdin?: string } = {}) {
  return runInProcess(argv, {
    env: {
      CLOUDFLARE_API_TOKEN: TOKEN,
      CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
      AIGW_CONFIG_DIR: configDir,
      NO_COLOR: '1',
      ...options.env,
    },
    cwd: dir,
    fetch: api.fetch,
    prompter: scriptedPrompter({}),
    now: () => new Date(start + 60_000),
    ...(options.tty ? { tty: true } : {}),
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
  });
}

const filtersSent = (query: URLSearchParams) => JSON.parse(query.get('filters') ?? '[]');
const ids = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t').at(-1));

describe('aigw logs (filter)', () => {
  it('--status error sends one JSON filters parameter and prints only the errors, tab-separated', async () => {
    const result = await aigw(['logs', 'prod', '--status', 'error']);
    expect(result.code, result.stderr).toBe(0);
    const [query] = api.listQueries();
    expect(query!.getAll('filters')).toHaveLength(1);
    expect(filtersSent(query!)).toEqual([{ key: 'success', operator: 'eq', value: [false] }]);
    expect(ids(result.stdout)).toEqual(['01LOG00004', '01LOG00002']);
    // created, status, provider, model, tokens in, tokens out, cost, duration, cached, id
    expect(result.stdout.split('\n')[1]!.split('\t')).toEqual([
      '2026-05-10T12:00:02.000Z',
      '500',
      'openai',
      'gpt-4o-mini',
      '',
      '',
      '0',
      '102',
      'false',
      '01LOG00002',
    ]);
  });

  it('filter, list and bare logs are the same command; the gateway may come from the profile', async () => {
    const added = await aigw(['--account-id', ACCOUNT, 'profile', 'add', 'ci', '--default-gateway', 'prod']);
    expect(added.code, added.stderr).toBe(0);
    const bare = await aigw(['--profile', 'ci', 'logs', '--status', '5xx']);
    expect(bare.code, bare.stderr).toBe(0);
    expect(ids(bare.stdout)).toEqual(['01LOG00002']);
    for (const verb of ['filter', 'list']) {
      const r = await aigw(['--profile', 'ci', 'logs', verb, '--status', '5xx']);
      expect(r.stdout).toBe(bare.stdout);
    }
    expect(api.listQueries().every((q) => q.get('per_page') === '50')).toBe(true);
  });

  it('without a gateway or a default one, says how to give one (exit 2, nothing sent)', async () => {
    const result = await aigw(['logs', '--status', 'error']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No gateway given');
    expect(result.stderr).toContain('--default-gateway');
    expect(api.requests).toHaveLength(0);
  });

  it('fetches only the pages a limit needs', async () => {
    api.logs = sampleLogs(130);
    const ten = await aigw(['logs', 'prod', '--limit', '10']);
    expect(ids(ten.stdout)).toHaveLength(10);
    expect(api.listQueries().map((q) => [q.get('page'), q.get('per_page')])).toEqual([['1', '10']]);

    api.requests.length = 0;
    const sixty = await aigw(['logs', 'prod', '--limit', '60']);
    expect(ids(sixty.stdout)).toHaveLength(60);
    expect(api.listQueries().map((q) => q.get('page'))).toEqual(['1', '2']);

    api.requests.length = 0;
    const all = await aigw(['logs', 'prod', '--limit', '0', '--sort', 'created_at:asc']);
    expect(ids(all.stdout)).toHaveLength(130);
    expect(ids(all.stdout)[0]).toBe('01LOG00000');
    // 50 + 50 + 30: the short page is the last one; no empty page is asked for.
    expect(api.listQueries().map((q) => q.get('page'))).toEqual(['1', '2', '3']);
    expect(api.listQueries()[0]!.get('order_by_direction')).toBe('asc');
  });

  it('keeps fetching while a local check (an exact status) drops logs, up to the limit', async () => {
    api.logs = sampleLogs(120, (i) => ({ success: false, status_code: i % 10 === 0 ? 429 : 500 }));
    const result = await aigw(['logs', 'prod', '--status', '429', '--limit', '7']);
    expect(ids(result.stdout)).toHaveLength(7);
    expect(api.listQueries().map((q) => q.get('page'))).toEqual(['1', '2']);
  });

  it('--meta, --cached, --provider and --filter narrow the list as the API filters do', async () => {
    const meta = await aigw(['logs', 'prod', '--meta', 'user=alice']);
    expect(ids(meta.stdout)).toEqual(['01LOG00004']);
    const cached = await aigw(['logs', 'prod', '--cached']);
    expect(ids(cached.stdout)).toEqual(['01LOG00005']);
    const notCached = await aigw(['logs', 'prod', '--no-cached', '--provider', 'openai']);
    expect(ids(notCached.stdout)).toHaveLength(5);
    const filter = await aigw(['logs', 'prod', '--filter', 'model:contains:claude']);
    expect(ids(filter.stdout)).toEqual(['01LOG00005']);
    const since = await aigw(['logs', 'prod', '--since', '2026-05-10T12:00:03.500Z']);
    expect(ids(since.stdout)).toEqual(['01LOG00005', '01LOG00004']);
  });

  it('prints a table with headers in a terminal, and a JSON array with --json', async () => {
    const table = await aigw(['logs', 'prod', '--limit', '2'], { tty: true });
    const [header, first] = table.stdout.split('\n');
    for (const column of [
      'TIME',
      'STATUS',
      'PROVIDER/MODEL',
      'TOKENS IN/OUT',
      'COST',
      'DURATION',
      'CACHED',
      'ID',
    ])
      expect(header).toContain(column);
    expect(first).toMatch(
      /200\s+anthropic\/claude-3-5-haiku\s+10\/20\s+\$0\.000015\s+105ms\s+cached\s+01LOG00005/,
    );
    expect(table.stderr).toContain('2 of 6 matching logs');

    const json = await aigw(['--json', 'logs', 'prod', '--status', 'error']);
    const parsed = JSON.parse(json.stdout) as { id: string; metadata?: string }[];
    expect(parsed.map((l) => l.id)).toEqual(['01LOG00004', '01LOG00002']);
    expect(parsed[0]!.metadata).toBe('{"user":"alice"}');
  });

  it('an empty result is exit 0 with a note in a terminal', async () => {
    const result = await aigw(['logs', 'prod', '--model', 'nope'], { tty: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No logs in gateway prod match');
  });

  it('bad flags are usage errors (exit 2) and send nothing', async () => {
    for (const argv of [
      ['--status', 'teapot'],
      ['--filter', 'status_code:eq:500'],
      ['--filter', 'cost:gte:1'],
      ['--sort', 'cost'],
      ['--limit', 'ten'],
      ['--since', 'last week'],
    ]) {
      const result = await aigw(['logs', 'prod', ...argv]);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^Error: /);
    }
    expect(api.requests).toHaveLength(0);
  });

  it('an unknown gateway is a not-found error naming it', async () => {
    const result = await aigw(['logs', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Gateway "nope" was not found in account ${ACCOUNT}`);
  });

  it('never prints the API token, even with --debug', async () => {
    const result = await aigw(['--debug', 'logs', 'prod', '--status', 'error']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `GET https://api.cloudflare.com/client/v4/accounts/${ACCOUNT}/ai-gateway/gateways/prod/logs`,
    );
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });
});

describe('aigw logs get', () => {
  beforeEach(() => {
    const log = api.logs[1]!;
    log.request_body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };
    log.response_body = [
      'data: {"choices":[{"delta":{"content":"Hel"}}]}',
      '',
      'data: {"choices":[{"delta":{"content":"lo!"}}]}',
      '',
      'data: [DONE]',
      '',
    ].join('\n');
  });

  it('shows the record, the request pretty-printed and a streamed answer as its text', async () => {
    const result = await aigw(['logs', 'get', 'prod', '01LOG00001', '--request', '--response'], {
      tty: true,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ID\s+01LOG00001/);
    expect(result.stdout).toMatch(/Model\s+gpt-4o-mini/);
    expect(result.stdout).toContain('Request body:\n{\n  "model": "gpt-4o-mini",');
    expect(result.stdout).toContain('Response body:\nHello!');
  });

  it('--raw prints the stream as stored; --json carries the bodies and the assembled text', async () => {
    const raw = await aigw(['logs', 'get', 'prod', '01LOG00001', '--response', '--raw']);
    expect(raw.stdout).toContain('data: {"choices":[{"delta":{"content":"Hel"}}]}');
    const json = await aigw(['--json', 'logs', 'get', 'prod', '01LOG00001', '--response']);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ id: '01LOG00001', response_text: 'Hello!' });
    expect(parsed.response).toContain('data: [DONE]');
  });

  it('takes the gateway from the profile when given only the id', async () => {
    await aigw(['--account-id', ACCOUNT, 'profile', 'add', 'ci', '--default-gateway', 'prod']);
    const result = await aigw(['--profile', 'ci', '--json', 'logs', 'get', '01LOG00003']);
    expect(JSON.parse(result.stdout).id).toBe('01LOG00003');
  });

  it('an unknown log id is not found, naming the log and the gateway', async () => {
    const result = await aigw(['logs', 'get', 'prod', '01NOPE']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Log 01NOPE was not found in gateway prod');
  });
});

describe('aigw logs feedback', () => {
  it('--up records thumbs up, and logs --feedback up finds it', async () => {
    const rated = await aigw([
      'logs',
      'feedback',
      'prod',
      '01LOG00003',
      '--up',
      '--score',
      '90',
      '--meta',
      'by=me',
    ]);
    expect(rated.code, rated.stderr).toBe(0);
    expect(rated.stdout.trim()).toBe('01LOG00003');
    const patch = api.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.body).toEqual({ feedback: 1, score: 90, metadata: { by: 'me' } });
    const found = await aigw(['logs', 'prod', '--feedback', 'up']);
    expect(ids(found.stdout)).toEqual(['01LOG00003']);
  });

  it('needs something to record, one vote, and a score from 0 to 100', async () => {
    for (const argv of [[], ['--up', '--down'], ['--score', '101'], ['--meta', 'x']]) {
      const result = await aigw(['logs', 'feedback', 'prod', '01LOG00003', ...argv]);
      expect(result.code, argv.join(' ')).toBe(2);
    }
    expect(api.requests).toHaveLength(0);
  });
});

describe('aigw logs delete', () => {
  it('--status error --yes deletes exactly the errors and says how many', async () => {
    const result = await aigw(['logs', 'delete', 'prod', '--status', 'error', '--yes'], { tty: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Deleted 2 logs of gateway prod');
    expect(api.logs.map((l) => l.id)).toEqual(['01LOG00000', '01LOG00001', '01LOG00003', '01LOG00005']);
    const del = api.requests.find((r) => r.method === 'DELETE')!;
    expect(filtersSent(del.query)).toEqual([{ key: 'success', operator: 'eq', value: [false] }]);
    expect(del.query.get('limit')).toBe('2');
  });

  it('asks in a terminal, saying how many logs match; no keeps them', async () => {
    const prompter = scriptedPrompter({ confirm: [false] });
    const result = await runInProcess(['logs', 'delete', 'prod', '--provider', 'openai'], {
      env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, AIGW_CONFIG_DIR: join(dir, 'c2') },
      fetch: api.fetch,
      prompter,
      tty: true,
    });
    expect(result.code).toBe(0);
    expect(prompter.asked).toEqual([
      'confirm: Delete all 5 matching logs of gateway prod? This cannot be undone.',
    ]);
    expect(result.stderr).toContain('Nothing was deleted');
    expect(api.logs).toHaveLength(6);
  });

  it('needs --yes when not interactive; --dry-run only counts', async () => {
    const refused = await aigw(['logs', 'delete', 'prod', '--status', 'error']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes required');
    const dry = await aigw(['logs', 'delete', 'prod', '--status', 'error', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.trim()).toBe('2');
    expect(dry.stderr).toContain('2 logs of gateway prod match; nothing was deleted (--dry-run)');
    expect(api.logs).toHaveLength(6);
    expect(api.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });

  it('--limit deletes the oldest matching; what the API cannot filter on is refused', async () => {
    const limited = await aigw(['--json', 'logs', 'delete', 'prod', '--limit', '2', '--yes']);
    expect(JSON.parse(limited.stdout)).toEqual({ gateway: 'prod', matched: 6, deleted: 2, dry_run: false });
    expect(api.logs.map((l) => l.id)[0]).toBe('01LOG00002');
    for (const argv of [
      ['--status', '5xx'],
      ['--search', 'x'],
      ['--meta', 'a=1', '--meta', 'b=2'],
    ]) {
      const result = await aigw(['logs', 'delete', 'prod', ...argv, '--yes']);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain('cannot select logs to delete');
    }
  });
});

describe('aigw logs export', () => {
  it('writes every matching log as CSV to a file, page by page', async () => {
    api.logs = sampleLogs(120, (i) => (i === 7 ? { metadata: { note: 'a, "quoted" value' } } : {}));
    const result = await aigw(['logs', 'export', 'prod', '--format', 'csv', '-o', 'out.csv']);
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'out.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(
      'id,created_at,provider,model,model_type,path,status_code,success,cached,duration,tokens_in,tokens_out,cost,custom_cost,metadata,step,request_type,request_content_type,response_content_type',
    );
    expect(lines).toHaveLength(121);
    expect(lines.find((l) => l.startsWith('01LOG00007'))).toContain(
      '"{""note"":""a, \\""quoted\\"" value""}"',
    );
    expect(api.listQueries().map((q) => q.get('page'))).toEqual(['1', '2', '3']);
    // Piped: the file is the result; the success line is for terminals.
    expect(result.stderr).not.toContain('Exported');
  });

  it('writes JSON Lines to stdout, with the bodies when asked', async () => {
    api.logs[0]!.request_body = { prompt: 'hi' };
    const result = await aigw(['logs', 'export', 'prod', '--bodies', '--status', 'success']);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(4);
    const first = rows.find((r) => r.id === '01LOG00000');
    expect(first).toMatchObject({ request: { prompt: 'hi' }, response: null });
  });

  it('shows a progress bar on stderr in a terminal when the data goes elsewhere', async () => {
    const result = await aigw(['logs', 'export', 'prod', '-o', 'p.jsonl'], { tty: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Exporting prod .*1\/6/);
    expect(result.stderr).toContain('\r\x1b[K');
  });

  it('rejects an unknown format', async () => {
    const result = await aigw(['logs', 'export', 'prod', '--format', 'xml']);
    expect(result.code).toBe(2);
  });
});

describe('aigw logs tail', () => {
  /** Runs tail with a fake clock: `onSleep(n)` runs at the n-th wait (1-based); the run stops after `stopAt`. */
  async function tail(argv: string[], onSleep: (n: number) => void, stopAt: number, tty = false) {
    const stop = new AbortController();
    const waits: number[] = [];
    let clock = start + 60_000;
    const result = await runInProcess(['logs', 'tail', ...argv], {
      env: {
        CLOUDFLARE_API_TOKEN: TOKEN,
        CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
        AIGW_CONFIG_DIR: configDir,
        NO_COLOR: '1',
      },
      fetch: api.fetch,
      now: () => new Date(clock),
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
        if (waits.length >= stopAt) stop.abort();
        else onSleep(waits.length);
      },
      interrupts: () => stop.signal,
      tty,
    });
    return { ...result, waits };
  }

  const newLog = (i: number, over: Partial<FakeLog> = {}) => sampleLogs(i + 1, () => over)[i]!;

  it('prints only logs written after it started, once each, oldest first, as JSON Lines; Ctrl-C exits 0', async () => {
    const result = await tail(
      ['prod'],
      (n) => {
        if (n === 1) api.logs.push(newLog(10));
        if (n === 2) api.logs.push(newLog(12), newLog(11));
      },
      4,
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((l) => l.id)).toEqual(['01LOG00010', '01LOG00011', '01LOG00012']);
    expect(result.stderr).toContain('Following the logs of gateway prod (Ctrl-C to stop)');
    expect(result.waits).toEqual([1000, 1000, 1000, 1000]);
    // The cursor moves: after the first poll every query asks only for logs near the newest one seen.
    const later = api.listQueries().slice(1).map(filtersSent);
    expect(later.every((f) => f.some((x: { key: string }) => x.key === 'created_at'))).toBe(true);
  });

  it('applies the filters, and checks what the API cannot (an exact status)', async () => {
    const result = await tail(
      ['prod', '--status', '429'],
      (n) => {
        if (n === 1)
          api.logs.push(
            newLog(20, { success: false, status_code: 500 }),
            newLog(21, { success: false, status_code: 429 }),
            newLog(22),
          );
      },
      3,
    );
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['01LOG00021']);
    expect(filtersSent(api.listQueries()[0]!)).toEqual([{ key: 'success', operator: 'eq', value: [false] }]);
  });

  it('backs off while the API rate-limits, then carries on', async () => {
    const result = await tail(
      ['prod'],
      (n) => {
        if (n === 1) api.failNext(429, 429);
        if (n === 3) api.logs.push(newLog(30));
      },
      5,
    );
    expect(result.code).toBe(0);
    expect(result.waits).toEqual([1000, 2000, 4000, 1000, 1000]);
    expect(result.stderr).toContain('Trying again in 2 s');
    expect(result.stderr).toContain('Trying again in 4 s');
    expect(result.stdout.trim()).toContain('01LOG00030');
  });

  it('with --since shows the logs since then first; one line per log in a terminal', async () => {
    const result = await tail(['prod', '--since', '2026-05-10T12:00:03.500Z'], () => {}, 1, true);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/429\s+openai\/gpt-4o-mini\s+10\/20 tok\s+\$0\.000015\s+104ms\s+01LOG00004$/);
    expect(lines[1]).toMatch(/200\s+anthropic\/claude-3-5-haiku .*cached\s+01LOG00005$/);
  });

  it('ends with the error when the gateway does not exist', async () => {
    const result = await tail(['nope'], () => {}, 3);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Gateway "nope" was not found');
  });
});

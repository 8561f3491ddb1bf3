// `aigw proxy` when writes to its database fail: it says so once on stderr with the cause, once again when they
// recover, keeps the logs meanwhile, and its last line counts the logs written and dropped.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requiredGatewaySettings } from '../helpers/control-plane.js';
import { type CliSandbox, cliSandbox, type RunningProxy, startProxyProcess } from '../helpers/run-cli.js';

let sandbox: CliSandbox;
beforeEach(() => {
  sandbox = cliSandbox();
});
afterEach(() => sandbox.cleanup());

async function traffic(proxy: RunningProxy, n: number): Promise<void> {
  const created = await fetch(`${proxy.apiUrl}/accounts/local/ai-gateway/gateways`, {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'demo', ...requiredGatewaySettings }),
  });
  expect(created.status).toBe(200);
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${proxy.url}/v1/local/demo/openai/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
}

/** Makes every log insert fail, as a full disk would, through a second connection; returns the undo. */
function failLogWrites(): () => void {
  const db = new DatabaseSync(join(sandbox.home, 'data', 'aigw.db'), { timeout: 5000 });
  db.exec(`CREATE TRIGGER fail_logs BEFORE INSERT ON logs BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
  return () => {
    db.exec('DROP TRIGGER fail_logs');
    db.close();
  };
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('aigw proxy when log writes fail', () => {
  it('says when writes fail and recover, and its last line counts every log written', async () => {
    const proxy = await startProxyProcess(sandbox, ['--mock']);
    const works = failLogWrites();
    await traffic(proxy, 20);
    await expect
      .poll(proxy.stderr, { timeout: 10_000 })
      .toMatch(/^aigw proxy: log writes failing \(disk full\): keeping \d+ logs? in memory, retrying$/m);
    const health = () => fetch(`${proxy.url}/_aigw/health`).then((res) => res.json());
    // A log is taken once its answer is sent, a moment after the client has it.
    await expect.poll(health, { timeout: 10_000 }).toMatchObject({
      status: 'degraded',
      logs: { pending: 20, written: 0, dropped: 0, failing: 'disk full' },
    });
    works();
    await expect
      .poll(proxy.stderr, { timeout: 10_000 })
      .toMatch(/^aigw proxy: log writes recovered: \d+ logs? written$/m);
    // Those kept in memory; a log still on its way to the writer then is written after them.
    await expect.poll(health, { timeout: 10_000 }).toMatchObject({
      status: 'ok',
      logs: { pending: 0, written: 20, dropped: 0, failing: null },
    });
    expect(await proxy.stop()).toBe(0);
    expect(proxy.stderr().match(/log writes failing/g)).toHaveLength(1);
    expect(lastLine(proxy.stderr())).toBe('Stopped: 20 logs written, 0 dropped.');
  });

  it('past --max-log-memory counts the logs dropped and says why', async () => {
    // The environment variable wins over the file's key, as a typed flag would.
    const file = join(sandbox.home, 'aigw.proxy.yaml');
    writeFileSync(file, 'maxLogMemory: 1mb\n');
    sandbox.env.AIGW_PROXY_MAX_LOG_MEMORY = '4kb';
    const proxy = await startProxyProcess(sandbox, ['--mock', '--config', file]);
    failLogWrites();
    await traffic(proxy, 30);
    const bound = 'over the log memory bound of 4 KB while writes failed: disk full';
    await expect.poll(proxy.stderr, { timeout: 10_000 }).toContain(`aigw proxy: dropping logs (${bound})`);
    // Stopped while the store still fails: what it held is dropped too, and the exit code stays 0.
    expect(await proxy.stop()).toBe(0);
    const line = lastLine(proxy.stderr())!;
    const counts = /^Stopped: 0 logs written, 30 dropped \((\d+) (.+)\)\.$/.exec(line);
    expect(counts, line).not.toBeNull();
    expect(line).toContain(bound);
    expect(line).toMatch(/\d+ writes still failing at shutdown: disk full/);
    expect(proxy.stderr()).not.toMatch(/\n\s+at /);
  });

  it('refuses a --max-log-memory that is not a size before starting', async () => {
    const file = join(sandbox.home, 'aigw.proxy.yaml');
    writeFileSync(file, 'maxLogMemory: lots\n');
    const result = await sandbox.run(['proxy', '--config', file, '--in-memory'], { timeoutMs: 10_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`maxLogMemory in ${file} takes a size like 25mb or 512kb, got "lots".`);
  });
});

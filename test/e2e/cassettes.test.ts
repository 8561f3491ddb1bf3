// The built CLI end to end: `aigw proxy --record DIR` against a fake provider, `aigw proxy --replay DIR` with the
// provider gone, then `aigw cassettes list | show | prune DIR`.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeUpstream,
  openaiCompletion,
  openaiStream,
  startFakeUpstream,
} from '../helpers/fake-upstream.js';
import { type CliSandbox, cliSandbox, startProxyProcess } from '../helpers/run-cli.js';

const KEY = 'sk-proj-e2e-cassettes-secret-0123456789';
let sandbox: CliSandbox;
let fake: FakeUpstream;
let dir: string;

function chat(url: string, content: string, stream = false) {
  return fetch(`${url}/v1/local/default/openai/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], stream }),
  });
}

beforeAll(async () => {
  sandbox = cliSandbox();
  dir = mkdtempSync(join(sandbox.home, 'cassettes-'));
  fake = await startFakeUpstream();
  fake.fallback = (req) =>
    req.json().stream
      ? { sse: openaiStream(['streamed', ' answer']) }
      : { json: openaiCompletion(`echo ${req.json().messages[0].content}`) };
  const recorder = await startProxyProcess(sandbox, [
    '--in-memory',
    '--record',
    dir,
    '--upstream',
    `openai=${fake.url}/v1`,
  ]);
  try {
    expect(recorder.stderr()).toContain(`recordings:  recording into ${dir}`);
    expect(await chat(recorder.url, 'one').then((r) => r.text())).toContain('echo one');
    expect(await chat(recorder.url, 'two', true).then((r) => r.text())).toContain('streamed');
  } finally {
    await recorder.stop();
    await fake.close();
  }
}, 30_000);
afterAll(() => sandbox.cleanup());

describe('aigw proxy --replay, then aigw cassettes', () => {
  it('replays offline, fails a request never recorded with 2010, and lists which recordings were used', async () => {
    const replayer = await startProxyProcess(sandbox, ['--in-memory', '--replay', dir]);
    try {
      expect(replayer.stderr()).toContain('(no request leaves this machine)');
      const res = await chat(replayer.url, 'one');
      expect(res.headers.get('cf-aig-replayed')).toMatch(/^[0-9a-f]{16}$/);
      expect(
        ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
      ).toBe('echo one');
      const miss = await chat(replayer.url, 'three');
      expect(miss.status).toBe(404);
      const body = (await miss.json()) as { error: { code: number; message: string }[] };
      expect(body.error[0]!.code).toBe(2010);
      expect(body.error[0]!.message).toContain('No recording for this request');
    } finally {
      await replayer.stop();
    }
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file), 'utf8')).not.toContain(KEY);

    const list = await sandbox.run(['cassettes', 'list', dir, '--json']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as {
      file: string;
      hash: string;
      path: string;
      used: boolean;
      events: number | null;
    }[];
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.path, r.used, r.events !== null]).sort()).toEqual([
      ['chat/completions', false, true],
      ['chat/completions', true, false],
    ]);
    const streamed = rows.find((r) => r.events !== null)!;

    const show = await sandbox.run(['cassettes', 'show', dir, streamed.hash.slice(0, 8)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('streamed answer');
    expect(show.stdout).toContain(streamed.file);
    // --json piped: one compact line, as every --json is when piped.
    const shownJson = await sandbox.run(['cassettes', 'show', dir, streamed.hash.slice(0, 8), '--json']);
    expect(shownJson.code).toBe(0);
    expect(shownJson.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(shownJson.stdout)).toMatchObject({ file: streamed.file, format: 'aigw-recording/1' });

    const dry = await sandbox.run(['cassettes', 'prune', dir, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('1 of 2 recordings would be deleted');
    expect(readdirSync(dir).filter((f) => !f.startsWith('.'))).toHaveLength(2);
    const prune = await sandbox.run(['cassettes', 'prune', dir]);
    expect(prune.code).toBe(0);
    expect(prune.stdout).toContain(streamed.file);
    expect(readdirSync(dir).filter((f) => !f.startsWith('.'))).toEqual([rows.find((r) => r.used)!.file]);
  }, 30_000);

  it('refuses what it cannot do: a missing directory, prune before any replay (exit 2)', async () => {
    const missing = await sandbox.run(['cassettes', 'list', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such directory');
    const fresh = mkdtempSync(join(sandbox.home, 'fresh-'));
    const prune = await sandbox.run(['cassettes', 'prune', fresh]);
    expect(prune.code).toBe(2);
    expect(prune.stderr).toContain('No replay has run on');
  });
});

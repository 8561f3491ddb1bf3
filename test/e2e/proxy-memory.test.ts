// After a burst of large request bodies, `aigw proxy` gives the memory back: its resident size comes back near
// where it was idle within seconds, instead of staying hundreds of MB above it (bench/body-burst.mjs measures
// the same at 64 x 20 MB). Linux only: it reads /proc.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox, type RunningProxy, startProxyProcess } from '../helpers/run-cli.js';

const MB = 1024 * 1024;
const linux = process.platform === 'linux';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

let sandbox: CliSandbox;
let proxy: RunningProxy;
let upstream: Server;

beforeAll(async () => {
  if (!linux) return;
  // An upstream that reads each body to its end and answers a small completion.
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'gpt-4o-mini', choices: [] }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const port = (upstream.address() as AddressInfo).port;
  sandbox = cliSandbox();
  proxy = await startProxyProcess(sandbox, [
    '--in-memory',
    '--upstream',
    `openai=http://127.0.0.1:${port}/v1`,
  ]);
});
afterAll(async () => {
  if (!linux) return;
  await proxy.stop();
  sandbox.cleanup();
  await new Promise((resolve) => upstream.close(resolve));
});

const chat = (body: string) =>
  fetch(`${proxy.url}/v1/local/default/openai/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
    body,
  }).then((res) => res.text().then(() => res.status));

describe.skipIf(!linux)('aigw proxy memory', () => {
  it('comes back near idle within 10 s of 16 concurrent 8 MB requests', async () => {
    const pid = proxy.process.pid!;
    const small = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    for (let i = 0; i < 10; i++) expect(await chat(small)).toBe(200);
    const idle = rssMb(pid);
    const large = JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x'.repeat(8 * MB) }],
    });
    const statuses = await Promise.all(Array.from({ length: 16 }, () => chat(large)));
    expect(statuses).toEqual(Array(16).fill(200));
    const bound = 1.5 * idle + 30;
    await expect.poll(() => rssMb(pid), { timeout: 10_000, interval: 250 }).toBeLessThanOrEqual(bound);
  }, 30_000);
});

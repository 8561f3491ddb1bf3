import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cancel } from '../../src/local/upstream/cancel.js';
import { FirstByteTimeout, type Planner, UpstreamPools } from '../../src/local/upstream/pools.js';
import type { UpstreamTarget } from '../../src/local/upstream/providers.js';

const whole: Planner = () => 'whole';
let server: Server | null = null;
const pools = new UpstreamPools();

afterEach(async () => {
  vi.useRealTimers();
  await pools.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

async function hangingUpstream(sendHead: boolean): Promise<UpstreamTarget> {
  server = createServer((req, res) => {
    req.resume();
    // The head alone: flushHeaders sends it with no body byte.
    if (sendHead) res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, path: '/', bearerToApiKey: false };
}

const send = (target: UpstreamTarget, planner: Planner, timeoutMs: number | null, cancel = new Cancel()) =>
  pools.send(target, { method: 'POST', headers: [], body: Buffer.from('{}') }, cancel, {
    planner,
    last: true,
    wholeLimit: 1024,
    timeoutMs,
  });

const stream: Planner = () => 'stream';

describe('upstream time limits', () => {
  it('has no hidden limit: without a timeout, an attempt still waits after 301 s', async () => {
    const target = await hangingUpstream(false);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const cancel = new Cancel();
    let settled = false;
    const pending = send(target, whole, null, cancel).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    vi.advanceTimersByTime(301_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    // The client going away is what ends it.
    vi.useRealTimers();
    cancel.cancel(new Error('client disconnected'));
    await expect(pending).rejects.toThrow('client disconnected');
  });

  for (const [name, planner] of [
    ['read whole', whole],
    ['streamed', stream],
  ] as const) {
    it(`a body that stalls after the head honours the timeout (${name})`, async () => {
      const pending = send(await hangingUpstream(true), planner, 100);
      await expect(pending).rejects.toBeInstanceOf(FirstByteTimeout);
    });
  }
});

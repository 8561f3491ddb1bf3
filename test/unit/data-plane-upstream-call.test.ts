import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cancel } from '../../src/local/upstream/cancel.js';
import { IDLE_LIMIT_MS, type Planner, UpstreamPools } from '../../src/local/upstream/pools.js';
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
    if (sendHead) res.writeHead(200, { 'content-type': 'application/json' }).write('{');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, path: '/', bearerToApiKey: false };
}

const send = (target: UpstreamTarget) =>
  pools.send(target, { method: 'POST', headers: [], body: Buffer.from('{}') }, new Cancel(), {
    planner: whole,
    last: true,
    wholeLimit: 1024,
    timeoutMs: null,
  });

async function idle(): Promise<void> {
  // Let the request reach the upstream, then let the shared sweep see it idle for the whole limit.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  vi.advanceTimersByTime(IDLE_LIMIT_MS + 2_000);
}

describe('upstream idle limit (one shared sweep)', () => {
  it('fails an attempt whose head never comes', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const pending = send(await hangingUpstream(false));
    const failed = expect(pending).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    await idle();
    await failed;
  });

  it('fails an attempt whose body stops arriving', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const pending = send(await hangingUpstream(true));
    const failed = expect(pending).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await idle();
    await failed;
  });
});

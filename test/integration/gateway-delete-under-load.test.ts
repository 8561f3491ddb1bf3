// Deleting a gateway while requests to it are in flight: once the delete returns, nothing of that gateway
// remains, and no log of a request that was still running appears later, under it or under a gateway created
// afterwards with the same id. File store: batches go through the writer thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCOUNT, createGateway, openaiCompletion, storedLogs } from '../helpers/fake-upstream.js';
import { dataPlaneFixture } from '../helpers/local-gateway.js';

const dir = mkdtempSync(join(tmpdir(), 'aigw-delete-load-'));
const dp = dataPlaneFixture({
  gateway: { inMemory: false, dataDir: dir },
  fallback: { json: openaiCompletion('ok'), delayMs: 5 },
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chat(): Promise<number> {
  return fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });
}

describe('a gateway deleted under load', () => {
  it('leaves no log behind, and none attaches to a gateway created later with the same id', async () => {
    createGateway(dp.gw, 'gw');
    let sent = 0;
    const worker = async () => {
      while (sent < 600) {
        sent++;
        await chat();
      }
    };
    const load = Array.from({ length: 32 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const res = await fetch(`${dp.gw.url}/client/v4/accounts/${ACCOUNT}/ai-gateway/gateways/gw`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer t' },
    });
    expect(res.status).toBe(200);
    expect(storedLogs(dp.gw, 'gw')).toEqual([]);
    // Requests still running finish against a gateway that no longer exists; then it is created again.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const recreatedAt = Date.now();
    createGateway(dp.gw, 'gw');
    await Promise.all(load);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent).toBeGreaterThanOrEqual(600);
    // Every log under the new gateway is of a request it received: none of the old one's reattached.
    const stray = storedLogs(dp.gw, 'gw').filter((l) => Date.parse(ulidTime(l.id)) < recreatedAt);
    expect(stray).toEqual([]);
  });
});

/** The time a ULID log id encodes (the request's arrival). */
function ulidTime(id: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let ms = 0;
  for (const c of id.slice(0, 10)) ms = ms * 32 + alphabet.indexOf(c);
  return new Date(ms).toISOString();
}

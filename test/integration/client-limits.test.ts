// Node's own HTTP server limits, set by the local gateway and answered in its envelope: a client that sends
// half its head, stalls in its body, or sends a head over the size limit gets a JSON AiGatewayError and a
// closed connection, within the limit (short ones here), instead of Node's bare 408 after a minute.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { ACCOUNT, createGateway } from '../helpers/fake-upstream.js';
import { startTestGateway } from '../helpers/local-gateway.js';

let gw: LocalGateway;

beforeAll(async () => {
  gw = await startTestGateway({ clientHeadTimeoutMs: 300, clientRequestTimeoutMs: 800 });
  createGateway(gw, 'gw');
});
afterAll(async () => {
  await gw.close();
});

/** Writes `text` on a new connection and reads until the server closes it. */
function exchange(text: string): Promise<{ raw: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(gw.port, '127.0.0.1', () => socket.write(text));
    let raw = '';
    socket.setEncoding('utf8').on('data', (d: string) => {
      raw += d;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ raw, ms: Date.now() - started }));
    setTimeout(() => reject(new Error(`still open after 5 s: ${raw}`)), 5_000).unref();
  });
}

function parsed(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [status, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => l.split(/:\s*/, 2).map((s) => s.toLowerCase())));
  return { status, headers, json: JSON.parse(body) as Record<string, unknown> };
}

const path = `/v1/${ACCOUNT}/gw/openai/chat/completions`;

describe('limits on what a client sends', () => {
  it('answers 408 in the gateway envelope when the head does not arrive in time', async () => {
    const { raw, ms } = await exchange(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: 1\r\n`);
    const answer = parsed(raw);
    expect(answer.status).toBe('HTTP/1.1 408 Request Timeout');
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', connection: 'close' });
    expect(answer.json).toMatchObject({
      success: false,
      name: 'AiGatewayError',
      httpCode: 408,
      error: [{ code: 2000, message: expect.stringContaining('its head within 300 ms') }],
    });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(2_000);
  });

  it('answers 408 when the body stalls past the whole-request limit', async () => {
    const { raw, ms } = await exchange(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":`,
    );
    expect(parsed(raw)).toMatchObject({ status: 'HTTP/1.1 408 Request Timeout', json: { httpCode: 408 } });
    expect(ms).toBeGreaterThanOrEqual(790);
    expect(ms).toBeLessThan(3_000);
  });

  it('answers 431 in the envelope for a head over 16 KB', async () => {
    const { raw } = await exchange(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`,
    );
    expect(parsed(raw)).toMatchObject({
      status: 'HTTP/1.1 431 Request Header Fields Too Large',
      json: { httpCode: 431, error: [{ code: 2000, message: expect.stringContaining('16 KB') }] },
    });
  });

  it('answers 400 in the envelope for a request that is not HTTP', async () => {
    const { raw } = await exchange('HELLO\r\n\r\n');
    expect(parsed(raw)).toMatchObject({ status: 'HTTP/1.1 400 Bad Request', json: { httpCode: 400 } });
  });

  it('keeps an idle keep-alive connection past the head limit for its next request', async () => {
    const get = `GET /client/v4/user/tokens/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n\r\n`;
    const answers = await new Promise<string>((resolve, reject) => {
      const socket = connect(gw.port, '127.0.0.1', () => socket.write(get));
      let raw = '';
      socket.setEncoding('utf8').on('data', (d: string) => {
        raw += d;
        if (raw.split('HTTP/1.1 ').length === 2) setTimeout(() => socket.write(get), 600);
        if (raw.split('HTTP/1.1 ').length === 3) {
          socket.end();
          resolve(raw);
        }
      });
      socket.on('error', reject);
      setTimeout(() => reject(new Error(`no second answer: ${raw}`)), 5_000).unref();
    });
    expect(answers).not.toContain('HTTP/1.1 408');
  });
});

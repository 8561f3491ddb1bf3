// A web page must not spend the keys the proxy holds: browser requests from an origin that is neither loopback
// nor allowed with --cors are refused (preflights included) and logged as refused, on both planes; OPTIONS is
// answered by the gateway and never forwarded; clients that send no Origin are unaffected. Also: Host names
// that only start like a loopback name are refused.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import {
  ACCOUNT,
  createGateway,
  type FakeUpstream,
  openaiCompletion,
  startFakeUpstream,
  storedLogs,
} from '../helpers/fake-upstream.js';
import { startTestGateway } from '../helpers/local-gateway.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** node:http, so that Origin, Host and Sec-Fetch-Site go out exactly as a browser (or an attacker) sets them. */
function send(
  gw: LocalGateway,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${gw.url}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const EVIL = 'https://evil.example';
const customPath = `/v1/${ACCOUNT}/gw/custom-acme/v1/chat/completions`;
const chatBody = JSON.stringify({ model: 'acme-large', messages: [{ role: 'user', content: 'hi' }] });

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.clear();
  fake.fallback = { json: openaiCompletion('spent') };
});

async function gatewayWithStoredKey(options: { corsOrigin?: string } = {}): Promise<LocalGateway> {
  const gw = await startTestGateway(options);
  createGateway(gw, 'gw');
  gw.runtime.customProviders.create(
    ACCOUNT,
    {
      name: 'acme',
      slug: 'acme',
      base_url: `${fake.url}/acme`,
      headers: JSON.stringify({ 'x-acme-key': 'stored-secret' }),
    },
    new Date(),
  );
  return gw;
}

describe('without --cors', () => {
  let gw: LocalGateway;
  beforeAll(async () => {
    gw = await gatewayWithStoredKey();
  });
  afterAll(() => gw.close());

  it('refuses a cross-site "simple" POST to custom-{slug} before it spends the stored key, and logs it', async () => {
    const res = await send(gw, 'POST', customPath, { origin: EVIL, 'content-type': 'text/plain' }, chatBody);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({
      success: false,
      error: [{ code: 2012, message: expect.stringContaining(`origin ${EVIL} are refused`) }],
      name: 'AiGatewayError',
      httpCode: 403,
      internalCode: 2012,
    });
    expect(fake.requests).toHaveLength(0);
    const logId = res.headers['cf-aig-log-id'];
    const log = storedLogs(gw, 'gw').find((l) => l.id === logId);
    expect(log).toMatchObject({ status_code: 403, success: 0, provider: 'custom-acme' });
    expect(log!.error).toContain('refused');
  });

  it('refuses the preflight of a page from another origin', async () => {
    const res = await send(gw, 'OPTIONS', customPath, {
      origin: EVIL,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a cross-site request a browser sent without an Origin (an <img> GET)', async () => {
    const res = await send(gw, 'GET', `/v1/${ACCOUNT}/gw/custom-acme/v1/models`, {
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'no-cors',
    });
    expect(res.status).toBe(403);
    expect(fake.requests).toHaveLength(0);
  });

  it('answers OPTIONS itself and never forwards it to the provider', async () => {
    const plain = await send(gw, 'OPTIONS', customPath, {});
    expect(plain.status).toBe(204);
    expect(plain.headers.allow).toContain('POST');
    const local = await send(gw, 'OPTIONS', customPath, { origin: 'http://localhost:5173' });
    expect(local.status).toBe(204);
    // No CORS headers unless --cors asks for them.
    expect(local.headers['access-control-allow-origin']).toBeUndefined();
    expect(fake.requests).toHaveLength(0);
  });

  it('serves pages on loopback origins and clients that send no Origin', async () => {
    for (const origin of [
      'http://localhost:5173',
      'http://127.0.0.1:3000',
      'http://[::1]:8080',
      'http://app.localhost',
    ]) {
      const res = await send(
        gw,
        'POST',
        customPath,
        { origin, 'content-type': 'application/json' },
        chatBody,
      );
      expect([origin, res.status]).toEqual([origin, 200]);
    }
    const res = await send(gw, 'POST', customPath, { 'content-type': 'application/json' }, chatBody);
    expect(res.status).toBe(200);
    expect(fake.requests).toHaveLength(5);
  });

  it('does not create the default gateway for a refused page', async () => {
    const res = await send(
      gw,
      'POST',
      `/v1/${ACCOUNT}/default/openai/chat/completions`,
      { origin: EVIL },
      chatBody,
    );
    expect(res.status).toBe(403);
    expect(gw.runtime.gateways.get(ACCOUNT, 'default')).toBeNull();
  });

  it('refuses pages from other origins on the control plane too, preflights included', async () => {
    const path = `/client/v4/accounts/${ACCOUNT}/ai-gateway/gateways`;
    const get = await send(gw, 'GET', path, { origin: EVIL, authorization: 'Bearer t' });
    expect(get.status).toBe(403);
    expect(JSON.parse(get.text)).toMatchObject({
      success: false,
      errors: [{ code: 10000, message: expect.stringContaining(EVIL) }],
    });
    const preflight = await send(gw, 'OPTIONS', path, {
      origin: EVIL,
      'access-control-request-method': 'DELETE',
    });
    expect(preflight.status).toBe(403);
    const local = await send(gw, 'GET', path, { origin: 'http://localhost:3000', authorization: 'Bearer t' });
    expect(local.status).toBe(200);
  });

  it('refuses Host headers that only start like a loopback name', async () => {
    for (const host of [
      '[::1]evil.com',
      '127.0.0.1.evil.com',
      'localhost.evil.com',
      'localhost:80:x',
      'evil@localhost',
    ]) {
      const res = await send(gw, 'GET', '/client/v4/accounts', { host, authorization: 'Bearer t' });
      expect([host, res.status]).toEqual([host, 403]);
    }
    for (const host of ['localhost', 'localhost:8787', '127.0.0.1:1', '[::1]:8787', 'app.localhost']) {
      const res = await send(gw, 'GET', '/client/v4/accounts', { host, authorization: 'Bearer t' });
      expect([host, res.status]).toEqual([host, 200]);
    }
  });
});

describe('with --cors https://app.example', () => {
  let gw: LocalGateway;
  beforeAll(async () => {
    gw = await gatewayWithStoredKey({ corsOrigin: 'https://app.example' });
  });
  afterAll(() => gw.close());

  it('answers the allowed origin with CORS headers, preflight and request, and refuses the others', async () => {
    const preflight = await send(gw, 'OPTIONS', customPath, {
      origin: 'https://app.example',
      'access-control-request-method': 'POST',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    const allowed = await send(
      gw,
      'POST',
      customPath,
      { origin: 'https://app.example', 'content-type': 'application/json' },
      chatBody,
    );
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await send(
      gw,
      'POST',
      customPath,
      { origin: EVIL, 'content-type': 'text/plain' },
      chatBody,
    );
    expect(other.status).toBe(403);
    expect(fake.requests).toHaveLength(1);
  });
});

// cf-aig-request-timeout as Cloudflare documents it: the time to the first part of the response. A provider
// that sends its head and then nothing fails the attempt (504, logged as an upstream failure), streamed or not.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import {
  ACCOUNT,
  createGateway,
  type FakeUpstream,
  logById,
  startFakeUpstream,
} from '../helpers/fake-upstream.js';
import { startTestGateway } from '../helpers/local-gateway.js';

let fake: FakeUpstream;
let gw: LocalGateway;

beforeAll(async () => {
  fake = await startFakeUpstream();
  gw = await startTestGateway({ upstreams: { openai: `${fake.url}/v1` } });
  createGateway(gw, 'gw');
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => fake.clear());

describe('a body that stalls after the head', () => {
  for (const contentType of ['application/json', 'text/event-stream']) {
    it(`honours cf-aig-request-timeout and is logged as an upstream failure (${contentType})`, async () => {
      fake.fallback = {
        write: (res) => {
          res.writeHead(200, { 'content-type': contentType });
          res.flushHeaders();
        },
      };
      const started = Date.now();
      const res = await fetch(`${gw.url}/v1/${ACCOUNT}/gw/openai/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sk-x',
          'content-type': 'application/json',
          'cf-aig-request-timeout': '200',
        },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: contentType !== 'application/json',
          messages: [],
        }),
      });
      expect(res.status).toBe(504);
      expect(await res.json()).toMatchObject({
        error: [{ code: 2005, message: expect.stringContaining('200 ms') }],
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      const log = await logById(gw, 'gw', res.headers.get('cf-aig-log-id'));
      expect(log).toMatchObject({ status_code: 504, success: 0 });
      expect(log.error).toMatch(/request timeout/);
    });
  }
});

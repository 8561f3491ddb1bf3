// Who may call the local management API, the account and token endpoints clients call first, and what
// unknown routes, wrong methods and malformed bodies get back.
import { request } from 'node:http';
import Cloudflare, { AuthenticationError, PermissionDeniedError } from 'cloudflare';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { apiError, requiredGatewaySettings as required, startCheckedApi } from '../helpers/control-plane.js';
import { apiBase, startTestGateway } from '../helpers/local-gateway.js';
import { ContractRecorder, contractFetch, validateResponse } from '../helpers/openapi.js';

async function call(
  gw: LocalGateway,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) {
  const response = await fetch(`${apiBase(gw)}${path}`, { method, headers: init.headers, body: init.body });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('without a configured token', () => {
  let gw: LocalGateway;
  let recorder: ContractRecorder;
  let cf: Cloudflare;

  beforeAll(async () => {
    ({ gw, recorder, cf } = await startCheckedApi({ accountId: 'acc-local' }, 'any-token'));
  });
  afterAll(() => gw.close());
  afterEach(() => recorder.assertClean());

  it('verifies any token, as active, without echoing it', async () => {
    const verified = await cf.user.tokens.verify();
    expect(verified).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'active' });
    expect(JSON.stringify(verified)).not.toContain('any-token');
    const other = new Cloudflare({ apiToken: 'other-token', baseURL: apiBase(gw), maxRetries: 0 });
    expect((await other.user.tokens.verify()).id).not.toBe(verified.id);
  });

  it('lists the local account, with result_info, and reads it by id', async () => {
    const accounts = [];
    for await (const account of cf.accounts.list()) accounts.push(account);
    expect(accounts).toEqual([
      {
        id: 'acc-local',
        name: 'Local (aigw proxy)',
        type: 'standard',
        settings: {},
        created_on: expect.any(String),
      },
    ]);
    const page = await cf.accounts.list({ per_page: 5 });
    expect(page.result_info).toEqual({ page: 1, per_page: 5, count: 1, total_count: 1 });
    expect(await cf.accounts.get({ account_id: 'acc-local' })).toEqual(accounts[0]);
    const unknown = await apiError(cf.accounts.get({ account_id: 'someone-else' }));
    expect(unknown.status).toBe(404);
  });

  it('accepts an API key and email instead of a token', async () => {
    const keyed = new Cloudflare({
      apiKey: 'k',
      apiEmail: 'dev@example.com',
      baseURL: apiBase(gw),
      maxRetries: 0,
    });
    const created = await keyed.aiGateway.create({ account_id: 'acc-local', id: 'keyed', ...required });
    expect(created.id).toBe('keyed');
  });

  it('answers 401 (code 10000) when no credentials come with the request', async () => {
    const { status, body } = await call(gw, 'GET', '/accounts/acc-local/ai-gateway/gateways');
    expect(status).toBe(401);
    expect(body).toEqual({
      success: false,
      errors: [{ code: 10000, message: 'Authentication error' }],
      messages: [],
      result: null,
    });
    validateResponse('GET', '/accounts/acc-local/ai-gateway/gateways', status, body);
    const emailOnly = await call(gw, 'GET', '/accounts', { headers: { 'x-auth-email': 'dev@example.com' } });
    expect(emailOnly.status).toBe(401);
    const notBearer = await call(gw, 'GET', '/accounts', {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(notBearer.status).toBe(401);
  });

  it('answers 404 (code 7000) for an unknown route', async () => {
    const auth = { authorization: 'Bearer t' };
    for (const path of [
      '/accounts/acc-local/ai-gateway/nothing-here',
      '/zones',
      '/accounts/a/ai-gateway/gateways/x/y',
    ]) {
      const { status, body } = await call(gw, 'GET', path, { headers: auth });
      expect(status).toBe(404);
      expect(body).toEqual({
        success: false,
        errors: [{ code: 7000, message: 'No route for that URI' }],
        messages: [],
        result: null,
      });
      validateResponse('GET', path, status, body);
    }
  });

  it('answers 405 with Allow for a method the route does not have', async () => {
    const path = '/accounts/acc-local/ai-gateway/gateways/keyed';
    const { status, headers, body } = await call(gw, 'PATCH', path, {
      headers: { authorization: 'Bearer t' },
      body: '{}',
    });
    expect(status).toBe(405);
    expect(headers.get('allow')).toBe('GET, PUT, DELETE');
    expect(body.errors).toEqual([{ code: 7000, message: expect.stringContaining('PATCH') }]);
  });

  it('answers 400 (7001 on the body) for malformed or missing JSON', async () => {
    const path = '/accounts/acc-local/ai-gateway/gateways';
    const headers = { authorization: 'Bearer t', 'content-type': 'application/json' };
    const malformed = await call(gw, 'POST', path, { headers, body: '{"id": "x",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([
      { code: 7001, message: expect.stringMatching(/not valid JSON/), path: ['body'] },
    ]);
    validateResponse('POST', path, malformed.status, malformed.body);
    const empty = await call(gw, 'POST', path, { headers });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([
      { code: 7001, message: expect.stringMatching(/required/), path: ['body'] },
    ]);
    const array = await call(gw, 'PUT', `${path}/keyed`, { headers, body: '[]' });
    expect(array.body.errors).toEqual([
      { code: 7001, message: expect.stringMatching(/object/), path: ['body'] },
    ]);
  });

  it('refuses a Host that is not a loopback name (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${apiBase(gw)}/accounts`, {
        headers: { host: 'evil.example', authorization: 'Bearer t' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('with a configured token', () => {
  let gw: LocalGateway;
  let recorder: ContractRecorder;

  beforeAll(async () => {
    gw = await startTestGateway({ apiToken: 'the-secret' });
    recorder = new ContractRecorder();
  });
  afterAll(() => gw.close());
  afterEach(() => recorder.assertClean());

  const client = (credentials: { apiToken: string } | { apiKey: string; apiEmail: string }) =>
    new Cloudflare({ ...credentials, baseURL: apiBase(gw), fetch: contractFetch(recorder), maxRetries: 0 });

  it('accepts that token only', async () => {
    const created = await client({ apiToken: 'the-secret' }).aiGateway.create({
      account_id: 'local',
      id: 'ok',
      ...required,
    });
    expect(created.id).toBe('ok');
    const err = await apiError(
      client({ apiToken: 'test-token' }).aiGateway.get('ok', { account_id: 'local' }),
    );
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.status).toBe(403);
    expect(err.errors).toEqual([{ code: 10000, message: 'Authentication error' }]);
    expect(JSON.stringify(err.error)).not.toContain('the-secret');
  });

  it('refuses a wrong token on every route, known or not', async () => {
    const wrong = client({ apiToken: 'the-secret-' });
    await expect(wrong.user.tokens.verify()).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(wrong.accounts.get({ account_id: 'local' })).rejects.toBeInstanceOf(PermissionDeniedError);
    const { status } = await call(gw, 'GET', '/no/such/route', { headers: { authorization: 'Bearer nope' } });
    expect(status).toBe(403);
  });

  it('answers 401 without credentials', async () => {
    const { status, body } = await call(gw, 'GET', '/accounts/local/ai-gateway/gateways');
    expect(status).toBe(401);
    expect(body.errors).toEqual([{ code: 10000, message: 'Authentication error' }]);
    const sdk = new Cloudflare({
      apiToken: '',
      baseURL: apiBase(gw),
      maxRetries: 0,
      defaultHeaders: { authorization: null },
    });
    await expect(sdk.aiGateway.list({ account_id: 'local' })).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('takes the token as an API key too', async () => {
    await client({ apiToken: 'the-secret' }).aiGateway.create({
      account_id: 'local',
      id: 'keyed',
      ...required,
    });
    const keyed = client({ apiKey: 'the-secret', apiEmail: 'dev@example.com' });
    expect((await keyed.aiGateway.get('keyed', { account_id: 'local' })).id).toBe('keyed');
    const wrong = client({ apiKey: 'wrong', apiEmail: 'dev@example.com' });
    await expect(wrong.aiGateway.get('keyed', { account_id: 'local' })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
  });
});

describe('request size', () => {
  it('answers 413 for a body larger than maxBodyBytes', async () => {
    const gw = await startTestGateway({ maxBodyBytes: 1024 });
    try {
      const headers = { authorization: 'Bearer t', 'content-type': 'application/json' };
      const body = JSON.stringify({ id: 'big', ...required, store_id: 'x'.repeat(2048) });
      const { status, body: reply } = await call(gw, 'POST', '/accounts/local/ai-gateway/gateways', {
        headers,
        body,
      });
      expect(status).toBe(413);
      expect(reply.errors).toEqual([
        { code: 7001, message: expect.stringContaining('1024 bytes'), path: ['body'] },
      ]);
      const small = await call(gw, 'POST', '/accounts/local/ai-gateway/gateways', {
        headers,
        body: JSON.stringify({ id: 'small', ...required }),
      });
      expect(small.status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});

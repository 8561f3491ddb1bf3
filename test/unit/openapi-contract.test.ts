import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContractRecorder,
  contractFetch,
  findOperation,
  toJsonSchema,
  validateRequest,
  validateResponse,
} from '../helpers/openapi.js';

const gateways = '/client/v4/accounts/abc/ai-gateway/gateways';

const gateway = {
  id: 'my-gateway',
  cache_ttl: 60,
  cache_invalidate_on_update: false,
  collect_logs: true,
  rate_limiting_interval: 0,
  rate_limiting_limit: 0,
  created_at: '2026-01-01T00:00:00.000Z',
  modified_at: '2026-01-01T00:00:00.000Z',
};

describe('OpenAPI 3.0 to JSON Schema', () => {
  it('turns nullable into a null type and keeps enums open to null', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, enum: ['a'] })).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
    expect(toJsonSchema({ type: 'number', minimum: 0, exclusiveMinimum: true })).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
    });
  });
});

describe('findOperation', () => {
  it('matches concrete paths to templates, literal segments first', () => {
    expect(findOperation('GET', `${gateways}/x`)?.operationId).toBe('aig-config-fetch-gateway');
    expect(findOperation('GET', '/accounts/a/ai-gateway/custom-providers/costs')?.operationId).toBe(
      'aig-config-list-account-provider-cost',
    );
    expect(findOperation('GET', `${gateways}/x/url/openai`)?.params).toEqual({
      account_id: 'abc',
      gateway_id: 'x',
      provider: 'openai',
    });
    expect(findOperation('PATCH', `${gateways}/x`)).toBeNull();
  });
});

describe('validateResponse', () => {
  it('accepts a gateway as the contract describes it, including null for nullable fields', () => {
    validateResponse('GET', `${gateways}/my-gateway`, 200, { success: true, result: gateway });
    validateResponse('GET', `${gateways}/my-gateway`, 200, {
      success: true,
      result: { ...gateway, cache_ttl: null },
    });
  });

  it('rejects a gateway with a missing field, a wrong type or a value out of range', () => {
    const { collect_logs: _, ...missing } = gateway;
    expect(() => validateResponse('GET', `${gateways}/x`, 200, { success: true, result: missing })).toThrow(
      /collect_logs/,
    );
    expect(() =>
      validateResponse('GET', `${gateways}/x`, 200, {
        success: true,
        result: { ...gateway, cache_ttl: '60' },
      }),
    ).toThrow(/cache_ttl/);
    expect(() =>
      validateResponse('GET', `${gateways}/x`, 200, {
        success: true,
        result: { ...gateway, rate_limiting_technique: 'leaky' },
      }),
    ).toThrow(/rate_limiting_technique/);
    expect(() =>
      validateResponse('GET', `${gateways}/x`, 200, {
        success: true,
        result: { ...gateway, created_at: 'yesterday' },
      }),
    ).toThrow(/created_at/);
  });

  it('checks error bodies against the declared error schema, and undeclared ones against the envelope', () => {
    validateResponse('GET', `${gateways}/x`, 404, {
      success: false,
      errors: [{ code: 7002, message: 'Not Found' }],
    });
    expect(() =>
      validateResponse('GET', `${gateways}/x`, 404, { success: false, errors: [{ code: 7002 }] }),
    ).toThrow();
    // aig_ErrorBadRequest requires an object `result`.
    expect(() =>
      validateResponse('GET', gateways, 400, { success: false, errors: [{ message: 'bad' }], result: null }),
    ).toThrow(/result/);
    validateResponse('GET', gateways, 401, {
      success: false,
      errors: [{ code: 10000, message: 'Authentication error' }],
    });
    expect(() => validateResponse('GET', gateways, 401, { success: false, errors: [] })).toThrow();
  });

  it('rejects a success flag that contradicts the status, and undeclared success statuses', () => {
    expect(() => validateResponse('GET', `${gateways}/x`, 200, { success: false, result: gateway })).toThrow(
      /success/,
    );
    expect(() => validateResponse('GET', `${gateways}/x`, 201, { success: true, result: gateway })).toThrow(
      /201/,
    );
  });
});

describe('validateRequest', () => {
  const body = {
    id: 'my-gateway',
    cache_ttl: 0,
    cache_invalidate_on_update: false,
    collect_logs: true,
    rate_limiting_interval: 0,
    rate_limiting_limit: 0,
  };

  it('accepts a valid create body and query', () => {
    validateRequest('POST', gateways, undefined, body);
    validateRequest(
      'GET',
      gateways,
      new URLSearchParams({ page: '2', per_page: '100', search: 'x' }),
      undefined,
    );
  });

  it('rejects bad bodies: missing required field, bad id, exclusive minimum', () => {
    const { cache_ttl: _, ...missing } = body;
    expect(() => validateRequest('POST', gateways, undefined, missing)).toThrow(/cache_ttl/);
    expect(() => validateRequest('POST', gateways, undefined, { ...body, id: 'Bad--id' })).toThrow(/pattern/);
    const rule = { limitType: 'cost', limit: 0, window: 60 };
    expect(() =>
      validateRequest('POST', gateways, undefined, { ...body, spend_limits: { rules: [rule] } }),
    ).toThrow(/limit/);
    validateRequest('POST', gateways, undefined, {
      ...body,
      spend_limits: { rules: [{ ...rule, limit: 0.5 }] },
    });
  });

  it('rejects bad query and path parameters, and bodies on operations without one', () => {
    expect(() => validateRequest('GET', gateways, { per_page: '101' }, undefined)).toThrow(/per_page/);
    expect(() => validateRequest('GET', gateways, { colour: 'red' }, undefined)).toThrow(/colour/);
    expect(() => validateRequest('GET', `${gateways}/Not%20Valid`, undefined, undefined)).toThrow(/path/);
    expect(() => validateRequest('DELETE', `${gateways}/x`, undefined, {})).toThrow(/no request body/);
  });
});

describe('contractFetch', () => {
  let server: Server;
  let base: string;
  let nextReply: { status: number; body: unknown } = { status: 200, body: {} };

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(nextReply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(nextReply.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes a valid exchange through and records it', async () => {
    const recorder = new ContractRecorder();
    nextReply = { status: 200, body: { success: true, result: gateway } };
    const response = await contractFetch(recorder)(`${base}/accounts/abc/ai-gateway/gateways/my-gateway`);
    expect(response.status).toBe(200);
    expect(recorder.validated).toHaveLength(1);
    recorder.assertClean();
  });

  it('fails the call when the response breaks the contract', async () => {
    const recorder = new ContractRecorder();
    nextReply = { status: 200, body: { success: true, result: { id: 'x' } } };
    await expect(contractFetch(recorder)(`${base}/accounts/abc/ai-gateway/gateways/x`)).rejects.toThrow(
      /Contract violation/,
    );
    expect(() => recorder.assertClean()).toThrow(/cache_ttl/);
  });

  it('fails the call when a request the contract rejects is accepted', async () => {
    const recorder = new ContractRecorder();
    nextReply = { status: 200, body: { success: true, result: gateway } };
    const send = contractFetch(recorder)(`${base}/accounts/abc/ai-gateway/gateways`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'x' }),
    });
    await expect(send).rejects.toThrow(/request the contract rejects/);
  });

  it('lets a rejected request through when the server refuses it', async () => {
    const recorder = new ContractRecorder();
    nextReply = {
      status: 400,
      body: {
        success: false,
        errors: [{ code: 7001, message: 'Input Validation Error', path: ['body', 'cache_ttl'] }],
      },
    };
    const response = await contractFetch(recorder)(`${base}/accounts/abc/ai-gateway/gateways`, {
      method: 'POST',
      body: JSON.stringify({ id: 'x' }),
    });
    expect(response.status).toBe(400);
    expect(recorder.exchanges[0]?.requestViolation).toMatch(/cache_ttl/);
    recorder.assertClean();
  });

  it('skips paths the contract does not cover', async () => {
    const recorder = new ContractRecorder();
    nextReply = { status: 200, body: { anything: true } };
    await contractFetch(recorder)(`${base}/user/tokens/verify`);
    expect(recorder.exchanges[0]?.skipped).toBe(true);
    expect(recorder.validated).toHaveLength(0);
  });
});

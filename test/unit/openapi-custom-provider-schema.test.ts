// The control plane validates custom provider bodies with the contract's schemas through its own validator;
// the validator must accept exactly what the contract (checked by ajv) accepts.
import { describe, expect, it } from 'vitest';
import { requestBodySchema } from '../../src/local/control-plane/contract.js';
import { validate } from '../../src/local/control-plane/validate.js';
import { parseProviderHeaders } from '../../src/local/store/custom-providers.js';
import { validateRequest } from '../helpers/openapi.js';

const providers = '/accounts/:account_id/ai-gateway/custom-providers';
const customProviderCreateSchema = requestBodySchema('POST', providers)!;
const customProviderUpdateSchema = requestBodySchema('PATCH', `${providers}/:id`)!;

const base = { name: 'Acme', slug: 'acme', base_url: 'https://api.acme.example' };

const createSamples: [string, unknown][] = [
  ['minimal', base],
  [
    'every field',
    { ...base, headers: '{"x":"y"}', description: 'd', enable: false, beta: true, position: 3 },
  ],
  ['missing name', { ...base, name: undefined }],
  ['missing slug', { ...base, slug: undefined }],
  ['missing base_url', { ...base, base_url: undefined }],
  ['slug with a space', { ...base, slug: 'a b' }],
  ['slug with a dot', { ...base, slug: 'a.b' }],
  ['slug with capitals and dashes', { ...base, slug: 'My_Provider-2' }],
  ['relative base_url', { ...base, base_url: '/v1' }],
  ['headers as an object', { ...base, headers: { x: 'y' } }],
  ['headers of 8193 characters', { ...base, headers: 'x'.repeat(8193) }],
  ['fractional position', { ...base, position: 1.5 }],
  ['string enable', { ...base, enable: 'yes' }],
  ['unknown field', { ...base, colour: 'blue' }],
  ['not an object', [base]],
];

const updateSamples: [string, unknown][] = [
  ['empty', {}],
  ['logo', { logo: 'https://acme.example/logo.svg' }],
  ['bad slug', { slug: 'a/b' }],
  ['null name', { name: null }],
];

describe('the control plane’s validator', () => {
  it.each(createSamples)('agrees with the contract on create: %s', (_name, body) => {
    expect(validate(customProviderCreateSchema, body).ok).toBe(
      accepts('POST', '/accounts/a/ai-gateway/custom-providers', body),
    );
  });

  it.each(updateSamples)('agrees with the contract on update: %s', (_name, body) => {
    const path = '/accounts/a/ai-gateway/custom-providers/182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e';
    expect(validate(customProviderUpdateSchema, body).ok).toBe(accepts('PATCH', path, body));
  });

  it('drops the create body’s unknown fields, logo included', () => {
    expect(validate(customProviderCreateSchema, { ...base, logo: 'x', colour: 'blue' })).toEqual({
      ok: true,
      value: base,
    });
  });
});

describe('stored headers', () => {
  it('are a JSON object of header names to strings', () => {
    expect(parseProviderHeaders('{"x-api-key":"k","X-Team":"a b"}')).toEqual([
      ['x-api-key', 'k'],
      ['X-Team', 'a b'],
    ]);
    expect(parseProviderHeaders('{}')).toEqual([]);
  });

  it.each([
    ['not JSON', '{x', 'not valid JSON'],
    ['an array', '[]', 'must be a JSON object'],
    ['a number value', '{"x":1}', 'gives header "x" a number, not a string'],
    ['a bad name', '{"a b":"c"}', 'invalid header "a b"'],
    ['a line break', '{"x":"a\\r\\nhost: evil"}', 'control characters'],
  ])('refuses %s', (_name, text, message) => {
    expect(parseProviderHeaders(text)).toContain(message);
  });
});

function accepts(method: string, path: string, body: unknown): boolean {
  try {
    validateRequest(method, path, undefined, body);
    return true;
  } catch {
    return false;
  }
}

// The recording hash: stable whatever the order of the body's keys, blind to ignored fields and to query
// parameters that may carry a key, and different for any other change.
import { describe, expect, it } from 'vitest';
import {
  bodyValue,
  canonicalRequest,
  parseIgnoreRule,
  requestHash,
  safeQuery,
} from '../../src/local/cassettes/canonical.js';

const hash = (body: unknown, rules: string[] = [], path = 'chat/completions', query = '') =>
  requestHash(
    canonicalRequest(
      'openai',
      'post',
      path,
      query,
      bodyValue(Buffer.from(JSON.stringify(body))),
      rules.map((r) => parseIgnoreRule(r) as Exclude<ReturnType<typeof parseIgnoreRule>, string>),
    ),
  );

describe('recording hash', () => {
  it('does not depend on key order, and changes with any value', () => {
    const a = hash({ model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0 });
    const b = hash({ temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'm' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(hash({ model: 'm', messages: [{ role: 'user', content: 'ho' }], temperature: 0 })).not.toBe(a);
  });

  it('leaves out the fields an ignore rule names, for its provider and path only', () => {
    const rule = ['openai:/chat/completions:user,metadata.run'];
    const one = { model: 'm', user: 'u1', metadata: { run: 1, team: 'x' } };
    const two = { model: 'm', user: 'u2', metadata: { run: 2, team: 'x' } };
    expect(hash(one, rule)).toBe(hash(two, rule));
    expect(hash(one, rule)).not.toBe(hash({ ...two, metadata: { run: 2, team: 'y' } }, rule));
    expect(hash(one)).not.toBe(hash(two));
    expect(hash(one, rule, 'embeddings')).not.toBe(hash(two, rule, 'embeddings'));
    expect(hash(one, ['*:*:user,metadata'], 'embeddings')).toBe(
      hash(two, ['*:*:user,metadata'], 'embeddings'),
    );
  });

  it('rejects a malformed rule', () => {
    expect(parseIgnoreRule('openai:user')).toMatch(/not provider:path:field/);
    expect(parseIgnoreRule('openai:/chat/completions:')).toMatch(/names no path or no field/);
  });

  it('keeps no query parameter that may carry a key', () => {
    expect(safeQuery('/v1beta/models/g:streamGenerateContent?alt=sse&key=AIzaSECRET')).toBe('alt=sse');
    expect(safeQuery('/openai/deployments/d/chat/completions?api-version=2024-10-21')).toBe(
      'api-version=2024-10-21',
    );
    expect(safeQuery('/v1/chat/completions')).toBe('');
  });
});

// Provider keys in apply files: what a key entry may say (a secret only by reference), and how apply decides a
// referenced secret changed when the API shows only a preview (the salted digests it records).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keysFromSpec } from '../../src/commands/gateway/key-plan.js';
import { providersFromSpec } from '../../src/commands/gateway/provider-plan.js';
import { previewContradicts, SecretDigests } from '../../src/commands/gateway/secret-digests.js';
import { tempConfigDir } from '../helpers/in-process.js';

describe('keysFromSpec', () => {
  it('takes references, with the defaults of keys add', () => {
    const errors: string[] = [];
    const keys = keysFromSpec(
      [
        { provider: 'openai', secret: { env: 'OPENAI_API_KEY' } },
        { provider: 'custom-acme', alias: 'ci', rate_limit: '10/min', secret: { file: 'acme.txt' } },
      ],
      errors,
    );
    expect(errors).toEqual([]);
    expect(keys).toEqual([
      { provider: 'openai', alias: 'default', secret: { env: 'OPENAI_API_KEY' } },
      {
        provider: 'custom-acme',
        alias: 'ci',
        rate: { limit: 10, interval: 60 },
        secret: { file: 'acme.txt' },
      },
    ]);
  });

  it('lists every problem and never repeats a secret written in the file', () => {
    const errors: string[] = [];
    keysFromSpec(
      [
        { provider: 'openai', secret: 'sk-written-in-the-file' },
        { provider: 'nope', secret: { env: 'X', file: 'y' } },
        { provider: 'anthropic', secret: { env: 'ANTHROPIC KEY' }, colour: 'red' },
        { provider: 'openai', secret: { env: 'OTHER' } },
      ],
      errors,
    );
    expect(errors.join('\n')).not.toContain('sk-written');
    expect(errors).toEqual([
      'keys[0] (openai/default): secret holds a secret written in the file: an apply file never holds secrets, ' +
        'only where they come from: {env: OPENAI_API_KEY} or {file: ./secrets/openai}',
      'keys[1]: provider must name a provider (openai, anthropic, ..., or custom-{slug}), not "nope"',
      'keys[1] (nope/default): secret must name one source: {env: OPENAI_API_KEY} or {file: ./secrets/openai}',
      'keys[2]: unknown key "colour" (expected provider, alias, default, rate_limit, secret)',
      "keys[2] (anthropic/default): secret.env must be an environment variable's name (letters, digits and _)",
      'keys[3] (openai/default): the key openai/default is listed twice',
      'keys[3] (openai/default): openai has two default keys; keep one',
    ]);
  });
});

describe('providersFromSpec', () => {
  it('takes fields and header references, and lists every problem without repeating a value', () => {
    const errors: string[] = [];
    const providers = providersFromSpec(
      [
        {
          slug: 'acme',
          base_url: 'https://api.acme.example',
          enable: false,
          headers: { 'x-api-key': { env: 'K' } },
        },
        { slug: 'bad slug', base_url: 'ftp://x', position: 1.5, colour: 'red' },
        { slug: 'leaky', base_url: 'https://l.example', headers: { authorization: 'Bearer sk-in-the-file' } },
      ],
      errors,
    );
    expect(providers).toEqual([
      {
        slug: 'acme',
        fields: { base_url: 'https://api.acme.example', enable: false },
        headers: { 'x-api-key': { env: 'K' } },
      },
    ]);
    expect(errors.join('\n')).not.toContain('sk-in-the-file');
    expect(errors).toEqual([
      'providers[1]: slug must be letters, digits, - and _, not "bad slug"',
      'providers[1]: base_url must be an http or https URL, not "ftp://x"',
      'providers[1]: position must be a whole number, not 1.5',
      'providers[1]: unknown key "colour" (expected slug, headers, name, base_url, description, link, position, beta, enable, curl_example, js_example)',
      'providers[2] (leaky): headers.authorization holds a secret written in the file: an apply file never holds ' +
        'secrets, only where they come from: {env: OPENAI_API_KEY} or {file: ./secrets/openai}',
    ]);
  });
});

describe('secret digests', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('a preview contradicts a secret that does not end (or start) as it shows', () => {
    expect(previewContradicts('****WXYZ', 'sk-abcWXYZ')).toBe(false);
    expect(previewContradicts('****WXYZ', 'sk-abcWXYQ')).toBe(true);
    expect(previewContradicts('sk-...WXYZ', 'pk-abcWXYZ')).toBe(true);
    expect(previewContradicts('****', 'anything')).toBe(false);
    expect(previewContradicts('hidden', 'anything')).toBe(false);
  });

  it('decides by the digest recorded for the same modified_at, else by the preview; keeps no secret', () => {
    const config = tempConfigDir();
    cleanup = config.cleanup;
    const now = { preview: '****1234', modified_at: '2026-01-01T00:00:00Z' };
    const first = new SecretDigests(config.dir);
    expect(first.changed('a/g/keys/k1', 'secret-one-1234', now)).toBe(false);
    first.remember('a/g/keys/k1', 'secret-one-1234', now.modified_at);
    first.save();

    const later = new SecretDigests(config.dir);
    expect(later.changed('a/g/keys/k1', 'secret-one-1234', now)).toBe(false);
    expect(later.changed('a/g/keys/k1', 'secret-two-1234', now)).toBe(true);
    // Rotated elsewhere since: the record says nothing, the preview decides.
    expect(
      later.changed('a/g/keys/k1', 'secret-two-1234', { ...now, modified_at: '2026-02-01T00:00:00Z' }),
    ).toBe(false);
    expect(
      later.changed('a/g/keys/k1', 'secret-two-9999', { ...now, modified_at: '2026-02-01T00:00:00Z' }),
    ).toBe(true);
    const text = readFileSync(join(config.dir, 'applied-secrets.json'), 'utf8');
    expect(text).not.toContain('secret-one');
    expect(JSON.parse(text).secrets['a/g/keys/k1'].digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/profiles.js';
import { AigwError } from '../../src/errors.js';
import { tempConfigDir } from '../helpers/in-process.js';

const mode = (path: string) => statSync(path).mode & 0o777;

let tmp: ReturnType<typeof tempConfigDir>;
beforeEach(() => {
  tmp = tempConfigDir();
});
afterEach(() => tmp.cleanup());

describe('ProfileStore', () => {
  it('keeps the directory 0700 and both files 0600, whatever the umask', () => {
    const old = process.umask(0o022);
    try {
      const store = new ProfileStore(tmp.dir);
      store.save('dev', { accountId: 'a1' });
      store.saveCredential('dev', { apiToken: 'secret-token-value' });
      expect(mode(tmp.dir)).toBe(0o700);
      expect(mode(join(tmp.dir, 'config.json'))).toBe(0o600);
      expect(mode(join(tmp.dir, 'credentials.json'))).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('tightens an existing directory that was too open', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(tmp.dir, { recursive: true, mode: 0o755 });
    new ProfileStore(tmp.dir);
    expect(mode(tmp.dir)).toBe(0o700);
  });

  it('never writes secrets to config.json', () => {
    const store = new ProfileStore(tmp.dir);
    store.save('dev', { accountId: 'a1', defaultGateway: 'gw' });
    store.saveCredential('dev', { apiToken: 'secret-token-value' });
    expect(readFileSync(join(tmp.dir, 'config.json'), 'utf8')).not.toContain('secret-token-value');
    expect(readFileSync(join(tmp.dir, 'credentials.json'), 'utf8')).toContain('secret-token-value');
  });

  it('lists the built-in local profile, removes profiles with their credentials and the current mark', () => {
    const store = new ProfileStore(tmp.dir);
    store.save('dev', { accountId: 'a1' });
    store.saveCredential('dev', { apiToken: 'secret-token-value' });
    store.setCurrent('dev');
    expect(store.names()).toEqual(['dev', 'local']);
    store.remove('dev');
    expect(store.names()).toEqual(['local']);
    expect(store.credential('dev')).toBeUndefined();
    expect(store.currentProfile).toBeUndefined();
  });

  it('save merges settings and drops undefined ones', () => {
    const store = new ProfileStore(tmp.dir);
    store.save('dev', { accountId: 'a1', defaultGateway: 'gw' });
    store.save('dev', { defaultGateway: undefined, baseUrl: 'http://x' });
    expect(store.settings('dev')).toEqual({ accountId: 'a1', baseUrl: 'http://x' });
  });
});

describe('a damaged settings file', () => {
  it('is an error naming the file, and is never overwritten', () => {
    mkdirSync(tmp.dir, { recursive: true });
    writeFileSync(join(tmp.dir, 'config.json'), '{"profiles": {"prod": ');
    expect(() => new ProfileStore(tmp.dir)).toThrow(/config\.json is not valid/);
    expect(readFileSync(join(tmp.dir, 'config.json'), 'utf8')).toBe('{"profiles": {"prod": ');
  });

  it('damaged after it was read is still never overwritten by the next change', () => {
    const store = new ProfileStore(tmp.dir);
    store.save('dev', { accountId: 'a1' });
    writeFileSync(join(tmp.dir, 'config.json'), '{"profiles": ');
    expect(() => store.save('prod', { accountId: 'a2' })).toThrow(/config\.json is not valid/);
    expect(() => store.setCurrent('dev')).toThrow(/config\.json is not valid/);
    expect(readFileSync(join(tmp.dir, 'config.json'), 'utf8')).toBe('{"profiles": ');
  });

  const wrongShapes: [file: string, content: string, message: RegExp][] = [
    [
      'config.json',
      '{"profiles":"nope"}',
      /config\.json is not valid: "profiles" must be an object .*not a string/,
    ],
    ['config.json', '[]', /config\.json is not valid: it holds an array, not a JSON object/],
    ['config.json', '"text"', /config\.json is not valid: it holds a string, not a JSON object/],
    [
      'config.json',
      '{"profiles":{"dev":["a"]}}',
      /config\.json is not valid: "profiles\.dev" must be an object, not an array/,
    ],
    [
      'config.json',
      '{"profiles":{"dev":{"accountId":5}}}',
      /"profiles\.dev\.accountId" must be a string, not a number/,
    ],
    ['config.json', '{"currentProfile":{"name":"dev"}}', /"currentProfile" must be a profile name/],
    ['credentials.json', '{"profiles":[]}', /credentials\.json is not valid: "profiles" must be an object/],
    [
      'credentials.json',
      '{"profiles":{"dev":"tok-secret-1234"}}',
      /credentials\.json is not valid: "profiles\.dev" must be an object, not a string/,
    ],
    [
      'credentials.json',
      '{"profiles":{"dev":{"apiKey":"key-secret-1234"}}}',
      /credentials\.json is not valid: "profiles\.dev" must hold "apiToken", or "apiKey" and "email"/,
    ],
  ];
  it.each(wrongShapes)(
    '%s holding %s: an error naming the file and the key, the file untouched',
    (file, content, message) => {
      mkdirSync(tmp.dir, { recursive: true });
      writeFileSync(join(tmp.dir, file), content);
      let error: Error | undefined;
      try {
        new ProfileStore(tmp.dir);
      } catch (err) {
        error = err as Error;
      }
      expect(error).toBeInstanceOf(AigwError);
      expect(error?.message).toMatch(message);
      expect(error?.message).toContain(join(tmp.dir, file));
      // A value is never shown: it may be a secret.
      expect(error?.message).not.toMatch(/secret/);
      expect(readFileSync(join(tmp.dir, file), 'utf8')).toBe(content);
    },
  );

  it('keeps keys it does not know (a newer aigw may write them) when it changes the file', () => {
    mkdirSync(tmp.dir, { recursive: true });
    writeFileSync(
      join(tmp.dir, 'config.json'),
      '{"theme":"dark","profiles":{"dev":{"accountId":"a1","color":"red"}}}',
    );
    const store = new ProfileStore(tmp.dir);
    store.save('prod', { accountId: 'a2' });
    expect(JSON.parse(readFileSync(join(tmp.dir, 'config.json'), 'utf8'))).toEqual({
      theme: 'dark',
      profiles: { dev: { accountId: 'a1', color: 'red' }, prod: { accountId: 'a2' } },
    });
  });

  it('reading creates no file, and a missing file is an empty store', () => {
    const store = new ProfileStore(tmp.dir);
    expect(store.names()).toEqual(['local']);
    expect(store.credential('dev')).toBeUndefined();
    expect(existsSync(join(tmp.dir, 'config.json'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'credentials.json'))).toBe(false);
  });

  it('names of Object.prototype members are not profiles', () => {
    const store = new ProfileStore(tmp.dir);
    store.save('dev', { accountId: 'a1' });
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(store.exists(name)).toBe(false);
      expect(store.settings(name)).toEqual({});
      expect(store.credential(name)).toBeUndefined();
    }
  });
});

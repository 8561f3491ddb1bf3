import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/profiles.js';
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
});

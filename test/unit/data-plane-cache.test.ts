import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, customCacheKey, resolveCacheTtl } from '../../src/local/pipeline/cache.js';
import { defaultLocalGatewayOptions, type StoreRuntime } from '../../src/local/runtime.js';
import { type CachePut, ResponseCache } from '../../src/local/store/cache.js';
import { CustomProviderRepository } from '../../src/local/store/custom-providers.js';
import { openStore, type Store } from '../../src/local/store/db.js';
import { GatewayRepository, type GatewaySettings } from '../../src/local/store/gateways.js';

const settings = (extra: Partial<GatewaySettings> = {}): GatewaySettings => ({
  cache_ttl: 300,
  cache_invalidate_on_update: false,
  collect_logs: true,
  rate_limiting_interval: null,
  rate_limiting_limit: null,
  ...extra,
});

const parts = {
  provider: 'openai',
  endpoint: 'chat/completions',
  model: 'gpt-4o-mini',
  authHeader: 'Bearer sk-1',
  body: Buffer.from('{"model":"gpt-4o-mini","messages":[]}'),
};

describe('cacheKey', () => {
  it('is a SHA-256 hex digest, stable for equal parts', () => {
    const key = cacheKey(parts);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...parts, body: Buffer.from(parts.body) })).toBe(key);
  });

  it('changes with every part', () => {
    const key = cacheKey(parts);
    expect(cacheKey({ ...parts, provider: 'groq' })).not.toBe(key);
    expect(cacheKey({ ...parts, endpoint: 'responses' })).not.toBe(key);
    expect(cacheKey({ ...parts, model: 'gpt-4o' })).not.toBe(key);
    expect(cacheKey({ ...parts, model: null })).not.toBe(key);
    expect(cacheKey({ ...parts, authHeader: 'Bearer sk-2' })).not.toBe(key);
    expect(cacheKey({ ...parts, authHeader: null })).not.toBe(key);
    expect(cacheKey({ ...parts, body: Buffer.from('{"model":"gpt-4o-mini","messages":[] }') })).not.toBe(key);
  });

  it('frames fields so that moving bytes between them changes the key', () => {
    const a = cacheKey({
      provider: 'ab',
      endpoint: 'c',
      model: null,
      authHeader: null,
      body: Buffer.alloc(0),
    });
    const b = cacheKey({
      provider: 'a',
      endpoint: 'bc',
      model: null,
      authHeader: null,
      body: Buffer.alloc(0),
    });
    const c = cacheKey({ provider: 'a', endpoint: 'bc', model: '', authHeader: null, body: Buffer.alloc(0) });
    const d = cacheKey({
      provider: 'a',
      endpoint: 'b',
      model: null,
      authHeader: null,
      body: Buffer.from('c'),
    });
    expect(new Set([a, b, c, d]).size).toBe(4);
  });

  it('scopes custom keys to their gateway', () => {
    const k = customCacheKey('acct', 'gw', 'my-key');
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(customCacheKey('acct', 'gw', 'my-key')).toBe(k);
    expect(customCacheKey('acct', 'gw2', 'my-key')).not.toBe(k);
    expect(customCacheKey('acct2', 'gw', 'my-key')).not.toBe(k);
    expect(customCacheKey('acct', 'gwm', 'y-key')).not.toBe(k);
  });
});

describe('resolveCacheTtl', () => {
  const ttl = (headerTtl: string | undefined, gatewayTtl: number | null, hasCustomKey = false) =>
    resolveCacheTtl({ headerTtl, gatewayTtl, hasCustomKey });

  it('uses the header over the gateway', () => {
    expect(ttl('3600', 60)).toEqual({ ttl: 3600 });
    expect(ttl(' 60 ', null)).toEqual({ ttl: 60 });
    expect(ttl('2592000', null)).toEqual({ ttl: 2592000 });
  });

  it('lets the header disable caching', () => {
    expect(ttl('0', 600)).toEqual({ ttl: 0 });
    expect(ttl('0', null, true)).toEqual({ ttl: 0 });
  });

  it('rejects header values out of range or not whole seconds', () => {
    for (const bad of ['59', '2592001', '-1', '1.5', 'abc', '', '1e3'])
      expect(ttl(bad, null)).toHaveProperty('error');
  });

  it('falls back to the gateway TTL, then 300 s for a custom key, else no caching', () => {
    expect(ttl(undefined, 900)).toEqual({ ttl: 900 });
    expect(ttl(undefined, 900, true)).toEqual({ ttl: 900 });
    expect(ttl(undefined, 0, true)).toEqual({ ttl: 300 });
    expect(ttl(undefined, null, true)).toEqual({ ttl: 300 });
    expect(ttl(undefined, null)).toEqual({ ttl: 0 });
    expect(ttl(undefined, 0)).toEqual({ ttl: 0 });
  });
});

describe('ResponseCache', () => {
  let store: Store;
  let runtime: StoreRuntime;
  const now = new Date('2026-01-01T00:00:00Z');

  beforeEach(() => {
    store = openStore({ inMemory: true });
    runtime = {
      options: { ...defaultLocalGatewayOptions },
      store,
      gateways: new GatewayRepository(store),
      customProviders: new CustomProviderRepository(store),
    };
    runtime.gateways.create('acct', 'gw', settings(), now);
    runtime.gateways.create('acct', 'other', settings(), now);
  });
  afterEach(() => store.close());

  const entry = (over: Partial<CachePut> = {}): CachePut => ({
    key: 'k1',
    accountId: 'acct',
    gatewayId: 'gw',
    provider: 'openai',
    ttlSeconds: 60,
    status: 200,
    headers: [
      ['content-type', 'application/json'],
      ['x-request-id', 'abc'],
    ],
    body: Buffer.from('{"ok":true}'),
    streamed: false,
    model: 'gpt-4o-mini',
    tokensIn: 3,
    tokensOut: 4,
    ...over,
  });

  it('returns what was put until it expires, then deletes it', () => {
    const cache = new ResponseCache(runtime);
    cache.put(entry(), 1_000);
    const hit = cache.get('acct', 'gw', 'k1', 30_000);
    expect(hit).toMatchObject({
      status: 200,
      streamed: false,
      model: 'gpt-4o-mini',
      tokensIn: 3,
      tokensOut: 4,
    });
    expect(hit!.body.toString()).toBe('{"ok":true}');
    expect(hit!.createdMs).toBe(1_000);
    expect(hit!.expiresMs).toBe(61_000);
    expect(cache.get('acct', 'gw', 'k1', 61_000)).toBeNull();
    expect(store.db.prepare('SELECT count(*) AS n FROM cache_entries').get()).toEqual({ n: 0 });
  });

  it('survives a restart (a new cache over the same store reads SQLite)', () => {
    new ResponseCache(runtime).put(entry(), 1_000);
    const hit = new ResponseCache(runtime).get('acct', 'gw', 'k1', 2_000);
    expect(hit).not.toBeNull();
    expect(hit!.headers).toEqual(entry().headers);
    expect(Buffer.isBuffer(hit!.body)).toBe(true);
    expect(hit!.body.toString()).toBe('{"ok":true}');
    expect(new ResponseCache(runtime).get('acct', 'gw', 'k1', 61_000)).toBeNull();
  });

  it('keeps gateways and accounts apart', () => {
    const cache = new ResponseCache(runtime);
    cache.put(entry(), 0);
    cache.put(entry({ gatewayId: 'other', body: Buffer.from('other') }), 0);
    expect(cache.get('acct', 'gw', 'k1', 1)!.body.toString()).toBe('{"ok":true}');
    expect(cache.get('acct', 'other', 'k1', 1)!.body.toString()).toBe('other');
    expect(cache.get('acct2', 'gw', 'k1', 1)).toBeNull();
    expect(new ResponseCache(runtime).get('acct', 'gw', 'k1', 1)!.body.toString()).toBe('{"ok":true}');
  });

  it('does not store with a zero TTL and replaces an entry put again', () => {
    const cache = new ResponseCache(runtime);
    cache.put(entry({ ttlSeconds: 0 }), 0);
    expect(cache.get('acct', 'gw', 'k1', 1)).toBeNull();
    cache.put(entry(), 0);
    cache.put(entry({ body: Buffer.from('v2'), ttlSeconds: 120 }), 10);
    expect(cache.get('acct', 'gw', 'k1', 100_000)!.body.toString()).toBe('v2');
    expect(new ResponseCache(runtime).get('acct', 'gw', 'k1', 100_000)!.body.toString()).toBe('v2');
  });

  it('invalidates a gateway on update when cache_invalidate_on_update is on, not when off', () => {
    const cache = new ResponseCache(runtime);
    cache.put(entry(), 0);
    cache.put(entry({ gatewayId: 'other' }), 0);
    runtime.gateways.update('acct', 'gw', settings({ cache_ttl: 600 }), now);
    expect(cache.get('acct', 'gw', 'k1', 1)).not.toBeNull();
    runtime.gateways.update('acct', 'gw', settings({ cache_invalidate_on_update: true }), now);
    expect(cache.get('acct', 'gw', 'k1', 1)).toBeNull();
    expect(new ResponseCache(runtime).get('acct', 'gw', 'k1', 1)).toBeNull();
    expect(cache.get('acct', 'other', 'k1', 1)).not.toBeNull();
  });

  it('drops a deleted gateway’s entries, also from memory', () => {
    const cache = new ResponseCache(runtime);
    cache.put(entry(), 0);
    expect(cache.get('acct', 'gw', 'k1', 1)).not.toBeNull();
    runtime.gateways.delete('acct', 'gw');
    runtime.gateways.create('acct', 'gw', settings(), now);
    expect(cache.get('acct', 'gw', 'k1', 1)).toBeNull();
  });

  it('invalidateGateway clears one gateway', () => {
    const cache = new ResponseCache(runtime);
    cache.put(entry(), 0);
    cache.put(entry({ key: 'k2' }), 0);
    cache.put(entry({ gatewayId: 'other' }), 0);
    cache.invalidateGateway('acct', 'gw');
    expect(cache.get('acct', 'gw', 'k1', 1)).toBeNull();
    expect(cache.get('acct', 'gw', 'k2', 1)).toBeNull();
    expect(cache.get('acct', 'other', 'k1', 1)).not.toBeNull();
  });

  it('keeps serving entries evicted from memory from SQLite', () => {
    const cache = new ResponseCache(runtime);
    for (let i = 0; i < 3000; i++) cache.put(entry({ key: `k${i}`, body: Buffer.from(`body ${i}`) }), 0);
    expect(cache.get('acct', 'gw', 'k0', 1)!.body.toString()).toBe('body 0');
    expect(cache.get('acct', 'gw', 'k2999', 1)!.body.toString()).toBe('body 2999');
    const big = Buffer.alloc(2 * 1024 * 1024, 0x62);
    cache.put(entry({ key: 'big', body: big }), 0);
    expect(cache.get('acct', 'gw', 'big', 1)!.body.equals(big)).toBe(true);
  });

  it('sweeps expired entries on later puts', () => {
    const cache = new ResponseCache(runtime);
    cache.put(entry({ key: 'old' }), 0);
    cache.put(entry({ key: 'new', ttlSeconds: 3600 }), 120_000);
    const keys = store.db.prepare('SELECT count(*) AS n FROM cache_entries').get() as { n: number };
    expect(keys.n).toBe(1);
    expect(cache.get('acct', 'gw', 'new', 130_000)).not.toBeNull();
  });
});

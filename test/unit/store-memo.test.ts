import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/local/store/db.js';
import { GatewayRepository } from '../../src/local/store/gateways.js';
import { AccountMemo } from '../../src/local/store/memo.js';

describe('AccountMemo', () => {
  it('tells remembered absence (null) from nothing remembered (undefined), per account', () => {
    const memo = new AccountMemo<string>();
    memo.set('a', 'k', null);
    memo.set('b', 'k', 'v');
    expect(memo.get('a', 'k')).toBeNull();
    expect(memo.get('b', 'k')).toBe('v');
    expect(memo.get('c', 'k')).toBeUndefined();
    memo.delete('b', 'k');
    expect(memo.get('b', 'k')).toBeUndefined();
  });

  it('starts over past its limit instead of growing', () => {
    const memo = new AccountMemo<number>(3);
    for (let i = 0; i < 3; i++) memo.set('a', `k${i}`, i);
    memo.set('a', 'k3', 3);
    expect(memo.get('a', 'k0')).toBeUndefined();
    expect(memo.get('a', 'k3')).toBe(3);
  });
});

describe('GatewayRepository lookups of unknown ids', () => {
  it('stay correct after more unknown ids than the memo keeps', () => {
    const store = openStore({ inMemory: true });
    try {
      const repo = new GatewayRepository(store);
      const settings = {
        cache_ttl: 0,
        cache_invalidate_on_update: false,
        collect_logs: true,
        rate_limiting_interval: 0,
        rate_limiting_limit: 0,
      };
      repo.create('acc', 'real', settings, new Date(0));
      for (let i = 0; i < 5000; i++) expect(repo.get('acc', `nobody-${i}`)).toBeNull();
      expect(repo.get('acc', 'real')?.id).toBe('real');
    } finally {
      store.close();
    }
  });
});

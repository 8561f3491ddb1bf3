// `aigw proxy` starts itself again on Linux with glibc's mmap threshold fixed (bin/malloc.js): only the proxy,
// only once (the setting it adds stops it the second time), never over a setting the user made.
import { describe, expect, it } from 'vitest';
import { withMallocTunables } from '../../bin/malloc.js';

const FIXED = 'glibc.malloc.mmap_threshold=131072';

describe('withMallocTunables', () => {
  it('fixes the mmap threshold for aigw proxy on Linux, keeping the rest of the environment', () => {
    expect(withMallocTunables(['proxy', '--port', '0'], { HOME: '/h' }, 'linux')).toEqual({
      HOME: '/h',
      GLIBC_TUNABLES: FIXED,
    });
    expect(
      withMallocTunables(['--account-id', 'abc', '--local-url', 'x', 'proxy'], {}, 'linux')?.GLIBC_TUNABLES,
    ).toBe(FIXED);
  });

  it('adds to tunables already set', () => {
    const env = withMallocTunables(['proxy'], { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux');
    expect(env?.GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${FIXED}`);
  });

  it('starts nothing again once set, or when the user set the threshold', () => {
    expect(withMallocTunables(['proxy'], { GLIBC_TUNABLES: FIXED }, 'linux')).toBeNull();
    expect(
      withMallocTunables(['proxy'], { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=65536' }, 'linux'),
    ).toBeNull();
    expect(withMallocTunables(['proxy'], { MALLOC_MMAP_THRESHOLD_: '65536' }, 'linux')).toBeNull();
  });

  it('leaves other commands, help and other systems alone', () => {
    expect(withMallocTunables(['gateway', 'list', 'proxy'], {}, 'linux')).toBeNull();
    expect(withMallocTunables(['--account-id', 'proxy', 'logs'], {}, 'linux')).toBeNull();
    expect(withMallocTunables(['proxy', '--help'], {}, 'linux')).toBeNull();
    expect(withMallocTunables(['proxy'], {}, 'darwin')).toBeNull();
    expect(withMallocTunables(['proxy'], {}, 'win32')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { describeChain, networkFailure } from '../../src/client/network.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('networkFailure', () => {
  it('finds the code under "fetch failed", inside an AggregateError too (one error per address tried)', () => {
    expect(networkFailure(fetchFailed(withCode('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED')))).toEqual(
      {
        code: 'ECONNREFUSED',
        text: 'the connection was refused (nothing is listening there)',
        tls: false,
      },
    );
    const both = new AggregateError([
      withCode('connect ETIMEDOUT ::1', 'ETIMEDOUT'),
      withCode('x', 'ETIMEDOUT'),
    ]);
    expect(networkFailure(fetchFailed(both))?.code).toBe('ETIMEDOUT');
  });

  it('TLS codes are certificate failures, known or not', () => {
    expect(
      networkFailure(fetchFailed(withCode('certificate has expired', 'CERT_HAS_EXPIRED'))),
    ).toMatchObject({
      text: "the server's TLS certificate has expired",
      tls: true,
    });
    expect(networkFailure(fetchFailed(withCode('x', 'CERT_REVOKED')))).toMatchObject({
      code: 'CERT_REVOKED',
      tls: true,
    });
  });

  it('an unknown code is still named; a chain without one says nothing it does not know', () => {
    expect(networkFailure(fetchFailed(withCode('x', 'EWEIRD')))).toEqual({
      code: 'EWEIRD',
      text: 'the connection failed',
      tls: false,
    });
    expect(networkFailure(fetchFailed(new Error('something')))).toBeUndefined();
    expect(networkFailure(fetchFailed(new TypeError('bad port')))?.text).toMatch(/Fetch standard blocks it/);
  });
});

describe('describeChain', () => {
  it('joins the messages down the chain and masks credentials in URLs', () => {
    const err = fetchFailed(
      new TypeError(
        'Request cannot be constructed from a URL that includes credentials: http://u:pw-123@h/x',
      ),
    );
    expect(describeChain(err)).toBe(
      'fetch failed: Request cannot be constructed from a URL that includes credentials: http://***@h/x',
    );
  });
});

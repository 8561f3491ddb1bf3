// aigw datasets and evals against Cloudflare (a fake API here): an account that cannot use these deprecated
// features is told why; a missing gateway is still named as such.
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process.js';

const env = { CLOUDFLARE_API_TOKEN: 'cf-token', CLOUDFLARE_ACCOUNT_ID: '3ebbcb006d4d46d7bb6a8c7f14676cb0' };

function answering(status: number, errors: { code: number; message: string }[]): typeof fetch {
  return async () =>
    new Response(JSON.stringify({ success: false, errors, messages: [], result: null }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
}

describe('datasets and evals on Cloudflare', () => {
  it('say Cloudflare has deprecated them when the API refuses', async () => {
    for (const argv of [
      ['datasets', 'list', 'prod-chat'],
      ['evals', 'list', 'prod-chat'],
    ]) {
      const result = await runInProcess(argv, {
        env,
        fetch: answering(400, [{ code: 7000, message: 'Evaluations are not available for this account' }]),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Evaluations are not available for this account');
      expect(result.stderr).toContain('Cloudflare has deprecated datasets and evaluations');
    }
  });

  it('name a missing gateway as such, without that hint', async () => {
    const result = await runInProcess(['datasets', 'list', 'nope'], {
      env,
      fetch: answering(404, [{ code: 7002, message: 'Not Found' }]),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Gateway "nope" was not found');
    expect(result.stderr).not.toContain('deprecated');
  });
});

// No credential reaches the log store or the response cache, whatever its header is called: a request's
// subscription keys and custom key headers are not logged, and a provider's set-cookie and session headers are
// neither stored in the cache nor replayed from it; counters such as x-ratelimit-remaining-tokens are kept.
import { describe, expect, it } from 'vitest';
import { ACCOUNT, logById, openaiCompletion } from '../helpers/fake-upstream.js';
import { dataPlaneFixture } from '../helpers/local-gateway.js';

// `legacy` holds the entry the test of an older version's entry rewrites, apart from the others.
const dp = dataPlaneFixture({ gateways: { cached: { cache_ttl: 300 }, legacy: { cache_ttl: 300 } } });

const upstreamHeaders = {
  'set-cookie': 'sid=cookie-secret; HttpOnly',
  'x-session-token': 'session-secret',
  'x-ratelimit-remaining-tokens': '149984',
  'openai-processing-ms': '42',
};

function chat(content: string, headers: Record<string, string> = {}, gateway = 'cached') {
  return fetch(`${dp.gw.url}/v1/${ACCOUNT}/${gateway}/openai/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer sk-client-secret',
      'ocp-apim-subscription-key': 'apim-secret',
      'x-custom-key': 'custom-secret',
      'x-stainless-lang': 'js',
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  });
}

describe('credentials in logs and the cache', () => {
  it('logs no credential header of the request, and keeps harmless ones', async () => {
    dp.fake.fallback = { json: openaiCompletion('hello'), headers: upstreamHeaders };
    const res = await chat('logged', { 'cf-aig-skip-cache': 'true' });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const log = await logById(dp.gw, 'cached', res.headers.get('cf-aig-log-id'));
    expect(log.request_head).not.toMatch(/secret/);
    expect(JSON.parse(log.request_head!)).toMatchObject({ 'x-stainless-lang': 'js' });
    expect(log.response_head).not.toMatch(/secret/);
    expect(JSON.parse(log.response_head!)).toMatchObject({
      'x-ratelimit-remaining-tokens': '149984',
      'openai-processing-ms': '42',
    });
  });

  it('never stores or replays set-cookie or a session header from the cache', async () => {
    dp.fake.fallback = { json: openaiCompletion('cached answer'), headers: upstreamHeaders };
    const miss = await chat('cached', { 'x-stainless-retry-count': '0' });
    expect(miss.headers.get('cf-aig-cache-status')).toBe('MISS');
    // The live answer is the provider's own, to this client.
    expect(miss.headers.get('set-cookie')).toContain('sid=');
    await miss.arrayBuffer();

    const hit = await chat('cached', { 'x-stainless-retry-count': '0' });
    expect(hit.headers.get('cf-aig-cache-status')).toBe('HIT');
    expect(hit.headers.get('set-cookie')).toBeNull();
    expect(hit.headers.get('x-session-token')).toBeNull();
    expect(hit.headers.get('x-ratelimit-remaining-tokens')).toBe('149984');
    expect(await hit.json()).toMatchObject({ choices: [{ message: { content: 'cached answer' } }] });

    const stored = dp.gw.runtime.store.db
      .prepare("SELECT headers FROM cache_entries WHERE gateway_id = 'cached'")
      .all() as { headers: string }[];
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toMatch(/secret|set-cookie/);
  });

  it('does not replay set-cookie from an entry an older version stored', async () => {
    dp.fake.fallback = { json: openaiCompletion('old entry'), headers: upstreamHeaders };
    const first = await chat('old entry', {}, 'legacy');
    await first.arrayBuffer();
    dp.gw.runtime.store.db
      .prepare("UPDATE cache_entries SET headers = ? WHERE gateway_id = 'legacy'")
      .run(JSON.stringify([['content-type', 'application/json'], ...Object.entries(upstreamHeaders)]));
    const hit = await chat('old entry', {}, 'legacy');
    expect(hit.headers.get('cf-aig-cache-status')).toBe('HIT');
    expect(hit.headers.get('set-cookie')).toBeNull();
    expect(hit.headers.get('x-session-token')).toBeNull();
    await hit.arrayBuffer();
  });
});

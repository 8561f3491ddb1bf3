// Where each provider URL form goes upstream: the real provider URLs (resolved, not called), and the same
// path shapes through the gateway to a fake upstream standing in for the provider.
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/local/pipeline/errors.js';
import { ProviderTable } from '../../src/local/upstream/providers.js';
import { ACCOUNT, storedLogs } from '../helpers/fake-upstream.js';
import { dataPlaneFixture } from '../helpers/local-gateway.js';

function url(table: ProviderTable, provider: string, rest: string, search = '') {
  try {
    const t = table.resolve(provider, rest, search, 'acc123');
    return t.origin + t.path;
  } catch (t) {
    if (!(t instanceof GatewayError)) throw t;
    return `error ${t.httpCode} ${t.code}: ${t.message}`;
  }
}

describe('provider table (real upstream URLs)', () => {
  const table = new ProviderTable({});
  it.each([
    ['openai', 'chat/completions', 'https://api.openai.com/v1/chat/completions'],
    ['openai', 'v1/chat/completions', 'https://api.openai.com/v1/chat/completions'],
    ['anthropic', 'v1/messages', 'https://api.anthropic.com/v1/messages'],
    [
      'google-ai-studio',
      'v1beta/models/gemini-2.5-flash:generateContent',
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    ],
    [
      'google-vertex-ai',
      'v1/projects/p1/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent',
      'https://europe-west4-aiplatform.googleapis.com/v1/projects/p1/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent',
    ],
    [
      'google-vertex-ai',
      'v1/projects/p1/locations/global/publishers/google/models/m:generateContent',
      'https://aiplatform.googleapis.com/v1/projects/p1/locations/global/publishers/google/models/m:generateContent',
    ],
    [
      'workers-ai',
      '@cf/meta/llama-3.1-8b-instruct',
      'https://api.cloudflare.com/client/v4/accounts/acc123/ai/run/@cf/meta/llama-3.1-8b-instruct',
    ],
    [
      'workers-ai',
      'v1/chat/completions',
      'https://api.cloudflare.com/client/v4/accounts/acc123/ai/v1/chat/completions',
    ],
    [
      'azure-openai',
      'myres/gpt4o/chat/completions',
      'https://myres.openai.azure.com/openai/deployments/gpt4o/chat/completions',
    ],
    [
      'aws-bedrock',
      'bedrock-runtime/us-east-1/model/anthropic.claude-v2/invoke',
      'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2/invoke',
    ],
    [
      'aws-bedrock',
      'bedrock-mantle/us-west-2/anthropic/v1/messages',
      'https://bedrock-mantle.us-west-2.api.aws/anthropic/v1/messages',
    ],
    ['groq', 'chat/completions', 'https://api.groq.com/openai/v1/chat/completions'],
    ['mistral', 'v1/chat/completions', 'https://api.mistral.ai/v1/chat/completions'],
    ['cohere', 'v1/chat', 'https://api.cohere.ai/v1/chat'],
    ['perplexity-ai', 'chat/completions', 'https://api.perplexity.ai/chat/completions'],
    ['grok', 'v1/chat/completions', 'https://api.x.ai/v1/chat/completions'],
    ['deepseek', 'chat/completions', 'https://api.deepseek.com/chat/completions'],
    ['cerebras', 'chat/completions', 'https://api.cerebras.ai/v1/chat/completions'],
    ['replicate', 'predictions', 'https://api.replicate.com/v1/predictions'],
    ['huggingface', 'org/model', 'https://api-inference.huggingface.co/models/org/model'],
    ['openrouter', 'v1/chat/completions', 'https://openrouter.ai/api/v1/chat/completions'],
    ['baseten', 'v1/chat/completions', 'https://api.baseten.co/v1/chat/completions'],
    ['baseten', 'model/abc123', 'https://model-abc123.api.baseten.co/production/predict'],
    ['fireworks', 'chat/completions', 'https://api.fireworks.ai/inference/v1/chat/completions'],
    ['elevenlabs', 'v1/text-to-speech/voice1', 'https://api.elevenlabs.io/v1/text-to-speech/voice1'],
    ['deepgram', 'v1/listen', 'https://api.deepgram.com/v1/listen'],
    ['fal', 'fal-ai/fast-sdxl', 'https://fal.run/fal-ai/fast-sdxl'],
    ['ideogram', 'generate', 'https://api.ideogram.ai/generate'],
    ['cartesia', 'tts/bytes', 'https://api.cartesia.ai/tts/bytes'],
    ['parallel', 'v1/tasks/runs', 'https://api.parallel.ai/v1/tasks/runs'],
  ])('%s /%s', (provider, rest, expected) => {
    expect(url(table, provider, rest)).toBe(expected);
  });

  it('keeps the query string', () => {
    expect(url(table, 'azure-openai', 'r/d/chat/completions', '?api-version=2024-10-21')).toBe(
      'https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21',
    );
  });

  it('refuses path segments that would change the host', () => {
    expect(url(table, 'azure-openai', 'evil.com#/d/chat')).toMatch(/^error 400/);
    expect(url(table, 'aws-bedrock', 'bedrock-runtime/us-east-1.evil.com/x')).toMatch(/^error 400/);
    expect(url(table, 'google-vertex-ai', 'v1/projects/p/locations/a.b/x')).toMatch(/^error 400/);
    expect(url(table, 'azure-openai', 'onlyresource')).toMatch(/^error 400/);
  });

  it('knows unknown and custom providers apart', () => {
    expect(url(table, 'nope', 'x')).toMatch(/^error 400 2002/);
    expect(url(table, 'custom-x', 'x')).toMatch(/^error 400 2002: Custom provider 'custom-x'/);
    expect(url(new ProviderTable({ 'custom-x': 'http://127.0.0.1:1/base/' }), 'custom-x', 'v1/y')).toBe(
      'http://127.0.0.1:1/base/v1/y',
    );
  });
});

describe('path-derived providers through the gateway with overrides', () => {
  const dp = dataPlaneFixture({
    upstreams: (url) => ({
      'azure-openai': url,
      'aws-bedrock': url,
      'workers-ai': `${url}/cf/ai`,
      'google-ai-studio': url,
    }),
    gateways: { gw: {} },
  });

  const send = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${dp.gw.url}/v1/${ACCOUNT}/gw/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"messages":[]}',
    });

  it('azure: resource and deployment from the path, api-key passed through', async () => {
    const res = await send('azure-openai/res1/dep1/chat/completions?api-version=2024-10-21', {
      'api-key': 'az',
    });
    expect(res.status).toBe(200);
    expect(dp.fake.requests[0]).toMatchObject({
      path: '/openai/deployments/dep1/chat/completions',
      query: 'api-version=2024-10-21',
    });
    expect(dp.fake.requests[0]!.headers['api-key']).toBe('az');
  });

  it('bedrock mantle: a bearer key travels as x-api-key', async () => {
    await send('aws-bedrock/bedrock-mantle/us-east-1/anthropic/v1/messages', {
      authorization: 'Bearer br-key',
    });
    expect(dp.fake.requests[0]!.path).toBe('/anthropic/v1/messages');
    expect(dp.fake.requests[0]!.headers['x-api-key']).toBe('br-key');
    expect(dp.fake.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('workers-ai: models run under /run, the OpenAI form under /v1', async () => {
    await send('workers-ai/@cf/meta/llama-3.1-8b-instruct');
    await send('workers-ai/v1/chat/completions');
    expect(dp.fake.requests.map((r) => r.path)).toEqual([
      '/cf/ai/run/@cf/meta/llama-3.1-8b-instruct',
      '/cf/ai/v1/chat/completions',
    ]);
  });

  it('google: the model comes from the path, the key header passes through', async () => {
    dp.fake.reply({
      json: {
        candidates: [{ content: { parts: [{ text: 'hi' }], role: 'model' }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2, totalTokenCount: 6 },
      },
    });
    const res = await send('google-ai-studio/v1beta/models/gemini-2.5-flash:generateContent', {
      'x-goog-api-key': 'g',
    });
    expect(res.status).toBe(200);
    expect(dp.fake.requests[0]!.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(dp.fake.requests[0]!.headers['x-goog-api-key']).toBe('g');
    const log = storedLogs(dp.gw, 'gw').at(-1)!;
    expect(log).toMatchObject({
      provider: 'google-ai-studio',
      model: 'gemini-2.5-flash',
      tokens_in: 4,
      tokens_out: 2,
    });
  });
});

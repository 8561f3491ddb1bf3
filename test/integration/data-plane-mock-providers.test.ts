// `--mock` through the gateway for providers beyond the OpenAI, Anthropic and Google shapes: their main endpoints
// answered in their own shapes (with usage the log reads), a request the mock cannot answer refused in words that
// name the mock, and custom-{slug} resolved as Cloudflare does whatever --mock says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalGateway } from '../../src/local/server.js';
import { ACCOUNT, logById } from '../helpers/fake-upstream.js';
import { startTestGateway } from '../helpers/local-gateway.js';

let gw: LocalGateway;

beforeAll(async () => {
  gw = await startTestGateway({ mock: true });
});
afterAll(async () => {
  await gw.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}/v1/${ACCOUNT}/default/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
}

describe("providers' own endpoints", () => {
  it('workers-ai run/@cf/...: a Workers AI result, with the usage the log reads', async () => {
    const { res, json } = await post('workers-ai/@cf/meta/llama-3.1-8b-instruct', {
      messages: [{ role: 'user', content: 'What is Cloudflare?' }],
    });
    expect(res.status).toBe(200);
    expect(json()).toEqual({
      result: {
        response: 'Mock reply to: "What is Cloudflare?"',
        usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 },
      },
      success: true,
      errors: [],
      messages: [],
    });
    const log = await logById(gw, 'default', res.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ provider: 'workers-ai', status_code: 200, tokens_in: 5, tokens_out: 9 });
  });

  it('aws-bedrock converse: a Converse answer, with usage', async () => {
    const { res, json } = await post(
      'aws-bedrock/bedrock-runtime/us-east-1/model/amazon.nova-lite-v1:0/converse',
      {
        messages: [{ role: 'user', content: [{ text: 'Hello Nova' }] }],
      },
    );
    expect(res.status).toBe(200);
    expect(json()).toMatchObject({
      output: { message: { role: 'assistant', content: [{ text: 'Mock reply to: "Hello Nova"' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 3, outputTokens: 7, totalTokens: 10 },
    });
    const log = await logById(gw, 'default', res.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ provider: 'aws-bedrock', tokens_in: 3, tokens_out: 7 });
  });

  it('cohere v2/chat: a Cohere v2 message, with billed units', async () => {
    const { res, json } = await post('cohere/v2/chat', {
      model: 'command-r-plus',
      messages: [{ role: 'user', content: 'Hello Cohere' }],
    });
    expect(res.status).toBe(200);
    expect(json()).toMatchObject({
      finish_reason: 'COMPLETE',
      message: { role: 'assistant', content: [{ type: 'text', text: 'Mock reply to: "Hello Cohere"' }] },
      usage: { billed_units: { input_tokens: 3, output_tokens: 8 } },
    });
    const log = await logById(gw, 'default', res.headers.get('cf-aig-log-id'));
    expect(log).toMatchObject({ provider: 'cohere', model: 'command-r-plus', tokens_in: 3, tokens_out: 8 });
  });

  it('replicate, huggingface and elevenlabs answer in their shapes', async () => {
    const prediction = await post('replicate/models/meta/meta-llama-3-8b-instruct/predictions', {
      input: { prompt: 'Hi Replicate' },
    });
    expect(prediction.res.status).toBe(201);
    expect(prediction.json()).toMatchObject({
      model: 'meta/meta-llama-3-8b-instruct',
      status: 'succeeded',
      output: ['Mock ', 'reply ', 'to: ', '"Hi ', 'Replicate"'],
    });
    const hf = await post('huggingface/mistralai/Mistral-7B-Instruct-v0.3', { inputs: 'Hi HF' });
    expect(hf.json()).toEqual([{ generated_text: 'Mock reply to: "Hi HF"' }]);
    const speech = await post('elevenlabs/v1/text-to-speech/21m00Tcm4TlvDq8EACHD', {
      text: 'Hello there',
      model_id: 'eleven_multilingual_v2',
    });
    expect(speech.res.status).toBe(200);
    expect(speech.res.headers.get('content-type')).toBe('audio/mpeg');
    expect([...speech.bytes.subarray(0, 2)]).toEqual([0xff, 0xfb]);
  });
});

describe('what the mock cannot answer', () => {
  it('gets an error that names the mock, never a provider answer such as model_not_found', async () => {
    for (const [path, body] of [
      ['openai/audio/speech', { model: 'tts-1', input: 'x', voice: 'alloy' }],
      ['cohere/v2/rerank', { model: 'rerank-v3.5', query: 'q', documents: ['a'] }],
      ['deepgram/v1/listen', {}],
    ] as const) {
      const { res, bytes } = await post(path, body);
      const text = bytes.toString('utf8');
      expect(res.status, path).toBe(404);
      expect(res.headers.get('x-aigw-mock'), path).toBe('no-route');
      expect(text, path).toContain('aigw mock upstream (--mock): no answer for POST');
      expect(text, path).toContain('--upstream');
      expect(text, path).not.toContain('model_not_found');
    }
  });
});

describe('custom-{slug} under --mock', () => {
  it('an unconfigured slug gets Cloudflare’s 2002; a configured one is answered by the mock', async () => {
    const unknown = await post('custom-nobody/v1/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(unknown.res.status).toBe(400);
    expect(unknown.json()).toMatchObject({ name: 'AiGatewayError', error: [{ code: 2002 }] });

    gw.runtime.customProviders.create(
      ACCOUNT,
      { name: 'Acme', slug: 'acme', base_url: 'https://api.acme.example/v1' },
      new Date(),
    );
    const known = await post('custom-acme/chat/completions', {
      model: 'acme-large',
      messages: [{ role: 'user', content: 'Hi Acme' }],
    });
    expect(known.res.status).toBe(200);
    expect(known.json()).toMatchObject({ choices: [{ message: { content: 'Mock reply to: "Hi Acme"' } }] });
  });
});

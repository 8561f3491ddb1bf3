// A translated compat answer (chat.completion or its chunks) is stamped `created` from the gateway's clock at
// the time it is answered, like every other time the data plane gives; a provider's answer with no id gets one
// from the same clock.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ACCOUNT, anthropicMessage, anthropicStreamFrames } from '../helpers/fake-upstream.js';
import { dataPlaneFixture } from '../helpers/local-gateway.js';

const START = Date.UTC(2031, 4, 6, 7, 8, 9, 500);
let clock = START;
const seconds = (ms: number) => Math.floor(ms / 1000);

const dp = dataPlaneFixture({
  upstreams: (url) => ({ anthropic: url, 'google-ai-studio': url }),
  gateway: { now: () => new Date(clock) },
  gateways: { gw: {} },
});

function compat() {
  return new OpenAI({ apiKey: 'k', baseURL: `${dp.gw.url}/v1/${ACCOUNT}/gw/compat`, maxRetries: 0 });
}

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('created on translated answers', () => {
  it('is the gateway clock at answer time for an Anthropic message, whole or streamed', async () => {
    clock = START;
    dp.fake.reply({ json: anthropicMessage('whole') });
    const whole = await compat().chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', ...ask });
    expect(whole.choices[0]!.message.content).toBe('whole');
    expect(whole.created).toBe(seconds(START));

    clock = START + 90_000;
    dp.fake.reply({ frames: anthropicStreamFrames(['str', 'eamed']) });
    const stream = await compat().chat.completions.create({
      model: 'anthropic/claude-sonnet-4-5',
      ...ask,
      stream: true,
    });
    let text = '';
    const created = new Set<number>();
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      created.add(chunk.created);
    }
    expect(text).toBe('streamed');
    expect([...created]).toEqual([seconds(START + 90_000)]);
  });

  it('names a Google answer that has no responseId by the same clock', async () => {
    clock = START + 3_600_000;
    dp.fake.reply({
      json: {
        candidates: [
          { content: { role: 'model', parts: [{ text: 'gemini' }] }, finishReason: 'STOP', index: 0 },
        ],
        usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 1, totalTokenCount: 3 },
      },
    });
    const answer = await compat().chat.completions.create({
      model: 'google-ai-studio/gemini-2.5-flash',
      ...ask,
    });
    expect(answer.choices[0]!.message.content).toBe('gemini');
    expect(answer.created).toBe(seconds(START + 3_600_000));
    expect(answer.id).toBe(`chatcmpl-${seconds(START + 3_600_000)}`);
  });
});

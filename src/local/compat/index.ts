// Unified OpenAI-compatible endpoint (`/compat/chat/completions`): the body names `{provider}/{model}`; the
// adapter gives the upstream path, translates the request for the provider and the answer back to OpenAI's
// chat.completion / chat.completion.chunk shapes. Providers that already speak OpenAI pass through.
//
// Streaming errors: when the upstream answers a streamed request with a non-2xx JSON body, callers should use
// `fromUpstream` (not the stream translator) to produce the OpenAI error object.
import { anthropicAdapter } from './anthropic.js';
import { googleAdapter } from './google.js';
import { passThroughAdapter } from './openai.js';

export interface CompatTarget {
  provider: string;
  model: string;
}

export interface StreamTranslator {
  /** Translated bytes for this chunk (possibly empty). */
  push(chunk: Buffer): Buffer;
  /** Whatever remains, ending with `data: [DONE]` for translating adapters. */
  end(): Buffer;
}

export interface CompatAdapter {
  /** Appended to the provider's upstream base URL (query included when needed). */
  upstreamPath(target: CompatTarget, stream: boolean): string;
  /** OpenAI chat.completions body → provider body (bare model name) and the upstream headers it needs. */
  toUpstream(
    body: Record<string, unknown>,
    target: CompatTarget,
    clientAuthorization: string | undefined,
  ): { body: Buffer; headers: Record<string, string> };
  /** Provider JSON (success or error) → OpenAI chat.completion or `{error:{message,type,param,code}}`;
   *  `created` (epoch seconds, from the gateway's clock) stamps what the provider's answer lacks. */
  fromUpstream(status: number, json: unknown, target: CompatTarget, created: number): unknown;
  /** Provider SSE bytes → OpenAI chunk SSE bytes; usage rides on the final (finish_reason) chunk. */
  streamTranslator(target: CompatTarget, created: number): StreamTranslator;
}

export function parseCompatModel(model: unknown): CompatTarget | { error: string } {
  if (typeof model !== 'string' || model === '') {
    return { error: 'model is required and must be a string of the form "{provider}/{model}"' };
  }
  const slash = model.indexOf('/');
  if (slash <= 0 || slash === model.length - 1) {
    return { error: `model must be of the form "{provider}/{model}", got "${model}"` };
  }
  return { provider: model.slice(0, slash), model: model.slice(slash + 1) };
}

export function compatAdapterFor(provider: string): CompatAdapter {
  if (provider === 'anthropic') return anthropicAdapter;
  if (provider === 'google-ai-studio') return googleAdapter;
  return passThroughAdapter;
}

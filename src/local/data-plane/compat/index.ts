// Unified OpenAI-compatible endpoint (`/compat/chat/completions`): picks the upstream and translates bodies.
export interface CompatTarget {
  provider: string;
  model: string;
}

export interface StreamTranslator {
  push(chunk: Buffer): Buffer;
  end(): Buffer;
}

export interface CompatAdapter {
  upstreamPath(target: CompatTarget, stream: boolean): string;
  toUpstream(
    body: Record<string, unknown>,
    target: CompatTarget,
    clientAuthorization: string | undefined,
  ): { body: Buffer; headers: Record<string, string> };
  fromUpstream(status: number, json: unknown, target: CompatTarget): unknown;
  streamTranslator(target: CompatTarget): StreamTranslator;
}

export function parseCompatModel(model: unknown): CompatTarget | { error: string } {
  if (typeof model !== 'string' || model === '') return { error: 'model is required' };
  const slash = model.indexOf('/');
  if (slash <= 0 || slash === model.length - 1) {
    return { error: `model must be "{provider}/{model}", got "${model}"` };
  }
  return { provider: model.slice(0, slash), model: model.slice(slash + 1) };
}

export function compatAdapterFor(_provider: string): CompatAdapter {
  throw new Error('not implemented yet');
}

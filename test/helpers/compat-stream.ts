import type { StreamTranslator } from '../../src/local/compat/index.js';

/** Runs bytes through a fresh translator in the given pieces; returns the output with `created` normalised. */
export function translate(make: () => StreamTranslator, pieces: Buffer[]): string {
  const t = make();
  const out: Buffer[] = [];
  for (const piece of pieces) {
    const bytes = t.push(piece);
    // Every push returns whole events only, so the output is always valid UTF-8 on its own.
    const text = bytes.toString('utf8');
    if (text !== '' && !text.endsWith('\n\n'))
      throw new Error(`partial event emitted: ${JSON.stringify(text)}`);
    out.push(bytes);
  }
  out.push(t.end());
  return Buffer.concat(out)
    .toString('utf8')
    .replace(/"created":\d+/g, '"created":0');
}

/** Every two-way split of the input, and the input byte by byte. */
export function splits(input: Buffer): Buffer[][] {
  const all: Buffer[][] = [];
  for (let i = 0; i <= input.length; i++) all.push([input.subarray(0, i), input.subarray(i)]);
  all.push([...input].map((b) => Buffer.from([b])));
  return all;
}

export interface Accumulated {
  id: string | undefined;
  model: string | undefined;
  roles: string[];
  content: string;
  toolCalls: { id?: string; name?: string; arguments: string }[];
  finishReason: string | null;
  usage: unknown;
  done: boolean;
  errors: unknown[];
}

/** Parses OpenAI chunk SSE text the way a client would and accumulates it. */
export function accumulate(sse: string): Accumulated {
  const acc: Accumulated = {
    id: undefined,
    model: undefined,
    roles: [],
    content: '',
    toolCalls: [],
    finishReason: null,
    usage: undefined,
    done: false,
    errors: [],
  };
  for (const block of sse.split('\n\n')) {
    if (block === '') continue;
    if (!block.startsWith('data: ')) throw new Error(`not an OpenAI SSE event: ${block}`);
    if (acc.done) throw new Error('event after [DONE]');
    const data = block.slice(6);
    if (data === '[DONE]') {
      acc.done = true;
      continue;
    }
    const chunk = JSON.parse(data);
    if (chunk.error) {
      acc.errors.push(chunk.error);
      continue;
    }
    if (chunk.object !== 'chat.completion.chunk') throw new Error(`bad object ${chunk.object}`);
    acc.id = chunk.id;
    acc.model = chunk.model;
    if (chunk.usage) acc.usage = chunk.usage;
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      if (delta.role) acc.roles.push(delta.role);
      if (typeof delta.content === 'string') acc.content += delta.content;
      for (const call of delta.tool_calls ?? []) {
        const slot = acc.toolCalls[call.index] ?? { arguments: '' };
        acc.toolCalls[call.index] = slot;
        if (call.id) slot.id = call.id;
        if (call.function?.name) slot.name = call.function.name;
        if (call.function?.arguments) slot.arguments += call.function.arguments;
      }
      if (choice.finish_reason) acc.finishReason = choice.finish_reason;
    }
  }
  return acc;
}

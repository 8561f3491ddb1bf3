// Token usage and model name, read from provider responses (JSON bodies and SSE streams) and requests.
//
// tokensIn counts every input token the provider billed, cached ones included (OpenAI's prompt_tokens already
// includes cached tokens; Anthropic reports them apart, so they are added). cacheReadTokens / cacheWriteTokens
// are the parts of tokensIn that were prompt-cache reads and writes, for pricing.

export interface Usage {
  tokensIn: number | null;
  tokensOut: number | null;
  model: string | null;
  /** Part of tokensIn read from the provider's prompt cache (absent or null when unknown). */
  cacheReadTokens?: number | null;
  /** Part of tokensIn written to the provider's prompt cache (absent or null when unknown). */
  cacheWriteTokens?: number | null;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function sum(...values: (number | null)[]): number | null {
  let total: number | null = null;
  for (const v of values) if (v !== null) total = (total ?? 0) + v;
  return total;
}

function emptyUsage(): Usage {
  return { tokensIn: null, tokensOut: null, model: null, cacheReadTokens: null, cacheWriteTokens: null };
}

/** Reads one usage object in any of the shapes providers use. */
function readUsageObject(u: Json, out: Usage): void {
  // Google: usageMetadata
  if ('promptTokenCount' in u || 'candidatesTokenCount' in u) {
    out.tokensIn = num(u.promptTokenCount) ?? out.tokensIn;
    const candidates = num(u.candidatesTokenCount);
    const thoughts = num(u.thoughtsTokenCount);
    if (candidates !== null || thoughts !== null) out.tokensOut = sum(candidates, thoughts);
    const cached = num(u.cachedContentTokenCount);
    if (cached !== null) out.cacheReadTokens = cached;
    return;
  }
  // AWS Bedrock Converse
  if ('inputTokens' in u || 'outputTokens' in u) {
    const input = num(u.inputTokens);
    const read = num(u.cacheReadInputTokens);
    const write = num(u.cacheWriteInputTokens);
    if (input !== null) out.tokensIn = sum(input, read, write);
    out.tokensOut = num(u.outputTokens) ?? out.tokensOut;
    if (read !== null) out.cacheReadTokens = read;
    if (write !== null) out.cacheWriteTokens = write;
    return;
  }
  // Cohere v2: usage.billed_units / usage.tokens; Cohere v1: meta.billed_units
  const billed = isObject(u.billed_units) ? u.billed_units : isObject(u.tokens) ? u.tokens : null;
  if (billed && !('prompt_tokens' in u) && !('input_tokens' in u)) {
    out.tokensIn = num(billed.input_tokens) ?? out.tokensIn;
    out.tokensOut = num(billed.output_tokens) ?? out.tokensOut;
    return;
  }
  // OpenAI chat / embeddings and every OpenAI-compatible provider
  if ('prompt_tokens' in u || 'completion_tokens' in u) {
    const prompt = num(u.prompt_tokens);
    const completion = num(u.completion_tokens);
    const total = num(u.total_tokens);
    if (prompt !== null) out.tokensIn = prompt;
    if (completion !== null) out.tokensOut = completion;
    else if (prompt !== null) out.tokensOut = total !== null && total >= prompt ? total - prompt : 0;
    const details = isObject(u.prompt_tokens_details) ? u.prompt_tokens_details : null;
    const cached = num(details?.cached_tokens) ?? num(u.prompt_cache_hit_tokens);
    if (cached !== null) out.cacheReadTokens = cached;
    return;
  }
  // Anthropic messages (cache tokens reported apart) and OpenAI responses (cached included in input_tokens)
  if ('input_tokens' in u || 'output_tokens' in u) {
    const input = num(u.input_tokens);
    const creation = num(u.cache_creation_input_tokens);
    const read = num(u.cache_read_input_tokens);
    if (input !== null || creation !== null || read !== null) out.tokensIn = sum(input, creation, read);
    out.tokensOut = num(u.output_tokens) ?? out.tokensOut;
    if (read !== null) out.cacheReadTokens = read;
    if (creation !== null) out.cacheWriteTokens = creation;
    const details = isObject(u.input_tokens_details) ? u.input_tokens_details : null;
    const cached = num(details?.cached_tokens);
    if (cached !== null) out.cacheReadTokens = cached;
  }
}

function readModel(body: Json): string | null {
  if (typeof body.model === 'string' && body.model) return body.model;
  if (typeof body.modelVersion === 'string' && body.modelVersion) return body.modelVersion;
  return null;
}

/** Reads usage and model from one JSON object (a whole response or one stream event) into `out`. */
function readInto(body: Json, out: Usage): void {
  // Envelopes: Workers AI {result}, Anthropic stream {message}, OpenAI responses stream {response},
  // Cohere v2 stream {delta}, Groq {x_groq}.
  for (const wrapper of ['result', 'message', 'response', 'delta', 'x_groq'] as const) {
    const inner = body[wrapper];
    if (isObject(inner)) readInto(inner, out);
  }
  const model = readModel(body);
  if (model !== null) out.model = model;
  for (const key of ['usage', 'usageMetadata', 'meta'] as const) {
    const u = body[key];
    if (isObject(u)) readUsageObject(u, out);
  }
}

/** Usage and model from a complete JSON response body (already parsed). Unknown shapes give nulls. */
export function usageFromJson(body: unknown): Usage {
  const out = emptyUsage();
  if (isObject(body)) readInto(body, out);
  else if (Array.isArray(body)) {
    // Google streamGenerateContent without alt=sse answers a JSON array of chunks; the last usage wins.
    for (const item of body) if (isObject(item)) readInto(item, out);
  }
  return out;
}

const NEWLINE = 0x0a;
const MAX_LINE_BYTES = 8 * 1024 * 1024;
const USAGE_MARKER = Buffer.from('"usage');
const MODEL_MARKER = Buffer.from('"model');
const DATA_PREFIX = Buffer.from('data:');

/**
 * Follows an SSE (or NDJSON) response as it streams through and keeps what it says about usage.
 * Only the current partial line is kept between chunks; lines are decoded whole, so multi-byte
 * characters split across chunks are never mangled. Events that mention neither usage nor a model
 * are not parsed at all.
 */
export class StreamUsageTracker {
  private readonly usage: Usage = emptyUsage();
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private overflow = false;

  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE, start);
    while (nl !== -1) {
      if (this.partialBytes > 0 || this.overflow) {
        if (!this.overflow) {
          this.partial.push(chunk.subarray(start, nl));
          this.line(Buffer.concat(this.partial, this.partialBytes + nl - start));
        }
        this.partial = [];
        this.partialBytes = 0;
        this.overflow = false;
      } else {
        this.line(chunk.subarray(start, nl));
      }
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length && !this.overflow) {
      const rest = chunk.subarray(start);
      if (this.partialBytes + rest.length > MAX_LINE_BYTES) {
        // A single line this long is not a usage event; skip it rather than hold it.
        this.partial = [];
        this.partialBytes = 0;
        this.overflow = true;
      } else {
        // Copy: the caller may reuse the chunk's memory once push returns.
        this.partial.push(Buffer.from(rest));
        this.partialBytes += rest.length;
      }
    }
  }

  result(): Usage {
    if (this.partialBytes > 0 && !this.overflow) this.line(Buffer.concat(this.partial, this.partialBytes));
    this.partial = [];
    this.partialBytes = 0;
    return { ...this.usage };
  }

  private line(raw: Buffer): void {
    let begin = 0;
    let end = raw.length;
    if (end > 0 && raw[end - 1] === 0x0d) end--;
    if (end - begin < 2) return;
    if (raw[begin] === 0x64 /* d */) {
      if (raw.compare(DATA_PREFIX, 0, DATA_PREFIX.length, begin, begin + DATA_PREFIX.length) !== 0) return;
      begin += DATA_PREFIX.length;
      if (raw[begin] === 0x20) begin++;
    } else if (raw[begin] === 0x5b /* [ */ || raw[begin] === 0x2c /* , */) {
      begin++; // a JSON-array stream, one element per line
    }
    if (raw[begin] !== 0x7b /* { */) return;
    const body = raw.subarray(begin, end);
    const wantModel = this.usage.model === null;
    if (!mentionsUsage(body) && !(wantModel && body.indexOf(MODEL_MARKER) !== -1)) return;
    let event: unknown;
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch {
      return;
    }
    if (!isObject(event)) return;
    const model = this.usage.model;
    readInto(event, this.usage);
    // The first model named is the one that answered; later events may name snapshots or sub-objects.
    if (model !== null) this.usage.model = model;
  }
}

/** True when the event has a "usage…" key whose value is not null (OpenAI sends "usage":null on every chunk). */
function mentionsUsage(body: Buffer): boolean {
  let at = body.indexOf(USAGE_MARKER);
  while (at !== -1) {
    let i = at + USAGE_MARKER.length;
    while (i < body.length && body[i] !== 0x22 /* " */) i++;
    i++;
    while (i < body.length && (body[i] === 0x3a /* : */ || body[i] === 0x20)) i++;
    if (i < body.length && body[i] !== 0x6e /* n */) return true;
    at = body.indexOf(USAGE_MARKER, i);
  }
  return false;
}

const GOOGLE_MODEL_PATH = /\/models\/([^/:?]+)(?::[^/?]*)?(?:[/?]|$)/;
const WORKERS_AI_MODEL = /(@(?:cf|hf)\/[^?]+)/;
const BEDROCK_MODEL_PATH = /\/model\/([^/?]+)\//;
const AZURE_DEPLOYMENT_PATH = /\/deployments\/([^/?]+)\//;

/** The model a request names: body.model, or the model in the URL for providers that put it there. */
export function modelFromRequest(provider: string, path: string, body: unknown): string | null {
  if (isObject(body) && typeof body.model === 'string' && body.model) return body.model;
  const pathOnly = path.split('?', 1)[0] ?? '';
  switch (provider) {
    case 'google-ai-studio':
    case 'google-vertex-ai': {
      const m = GOOGLE_MODEL_PATH.exec(pathOnly);
      return m ? safeDecode(m[1]!) : null;
    }
    case 'workers-ai': {
      const m = WORKERS_AI_MODEL.exec(pathOnly);
      return m ? safeDecode(m[1]!).replace(/\/+$/, '') : null;
    }
    case 'aws-bedrock': {
      const m = BEDROCK_MODEL_PATH.exec(pathOnly);
      return m ? safeDecode(m[1]!) : null;
    }
    case 'azure-openai': {
      const m = AZURE_DEPLOYMENT_PATH.exec(pathOnly);
      if (m) return safeDecode(m[1]!);
      // Gateway form: [/azure-openai]/{resource}/{deployment}/{rest}
      const segments = pathOnly.split('/').filter(Boolean);
      if (segments[0] === 'azure-openai') segments.shift();
      return segments.length >= 3 ? safeDecode(segments[1]!) : null;
    }
    case 'huggingface': {
      const segments = pathOnly.split('/').filter(Boolean);
      if (segments[0] === 'huggingface') segments.shift();
      if (segments[0] === 'models') segments.shift();
      return segments.length >= 2 ? `${segments[0]}/${segments[1]}` : (segments[0] ?? null);
    }
    default:
      return null;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

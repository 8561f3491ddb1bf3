// The text of a model's answer, from a provider's JSON body or, event by event, from its server-sent event
// stream (OpenAI chat and responses, Anthropic messages, Google generateContent, Workers AI), with the token
// usage the answer reports. Anything else has no text: callers show the body itself.
import { createParser, type EventSourceParser } from 'eventsource-parser';

type Json = Record<string, unknown>;

interface AnswerUsage {
  tokensIn: number | null;
  tokensOut: number | null;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The answer text of a whole (not streamed) JSON body, or null when the body is not a known answer. */
export function answerText(body: unknown): string | null {
  if (!isObject(body)) return null;
  // OpenAI chat completions and every OpenAI-compatible provider
  if (Array.isArray(body.choices)) {
    const texts = body.choices.map((c) =>
      isObject(c) ? (isObject(c.message) ? contentText(c.message.content) : str(c.text)) : '',
    );
    return texts.join('');
  }
  // OpenAI responses
  if (Array.isArray(body.output)) {
    return body.output
      .flatMap((item) => (isObject(item) && Array.isArray(item.content) ? item.content : []))
      .map((part) => (isObject(part) && part.type === 'output_text' ? str(part.text) : ''))
      .join('');
  }
  // Anthropic messages
  if (body.type === 'message' && Array.isArray(body.content)) return contentText(body.content);
  // Google generateContent
  if (Array.isArray(body.candidates)) return candidateText(body);
  // Workers AI
  if (isObject(body.result) && typeof body.result.response === 'string') return body.result.response;
  return null;
}

/** The token usage a JSON body (or one stream event) reports, in any of the providers' shapes. */
export function answerUsage(body: unknown): AnswerUsage | null {
  if (!isObject(body)) return null;
  const usage = isObject(body.usage)
    ? body.usage
    : isObject(body.usageMetadata)
      ? body.usageMetadata
      : isObject(body.message) && isObject(body.message.usage)
        ? body.message.usage
        : isObject(body.response) && isObject(body.response.usage)
          ? body.response.usage
          : isObject(body.result) && isObject(body.result.usage)
            ? body.result.usage
            : null;
  if (!usage) return null;
  const tokensIn = num(usage.prompt_tokens) ?? num(usage.input_tokens) ?? num(usage.promptTokenCount);
  const tokensOut =
    num(usage.completion_tokens) ?? num(usage.output_tokens) ?? num(usage.candidatesTokenCount);
  if (tokensIn === null && tokensOut === null) return null;
  return { tokensIn, tokensOut };
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isObject(part) ? str(part.text) : '')).join('');
}

function candidateText(body: Json): string {
  const first = Array.isArray(body.candidates) ? body.candidates[0] : undefined;
  if (!isObject(first) || !isObject(first.content) || !Array.isArray(first.content.parts)) return '';
  return first.content.parts.map((p) => (isObject(p) ? str(p.text) : '')).join('');
}

/** The text one stream event adds, in any of the providers' event shapes. */
function deltaText(event: Json): string {
  if (Array.isArray(event.choices)) {
    return event.choices
      .map((c) => (isObject(c) ? (isObject(c.delta) ? contentText(c.delta.content) : str(c.text)) : ''))
      .join('');
  }
  if (event.type === 'response.output_text.delta') return str(event.delta);
  if (event.type === 'content_block_delta' && isObject(event.delta)) return str(event.delta.text);
  if (Array.isArray(event.candidates)) return candidateText(event);
  if (typeof event.response === 'string') return event.response; // Workers AI
  return '';
}

/**
 * Reads a server-sent event stream as it arrives: push() returns the answer text each chunk adds. Usage is
 * the last one any event reported; Anthropic reports input tokens at the start and output tokens at the end.
 */
export class StreamAnswer {
  usage: AnswerUsage | null = null;
  events = 0;
  private pending = '';
  private readonly parser: EventSourceParser;

  constructor() {
    this.parser = createParser({
      onEvent: (message) => {
        if (message.data === '[DONE]') return;
        let event: unknown;
        try {
          event = JSON.parse(message.data);
        } catch {
          return;
        }
        if (!isObject(event)) return;
        this.events++;
        this.pending += deltaText(event);
        const usage = answerUsage(event);
        if (usage) {
          this.usage = {
            tokensIn: usage.tokensIn ?? this.usage?.tokensIn ?? null,
            tokensOut: usage.tokensOut ?? this.usage?.tokensOut ?? null,
          };
        }
      },
    });
  }

  push(chunk: string): string {
    this.parser.feed(chunk);
    const text = this.pending;
    this.pending = '';
    return text;
  }

  end(): string {
    return this.push('\n\n');
  }
}

/** The answer text of a whole recorded stream, or null when the text holds no JSON events. */
export function streamText(text: string): string | null {
  if (!/^(data|event):/m.test(text)) return null;
  const stream = new StreamAnswer();
  const out = stream.push(text) + stream.end();
  return stream.events > 0 ? out : null;
}

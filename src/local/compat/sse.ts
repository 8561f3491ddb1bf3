// Incremental server-sent-events parsing and formatting.
//
// Lines are split on the LF byte before decoding: UTF-8 never uses 0x0A inside a multi-byte character, so a
// chunk boundary inside a character is only ever decoded once the whole line has arrived. Memory is bounded by
// the longest line, never by the stream.
import type { StreamTranslator } from './index.js';

export interface SseEvent {
  event: string | undefined;
  data: string;
}

const LF = 0x0a;
const CR = 0x0d;

export class SseParser {
  private partial: Buffer[] = [];
  private event: string | undefined;
  private data: string[] = [];

  /** Feeds bytes; calls `onEvent` for every event completed by them. */
  push(chunk: Buffer, onEvent: (event: SseEvent) => void): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) break;
      let line: Buffer = chunk.subarray(start, nl);
      if (this.partial.length > 0) {
        this.partial.push(line);
        line = Buffer.concat(this.partial);
        this.partial = [];
      }
      start = nl + 1;
      this.lineBytes(line, onEvent);
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  }

  /** Flushes a final event that was not followed by a blank line. */
  end(onEvent: (event: SseEvent) => void): void {
    if (this.partial.length > 0) {
      const line = Buffer.concat(this.partial);
      this.partial = [];
      this.lineBytes(line, onEvent);
    }
    this.dispatch(onEvent);
  }

  /** A complete line without its LF; a trailing CR (CRLF line ends) is dropped. */
  private lineBytes(line: Buffer, onEvent: (event: SseEvent) => void): void {
    const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    this.line(line.toString('utf8', 0, end), onEvent);
  }

  private line(line: string, onEvent: (event: SseEvent) => void): void {
    if (line === '') {
      this.dispatch(onEvent);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }

  private dispatch(onEvent: (event: SseEvent) => void): void {
    if (this.data.length === 0) {
      this.event = undefined;
      return;
    }
    const event: SseEvent = { event: this.event, data: this.data.join('\n') };
    this.event = undefined;
    this.data = [];
    onEvent(event);
  }
}

/**
 * A StreamTranslator over an SSE input: `setup` gets `emit` and returns what to do per parsed event and at the
 * end of the input; every push() or end() returns the text emitted meanwhile.
 */
export function sseTranslator(
  setup: (emit: (text: string) => void) => { onEvent(event: SseEvent): void; onEnd(): void },
): StreamTranslator {
  const parser = new SseParser();
  let out = '';
  const { onEvent, onEnd } = setup((text) => {
    out += text;
  });
  const drain = () => {
    const bytes = Buffer.from(out);
    out = '';
    return bytes;
  };
  return {
    push(bytes) {
      parser.push(bytes, onEvent);
      return drain();
    },
    end() {
      parser.end(onEvent);
      onEnd();
      return drain();
    },
  };
}

/** `data: {json}\n\n` */
export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';

/** Parses JSON without throwing; `undefined` when the text is not JSON. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

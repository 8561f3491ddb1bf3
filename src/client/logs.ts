// A gateway's logs: list (page by page, only as many pages as asked for), count, get, the stored request and
// response bodies, feedback (PATCH) and delete.
//
// Filters travel as Cloudflare reads them: ONE `filters` query parameter holding a JSON array. The SDK's own
// query encoding flattens arrays into `filters.key=...` brackets, which the API ignores (cloudflare-typescript
// #2723), so these calls go through the SDK's raw methods with the JSON text as a plain string: same
// credentials, same --debug trace, same error translation.
import type { LogGetResponse, LogListResponse } from 'cloudflare/resources/ai-gateway/logs';
import type { ListOrder, LogFilter } from '../log-filters.js';
import type { AigwClient } from './index.js';

/** The local gateway's own log fields (Cloudflare's logs have only `step`): the dynamic route that served. */
interface LocalLogFields {
  aigw_route?: string;
  aigw_route_version?: string;
  aigw_route_element?: string;
}

export type Log = LogListResponse & LocalLogFields;
export type LogDetail = LogGetResponse & LocalLogFields;

/** What selects logs: on the server, and with `keep` on each log it returns. */
export interface LogQuery {
  filters: LogFilter[];
  search?: string;
  orderBy?: ListOrder;
  direction?: 'asc' | 'desc';
  /** Keeps only the logs it accepts (what the API cannot filter on, e.g. an exact status code). */
  keep?: (log: Log) => boolean;
}

interface LogPageInfo {
  count?: number;
  page?: number;
  per_page?: number;
  total_count?: number;
}

interface LogPage {
  logs: Log[];
  info: LogPageInfo;
}

export interface ListOptions {
  /** At most this many logs; 0 or undefined: every log that matches. */
  limit?: number;
  /** Called once, with the first page's total_count (e.g. for progress). */
  onTotal?: (total: number | undefined) => void;
}

export interface LogFeedback {
  feedback?: -1 | 0 | 1 | null;
  score?: number | null;
  metadata?: Record<string, string | number | boolean> | null;
}

/** The API's page size limit for logs. */
export const LOGS_PER_PAGE = 50;
/** The most logs one DELETE removes. */
export const DELETE_LIMIT = 10_000;

export class LogsApi {
  constructor(private readonly client: AigwClient) {}

  /** One page of logs (newest first unless the query says otherwise); `signal` cancels the request. */
  async page(
    accountId: string,
    gatewayId: string,
    query: LogQuery,
    page: number,
    perPage: number,
    signal?: AbortSignal,
  ) {
    return this.client.call(async () => {
      const body = (await this.client.sdk.get(logsPath(accountId, gatewayId), {
        query: { ...listQuery(query), page, per_page: perPage },
        ...(signal ? { signal } : {}),
      })) as { result?: Log[]; result_info?: LogPageInfo };
      return { logs: body.result ?? [], info: body.result_info ?? {} } satisfies LogPage;
    });
  }

  /** The logs that match, fetched a page at a time as the caller consumes them. */
  async *list(accountId: string, gatewayId: string, query: LogQuery, options: ListOptions = {}) {
    const limit = options.limit && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
    // Without a local check a limit below 50 needs only that many; with one, every page may drop some.
    const perPage = query.keep ? LOGS_PER_PAGE : Math.min(LOGS_PER_PAGE, limit);
    let yielded = 0;
    for (let page = 1; ; page++) {
      const { logs, info } = await this.page(accountId, gatewayId, query, page, perPage);
      if (page === 1) options.onTotal?.(info.total_count);
      for (const log of logs) {
        if (query.keep && !query.keep(log)) continue;
        yield log;
        if (++yielded >= limit) return;
      }
      const total = info.total_count;
      if (logs.length < perPage || (total !== undefined && page * perPage >= total)) return;
    }
  }

  /** How many logs match (the server's count; one request). */
  async count(accountId: string, gatewayId: string, query: LogQuery): Promise<number> {
    const { logs, info } = await this.page(accountId, gatewayId, query, 1, 1);
    return info.total_count ?? logs.length;
  }

  async get(accountId: string, gatewayId: string, id: string): Promise<LogDetail> {
    return this.client.call(async () => {
      const body = (await this.client.sdk.get(logPath(accountId, gatewayId, id))) as { result: LogDetail };
      return body.result;
    });
  }

  /** The request body as stored: JSON, or text for other content types. */
  async requestBody(accountId: string, gatewayId: string, id: string): Promise<unknown> {
    return this.client.call(() => this.client.sdk.get(`${logPath(accountId, gatewayId, id)}/request`));
  }

  /** The response body as stored: JSON, or text (a stream's events) for other content types. */
  async responseBody(accountId: string, gatewayId: string, id: string): Promise<unknown> {
    return this.client.call(() => this.client.sdk.get(`${logPath(accountId, gatewayId, id)}/response`));
  }

  async patch(accountId: string, gatewayId: string, id: string, feedback: LogFeedback): Promise<void> {
    await this.client.call(() =>
      this.client.sdk.patch(logPath(accountId, gatewayId, id), { body: feedback }),
    );
  }

  /** Deletes up to `limit` (at most 10,000) matching logs, oldest first as the API does by default. */
  async delete(accountId: string, gatewayId: string, filters: LogFilter[], limit: number): Promise<void> {
    await this.client.call(() =>
      this.client.sdk.delete(logsPath(accountId, gatewayId), {
        query: { ...(filters.length > 0 ? { filters: JSON.stringify(filters) } : {}), limit },
      }),
    );
  }
}

function listQuery(query: LogQuery): Record<string, string> {
  return {
    ...(query.filters.length > 0 ? { filters: JSON.stringify(query.filters) } : {}),
    ...(query.search ? { search: query.search } : {}),
    ...(query.orderBy ? { order_by: query.orderBy } : {}),
    ...(query.direction ? { order_by_direction: query.direction } : {}),
  };
}

function logsPath(accountId: string, gatewayId: string): string {
  return `/accounts/${encodeURIComponent(accountId)}/ai-gateway/gateways/${encodeURIComponent(gatewayId)}/logs`;
}

function logPath(accountId: string, gatewayId: string, id: string): string {
  return `${logsPath(accountId, gatewayId)}/${encodeURIComponent(id)}`;
}

// The analytics side of the log writer: every request it is handed counts once in analytics_requests, its log
// kept or not, and each batch is folded into the hourly rollup (analytics_hours) in the batch's own transaction,
// so readers always see the two agree. One grouped upsert per batch costs a fraction of one per request.
import type { SQLInputValue } from 'node:sqlite';

export const COUNT_SQL = `INSERT INTO analytics_requests (account_id, gateway_id, created_ms, provider, model, cached,
  errored, tokens_in, tokens_out, cost_pico, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Run in order after a batch's rows: fold the requests counted since the last fold, then move the mark. */
export const ROLLUP_SQL = [
  `INSERT INTO analytics_hours
   SELECT account_id, created_ms - created_ms % 3600000, gateway_id, provider, model, count(*), sum(cached),
     sum(errored), sum(cached * tokens_in), sum(cached * tokens_out), sum((1 - cached) * tokens_in),
     sum((1 - cached) * tokens_out), sum(cost_pico)
   FROM analytics_requests WHERE seq > (SELECT seq FROM analytics_rolled) GROUP BY 1, 2, 3, 4, 5
   ON CONFLICT DO UPDATE SET requests = requests + excluded.requests,
     cached_requests = cached_requests + excluded.cached_requests,
     errored_requests = errored_requests + excluded.errored_requests,
     cached_tokens_in = cached_tokens_in + excluded.cached_tokens_in,
     cached_tokens_out = cached_tokens_out + excluded.cached_tokens_out,
     uncached_tokens_in = uncached_tokens_in + excluded.uncached_tokens_in,
     uncached_tokens_out = uncached_tokens_out + excluded.uncached_tokens_out,
     cost_pico = cost_pico + excluded.cost_pico`,
  'UPDATE analytics_rolled SET seq = (SELECT coalesce(max(seq), 0) FROM analytics_requests)',
];

/** What a request's analytics row is made of (the log record has all of it). */
export interface Counted {
  accountId: string;
  gatewayId: string;
  createdAt: Date;
  provider: string;
  model: string;
  success: boolean;
  cached: boolean;
  tokensIn: number | null;
  tokensOut: number | null;
  cost: number | null;
  metadata: Record<string, string | number | boolean> | null;
}

/** The values of COUNT_SQL; the cost in whole picodollars, so sums of costs are exact. */
export function countValues(r: Counted): SQLInputValue[] {
  return [
    r.accountId,
    r.gatewayId,
    r.createdAt.getTime(),
    r.provider,
    r.model,
    r.cached ? 1 : 0,
    r.success ? 0 : 1,
    r.tokensIn ?? 0,
    r.tokensOut ?? 0,
    r.cost === null ? 0 : Math.round(r.cost * 1e12),
    r.metadata ? JSON.stringify(r.metadata) : null,
  ];
}

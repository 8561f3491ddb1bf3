// Requests stored straight into the local gateway's store (as the log writer would), and GraphQL queries
// posted to its analytics endpoint.
import type { LocalGateway } from '../../src/local/server.js';
import { apiBase } from './local-gateway.js';

export interface SeedRequest {
  accountId?: string;
  gatewayId: string;
  createdMs: number;
  provider: string;
  model: string;
  cached?: boolean;
  success?: boolean;
  tokensIn?: number | null;
  tokensOut?: number | null;
  cost?: number | null;
  metadata?: Record<string, string | number | boolean> | null;
}

let seq = 0;

/** Inserts log rows (only the columns analytics reads, plus the required ones). */
export function insertLogs(gw: LocalGateway, requests: SeedRequest[]): void {
  const insert = gw.runtime.store.db.prepare(
    `INSERT INTO logs (id, account_id, gateway_id, created_at, created_ms, provider, model, path, success, cached,
      duration, tokens_in, tokens_out, cost, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, 'chat/completions', ?, ?, 1, ?, ?, ?, ?)`,
  );
  for (const r of requests) {
    insert.run(
      `seed-${++seq}`,
      r.accountId ?? 'acct',
      r.gatewayId,
      new Date(r.createdMs).toISOString(),
      r.createdMs,
      r.provider,
      r.model,
      r.success === false ? 0 : 1,
      r.cached ? 1 : 0,
      r.tokensIn ?? null,
      r.tokensOut ?? null,
      r.cost ?? null,
      r.metadata ? JSON.stringify(r.metadata) : null,
    );
  }
}

export interface GraphqlAnswer {
  status: number;
  body: {
    data: unknown;
    errors: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] | null;
  };
}

export async function postGraphql(
  gw: LocalGateway,
  payload: unknown,
  headers: Record<string, string> = { authorization: 'Bearer test-token' },
): Promise<GraphqlAnswer> {
  const response = await fetch(`${apiBase(gw)}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as GraphqlAnswer['body'] };
}

// Requests stored through the local gateway's log writer, at the times a test chooses, and GraphQL queries
// posted to its analytics endpoint.
import type { LocalGateway } from '../../src/local/server.js';
import { apiBase } from './local-gateway.js';
import { sampleRecord } from './log-records.js';

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

/** Hands the requests to the gateway's log writer, as the data plane does, and waits until they are stored. */
export function insertLogs(gw: LocalGateway, requests: SeedRequest[]): void {
  for (const r of requests) {
    const record = sampleRecord({
      accountId: r.accountId ?? 'acct',
      gatewayId: r.gatewayId,
      provider: r.provider,
      model: r.model,
      success: r.success !== false,
      cached: r.cached === true,
      tokensIn: r.tokensIn ?? null,
      tokensOut: r.tokensOut ?? null,
      cost: r.cost ?? null,
      metadata: r.metadata ?? null,
    });
    record.createdAt = new Date(r.createdMs);
    gw.runtime.logs.enqueue(record, {});
  }
  gw.runtime.logs.flush();
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

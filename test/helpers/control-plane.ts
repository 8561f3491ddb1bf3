// What the management API tests share: a local gateway with a Cloudflare SDK client whose every request and
// response is checked against the contract, the SDK's API errors caught for inspection, and the gateway
// settings the contract requires on create.
import Cloudflare from 'cloudflare';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { LocalGatewayOptions } from '../../src/local/runtime.js';
import type { LocalGateway } from '../../src/local/server.js';
import { apiBase, startTestGateway } from './local-gateway.js';
import { ContractRecorder, contractFetch } from './openapi.js';

export interface CheckedApi {
  gw: LocalGateway;
  recorder: ContractRecorder;
  cf: Cloudflare;
}

/** Starts a local gateway and an SDK client (bearer `apiToken`) that records every exchange in `recorder`. */
export async function startCheckedApi(
  options: Partial<LocalGatewayOptions> = {},
  apiToken = 'test-token',
): Promise<CheckedApi> {
  const gw = await startTestGateway(options);
  const recorder = new ContractRecorder();
  const cf = new Cloudflare({
    apiToken,
    baseURL: apiBase(gw),
    fetch: contractFetch(recorder),
    maxRetries: 0,
  });
  return { gw, recorder, cf };
}

/** The API error a call fails with; anything else it throws (or its success) fails the test. */
export async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof Cloudflare.APIError>> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Cloudflare.APIError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** The fields aig_GatewayCreateRequest and aig_GatewayUpdateRequest require. */
export const requiredGatewaySettings = {
  cache_ttl: 0,
  cache_invalidate_on_update: false,
  collect_logs: true,
  rate_limiting_interval: 0,
  rate_limiting_limit: 0,
};

/**
 * For a whole test file: a clock the tests move (`tick`), and a checked API on it, started before the tests,
 * closed after them, and checked for contract violations after each one.
 */
export function checkedApiForFile(start = '2026-03-01T12:00:00.000Z') {
  const file = {
    clock: Date.parse(start),
    tick: (ms = 1000) => {
      file.clock += ms;
    },
    api: null as CheckedApi | null,
  };
  beforeAll(async () => {
    file.api = await startCheckedApi({ now: () => new Date(file.clock) });
  });
  afterAll(() => file.api?.gw.close());
  afterEach(() => file.api?.recorder.assertClean());
  return file;
}

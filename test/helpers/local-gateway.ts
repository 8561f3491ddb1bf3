// Starts an in-memory local gateway on a free loopback port for one test file, alone or in front of a fake
// provider (dataPlaneFixture).

import Cloudflare from 'cloudflare';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { LocalGatewayOptions } from '../../src/local/runtime.js';
import { type LocalGateway, startLocalGateway } from '../../src/local/server.js';
import type { GatewaySettings } from '../../src/local/store/gateways.js';
import { ACCOUNT, createGateway, type FakeUpstream, startFakeUpstream } from './fake-upstream.js';
import { ContractRecorder, contractFetch } from './openapi.js';

export async function startTestGateway(options: Partial<LocalGatewayOptions> = {}): Promise<LocalGateway> {
  return startLocalGateway({ inMemory: true, port: 0, host: '127.0.0.1', ...options });
}

/** The management API base URL of a running local gateway, as the cloudflare SDK wants it. */
export function apiBase(gateway: LocalGateway): string {
  return `${gateway.url}/client/v4`;
}

export interface DataPlaneFixture {
  readonly fake: FakeUpstream;
  readonly gw: LocalGateway;
  /** The SDK on the gateway's management API, every exchange checked against the contract. */
  readonly cf: Cloudflare;
  /** `{gateway url}/v1/{account}/{gatewayId}/{rest}`: a data-plane URL. */
  url(gatewayId: string, rest: string): string;
}

/**
 * A fake provider and a local gateway sending to it, for one test file (or one describe): started before its
 * tests, closed after them. Before each test the fake forgets its requests and queued replies and answers
 * `fallback` again, so no test sees what an earlier one left behind.
 */
export function dataPlaneFixture(
  options: {
    /** Upstream overrides given the fake's URL; `{ openai: <fake>/v1 }` by default. */
    upstreams?: (fakeUrl: string) => Record<string, string>;
    /** Other options of the local gateway (a clock, an API token...). */
    gateway?: Partial<LocalGatewayOptions>;
    /** Gateways created in account ACCOUNT once the gateway runs (unauthenticated unless told). */
    gateways?: Record<string, Partial<GatewaySettings>>;
    /** What the fake answers when a test queued nothing; `{ json: { ok: true } }` by default. */
    fallback?: FakeUpstream['fallback'];
    /** More set-up once both run (custom providers, stored keys...). */
    setUp?: (fixture: DataPlaneFixture) => void | Promise<void>;
  } = {},
): DataPlaneFixture {
  let fake: FakeUpstream | undefined;
  let gw: LocalGateway | undefined;
  let cf: Cloudflare | undefined;
  const fixture: DataPlaneFixture = {
    get fake() {
      return fake!;
    },
    get gw() {
      return gw!;
    },
    get cf() {
      cf ??= new Cloudflare({
        apiToken: 'test-token',
        baseURL: apiBase(gw!),
        fetch: contractFetch(new ContractRecorder()),
        maxRetries: 0,
      });
      return cf;
    },
    url: (gatewayId, rest) => `${gw!.url}/v1/${ACCOUNT}/${gatewayId}/${rest}`,
  };
  beforeAll(async () => {
    fake = await startFakeUpstream();
    const upstreams = options.upstreams?.(fake.url) ?? { openai: `${fake.url}/v1` };
    gw = await startTestGateway({ upstreams, ...options.gateway });
    for (const [id, settings] of Object.entries(options.gateways ?? {})) createGateway(gw, id, settings);
    await options.setUp?.(fixture);
  });
  afterAll(async () => {
    await gw?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake!.clear();
    fake!.fallback = options.fallback ?? { json: { ok: true } };
  });
  return fixture;
}

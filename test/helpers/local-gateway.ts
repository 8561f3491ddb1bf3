// Starts an in-memory local gateway on a free loopback port for one test file.

import type { LocalGatewayOptions } from '../../src/local/runtime.js';
import { type LocalGateway, startLocalGateway } from '../../src/local/server.js';

export async function startTestGateway(options: Partial<LocalGatewayOptions> = {}): Promise<LocalGateway> {
  return startLocalGateway({ inMemory: true, port: 0, host: '127.0.0.1', ...options });
}

/** The management API base URL of a running local gateway, as the cloudflare SDK wants it. */
export function apiBase(gateway: LocalGateway): string {
  return `${gateway.url}/client/v4`;
}

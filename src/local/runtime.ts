// What the control plane and the data plane share: options (with the clock), the store, the gateway, custom
// provider, provider key and route repositories, and the log writer.
import type { CassetteOptions } from './cassettes/store.js';
import type { CustomProviderRepository } from './store/custom-providers.js';
import type { Store } from './store/db.js';
import type { GatewayRepository } from './store/gateways.js';
import type { LogStoreEvent } from './store/logs/outcomes.js';
import type { LogWriter } from './store/logs/writer.js';
import type { ProviderKeyRepository } from './store/provider-keys.js';
import type { RouteRepository } from './store/routes.js';

export interface LocalGatewayOptions {
  /** Interface to bind; 127.0.0.1 unless told otherwise. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where aigw.db lives (ignored with inMemory). */
  dataDir?: string;
  inMemory?: boolean;
  /** When set, the control plane requires `Authorization: Bearer <apiToken>` and authenticated gateways
   *  require `cf-aig-authorization: Bearer <apiToken>`. When unset, any bearer token is accepted. */
  apiToken?: string;
  /** The account id /accounts reports (data for any account id is kept apart, as on Cloudflare). */
  accountId: string;
  /** Upstream base URL overrides by provider slug, e.g. { openai: 'http://127.0.0.1:9001/v1' }. */
  upstreams: Record<string, string>;
  /** Answer every provider from the built-in mock upstream (true), or only the listed providers. */
  mock: boolean | string[];
  /** Request bodies larger than this get 413. */
  maxBodyBytes: number;
  /** Bytes of request bodies held across all requests; past it a request gets 503 with Retry-After. */
  maxBodyMemoryBytes: number;
  /** A full garbage collection, run once the bodies of a burst of large requests are let go (`aigw proxy`). */
  collectGarbage?: () => void;
  /** At shutdown, how long requests in flight have to finish before their connections are closed. */
  shutdownGraceMs: number;
  /** A client's request head must arrive within this, and the whole request within the next (408 past them). */
  clientHeadTimeoutMs: number;
  clientRequestTimeoutMs: number;
  /** Extra Host header names to accept besides loopback names (when bound to another interface). */
  allowedHosts: string[];
  /** Send CORS headers allowing this origin ('*' or an origin); none by default. */
  corsOrigin?: string;
  /** Log batching: flush after this many records or this many milliseconds, whichever comes first. */
  logBatchSize: number;
  logFlushMs: number;
  /** Bytes of logs kept in memory while writes to the store fail (retried until they work); past it the
   *  oldest are dropped and counted. */
  maxLogMemoryBytes: number;
  /** Told when log writes start failing, recover, or drop records (`aigw proxy` says so on stderr). */
  onLogStore?: (event: LogStoreEvent) => void;
  /** The clock: log times, rate-limit windows, cache lifetimes, created and modified times. */
  now: () => Date;
  /** Record upstream exchanges to a directory, or answer them from it (`--record`, `--replay`). */
  cassettes?: CassetteOptions;
  /** Draws in [0, 1) for dynamic routes' percentage splits (Math.random unless a test seeds one). */
  random?: () => number;
  /** Told about every answered data-plane request once it is done (`aigw proxy` prints access lines). */
  onAccess?: (entry: AccessEntry) => void;
  /** How the CLI is run here, for commands the gateway's answers suggest; `aigw` with `--local` going to the
   *  default address when not set. */
  cli?: CliRun;
}

/** A way to run the aigw CLI (`aigw`, `npx aigw`...) and the API base its `--local` reaches. */
export interface CliRun {
  command: string;
  localGoesTo: string;
}

/** One answered data-plane request; a log record is one (no copy is made for the hook). */
export interface AccessEntry {
  /** The log id; null when the request was refused before a gateway was found or let in. */
  id: string | null;
  accountId: string;
  gatewayId: string;
  createdAt: Date;
  provider: string;
  model: string;
  statusCode: number | null;
  cached: boolean;
  /** Milliseconds from the request to the end of the answer. */
  duration: number;
  cost: number | null;
}

export const defaultLocalGatewayOptions: LocalGatewayOptions = {
  host: '127.0.0.1',
  port: 8787,
  accountId: 'local',
  upstreams: {},
  mock: false,
  maxBodyBytes: 25 * 1024 * 1024,
  maxBodyMemoryBytes: 256 * 1024 * 1024,
  shutdownGraceMs: 10_000,
  clientHeadTimeoutMs: 60_000,
  clientRequestTimeoutMs: 300_000,
  allowedHosts: [],
  logBatchSize: 64,
  logFlushMs: 50,
  maxLogMemoryBytes: 64 * 1024 * 1024,
  now: () => new Date(),
};

/** The runtime's stores, which the log writer and the response cache are built on. */
export interface StoreRuntime {
  options: LocalGatewayOptions;
  store: Store;
  gateways: GatewayRepository;
  customProviders: CustomProviderRepository;
}

export interface Runtime extends StoreRuntime {
  routes: RouteRepository;
  /** Log records are queued here and written in batches; flush() writes what is pending now. */
  logs: LogWriter;
  providerKeys: ProviderKeyRepository;
}

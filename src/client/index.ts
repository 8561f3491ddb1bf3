// The one typed client every management command uses, local or remote alike. It wraps the official
// `cloudflare` SDK (tree-shakable entry, so only the AI Gateway and accounts resources load), logs
// HTTP traffic for --debug with credentials redacted, and turns SDK errors into aigw's typed errors.

import { Accounts } from 'cloudflare/resources/accounts/accounts';
import { AIGateway } from 'cloudflare/resources/ai-gateway/ai-gateway';
import { createClient } from 'cloudflare/tree-shakable';
import { CLOUDFLARE_API, type Credential, type Target } from '../config/target.js';
import { AnalyticsApi } from './analytics.js';
import { CustomProvidersApi } from './custom-providers.js';
import { DatasetsApi, EvaluationsApi } from './datasets.js';
import { redactUrl, translateError } from './errors.js';
import { GatewaysApi } from './gateways.js';
import { LogsApi } from './logs.js';
import { describeChain } from './network.js';
import { allItems } from './pagination.js';
import { ProviderKeysApi } from './provider-keys.js';
import { RoutesApi } from './routes.js';

export type Sdk = ReturnType<typeof makeSdk>;

const CLOUDFLARE_GATEWAY = 'https://gateway.ai.cloudflare.com/v1';

function dataPlaneBase(apiBase: string): string {
  if (new URL(apiBase).host === new URL(CLOUDFLARE_API).host) return CLOUDFLARE_GATEWAY;
  return `${apiBase.replace(/\/client\/v4$/, '')}/v1`;
}

export interface ClientOptions {
  /** Called with one line per HTTP request and response when --debug is on. */
  debug?: (line: string) => void;
  /** Replaces global fetch (tests validate traffic against the contract this way). */
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxRetries?: number;
  /** How the user runs aigw (`aigw`, `npx aigw`...), for the commands error hints name; asked for only when
   *  an error needs it (finding out reads the file system). Default `aigw`. */
  command?: () => string;
}

export interface Account {
  id: string;
  name: string;
}

/** What fetch last threw: the SDK's timeout error drops it, and it is what says why (ETIMEDOUT...). */
interface Failures {
  last?: unknown;
}

/** The fetch every request goes through: the injected one, tracing method, URL and status for --debug (never
 *  headers or bodies, so neither API tokens nor provider keys can show) and keeping what it last threw. */
function tracedFetch(options: ClientOptions, failures: Failures): typeof fetch {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const debug = options.debug;
  return async (input, init) => {
    const method = init?.method ?? 'GET';
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    debug?.(`→ ${method} ${redactUrl(url)}`);
    const started = performance.now();
    try {
      const response = await baseFetch(input, init);
      const ms = (performance.now() - started).toFixed(0);
      const ray = response.headers.get('cf-ray');
      debug?.(`← ${response.status} ${method} ${redactUrl(url)} (${ms} ms${ray ? `, cf-ray ${ray}` : ''})`);
      return response;
    } catch (err) {
      failures.last = err;
      debug?.(`✗ ${method} ${redactUrl(url)}: ${describeChain(err)}`);
      throw err;
    }
  };
}

function makeSdk(target: Target, options: ClientOptions, fetch: typeof globalThis.fetch) {
  return createClient({
    ...credentialOptions(target.credential),
    baseURL: target.baseURL,
    fetch,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 60_000,
    defaultHeaders: { 'user-agent': 'aigw' },
    logLevel: 'off',
    resources: [AIGateway, Accounts],
  });
}

/** Passes exactly the resolved credential, so the SDK never picks up other ones from the environment. */
function credentialOptions(credential: Credential) {
  return credential.kind === 'token'
    ? { apiToken: credential.token, apiKey: null, apiEmail: null, userServiceKey: null }
    : { apiToken: null, apiKey: credential.key, apiEmail: credential.email, userServiceKey: null };
}

export class AigwClient {
  readonly sdk: Sdk;
  /** The traced fetch, for requests the SDK does not make (the gateway's data plane). */
  readonly fetch: typeof fetch;
  readonly gateways: GatewaysApi;
  readonly logs: LogsApi;
  readonly datasets: DatasetsApi;
  readonly evaluations: EvaluationsApi;
  readonly providerKeys: ProviderKeysApi;
  readonly customProviders: CustomProvidersApi;
  readonly routes: RoutesApi;
  private readonly failures: Failures = {};
  private readonly command: () => string;
  readonly analytics: AnalyticsApi;

  constructor(
    readonly target: Target,
    options: ClientOptions = {},
  ) {
    options.debug?.(
      `API ${redactUrl(target.baseURL)} (profile ${target.profile}, credentials from ${target.credential.source})`,
    );
    this.command = options.command ?? (() => 'aigw');
    this.fetch = tracedFetch(options, this.failures);
    this.sdk = makeSdk(target, options, this.fetch);
    this.gateways = new GatewaysApi(this);
    this.analytics = new AnalyticsApi(this);
    this.logs = new LogsApi(this);
    this.datasets = new DatasetsApi(this);
    this.evaluations = new EvaluationsApi(this);
    this.providerKeys = new ProviderKeysApi(this);
    this.customProviders = new CustomProvidersApi(this);
    this.routes = new RoutesApi(this);
  }

  /** Where a gateway's data plane answers for this target: Cloudflare's gateway host, or the same server
   *  as the API for any other base URL (the local gateway serves both). */
  dataPlaneUrl(accountId: string, gatewayId: string): string {
    return `${dataPlaneBase(this.target.baseURL)}/${encodeURIComponent(accountId)}/${encodeURIComponent(gatewayId)}`;
  }

  /** Runs one SDK call, translating its errors. */
  async call<T>(what: () => Promise<T>): Promise<T> {
    try {
      return await what();
    } catch (err) {
      throw translateError(err, this.target, this.command, this.failures.last);
    }
  }

  async verifyToken(): Promise<{ id: string; status: string }> {
    return this.call(async () => {
      const body = (await this.sdk.get('/user/tokens/verify')) as { result: { id: string; status: string } };
      return body.result;
    });
  }

  async accounts(): Promise<Account[]> {
    return this.call(async () => {
      const accounts = await allItems(this.sdk.accounts.list({ per_page: 50 }), 50);
      return accounts.map((account) => ({ id: account.id, name: account.name }));
    });
  }
}

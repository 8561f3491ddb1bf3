// The one typed client every management command uses, local or remote alike. It wraps the official
// `cloudflare` SDK (tree-shakable entry, so only the AI Gateway and accounts resources load), logs
// HTTP traffic for --debug with credentials redacted, and turns SDK errors into aigw's typed errors.

import { Accounts } from 'cloudflare/resources/accounts/accounts';
import { AIGateway } from 'cloudflare/resources/ai-gateway/ai-gateway';
import { createClient } from 'cloudflare/tree-shakable';
import type { Credential, Target } from '../config/target.js';
import { redactUrl, translateError } from './errors.js';
import { GatewaysApi } from './gateways.js';
import { describeChain } from './network.js';
import { allItems } from './pagination.js';

export type Sdk = ReturnType<typeof makeSdk>;

export interface ClientOptions {
  /** Called with one line per HTTP request and response when --debug is on. */
  debug?: (line: string) => void;
  /** Replaces global fetch (tests validate traffic against the contract this way). */
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface Account {
  id: string;
  name: string;
}

/** What fetch last threw: the SDK's timeout error drops it, and it is what says why (ETIMEDOUT...). */
interface Failures {
  last?: unknown;
}

function makeSdk(target: Target, options: ClientOptions, failures: Failures) {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const debug = options.debug;
  const tracedFetch: typeof fetch = async (input, init) => {
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
  return createClient({
    ...credentialOptions(target.credential),
    baseURL: target.baseURL,
    fetch: tracedFetch,
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
  readonly gateways: GatewaysApi;
  private readonly failures: Failures = {};

  constructor(
    readonly target: Target,
    options: ClientOptions = {},
  ) {
    options.debug?.(
      `API ${redactUrl(target.baseURL)} (profile ${target.profile}, credentials from ${target.credential.source})`,
    );
    this.sdk = makeSdk(target, options, this.failures);
    this.gateways = new GatewaysApi(this);
  }

  /** Runs one SDK call, translating its errors. */
  async call<T>(what: () => Promise<T>): Promise<T> {
    try {
      return await what();
    } catch (err) {
      throw translateError(err, this.target, this.failures.last);
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

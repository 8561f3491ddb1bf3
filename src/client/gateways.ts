// Gateways through the SDK: list (all pages), get, create, replace (PUT: the whole object), delete, url.
// Changing some fields is a read, a merge and a replace: `aigw gateway update` does that merge.
import type {
  AIGatewayCreateParams,
  AIGatewayGetResponse,
  AIGatewayUpdateParams,
} from 'cloudflare/resources/ai-gateway/ai-gateway';
import type { AigwClient } from './index.js';
import { allItems } from './pagination.js';

export type Gateway = AIGatewayGetResponse;
/** Every settable gateway field (the create body without account_id). */
export type GatewayFields = Omit<AIGatewayCreateParams, 'account_id'>;
export type GatewaySettings = Omit<AIGatewayUpdateParams, 'account_id'>;

/** Fields the API returns but never accepts. */
const readOnlyFields = [
  'id',
  'created_at',
  'modified_at',
  'is_default',
  'account_id',
  'account_tag',
  'internal_id',
];

export class GatewaysApi {
  constructor(private readonly client: AigwClient) {}

  async list(accountId: string, options: { search?: string } = {}): Promise<Gateway[]> {
    return this.client.call(async () => {
      const params = {
        account_id: accountId,
        per_page: 100,
        ...(options.search ? { search: options.search } : {}),
      };
      return (await allItems(this.client.sdk.aiGateway.list(params), 100)) as Gateway[];
    });
  }

  async get(accountId: string, id: string): Promise<Gateway> {
    return this.client.call(
      () => this.client.sdk.aiGateway.get(id, { account_id: accountId }) as Promise<Gateway>,
    );
  }

  async create(accountId: string, fields: GatewayFields): Promise<Gateway> {
    return this.client.call(
      () => this.client.sdk.aiGateway.create({ ...fields, account_id: accountId }) as Promise<Gateway>,
    );
  }

  /** Replaces the whole gateway (the API's PUT semantics). */
  async replace(accountId: string, id: string, settings: GatewaySettings): Promise<Gateway> {
    return this.client.call(
      () => this.client.sdk.aiGateway.update(id, { ...settings, account_id: accountId }) as Promise<Gateway>,
    );
  }

  async delete(accountId: string, id: string): Promise<Gateway> {
    return this.client.call(
      () => this.client.sdk.aiGateway.delete(id, { account_id: accountId }) as unknown as Promise<Gateway>,
    );
  }

  async url(accountId: string, id: string, provider: string): Promise<string> {
    return this.client.call(
      () =>
        this.client.sdk.aiGateway.urls.get(provider, {
          account_id: accountId,
          gateway_id: id,
        }) as Promise<string>,
    );
  }
}

/** A gateway as returned, minus the read-only fields: what a PUT takes. */
export function settingsOf(gateway: Gateway): GatewaySettings {
  const copy: Record<string, unknown> = { ...gateway };
  for (const field of readOnlyFields) delete copy[field];
  return copy as GatewaySettings;
}

// A gateway's provider keys (BYOK, the API's provider_configs): list and create through the SDK; get, rotate
// (PUT) and delete, which the SDK lacks, through its raw methods: the same credentials, --debug trace and error
// translation. The trace never shows bodies, so a secret sent here never reaches it; answers carry only a preview.
import type {
  ProviderConfigCreateParams,
  ProviderConfigListResponse,
} from 'cloudflare/resources/ai-gateway/provider-configs';
import type { AigwClient } from './index.js';
import { allItems } from './pagination.js';

export type ProviderKey = ProviderConfigListResponse;
/** What a new key is made of (the create body without account_id). */
export type ProviderKeyFields = Omit<ProviderConfigCreateParams, 'account_id'>;

export class ProviderKeysApi {
  constructor(private readonly client: AigwClient) {}

  async list(accountId: string, gatewayId: string): Promise<ProviderKey[]> {
    return this.client.call(() =>
      allItems(
        this.client.sdk.aiGateway.providerConfigs.list(gatewayId, { account_id: accountId, per_page: 100 }),
        100,
      ),
    );
  }

  async create(accountId: string, gatewayId: string, fields: ProviderKeyFields): Promise<ProviderKey> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.providerConfigs.create(gatewayId, { ...fields, account_id: accountId }),
    );
  }

  async get(accountId: string, gatewayId: string, id: string): Promise<ProviderKey> {
    return this.client.call(async () => {
      const body = (await this.client.sdk.get(keyPath(accountId, gatewayId, id))) as { result: ProviderKey };
      return body.result;
    });
  }

  /** Replaces the key's secret (the only thing a key's PUT changes). */
  async rotate(accountId: string, gatewayId: string, id: string, secret: string): Promise<ProviderKey> {
    return this.client.call(async () => {
      const body = (await this.client.sdk.put(keyPath(accountId, gatewayId, id), { body: { secret } })) as {
        result: ProviderKey;
      };
      return body.result;
    });
  }

  async delete(accountId: string, gatewayId: string, id: string): Promise<ProviderKey> {
    return this.client.call(async () => {
      const body = (await this.client.sdk.delete(keyPath(accountId, gatewayId, id))) as {
        result: ProviderKey;
      };
      return body.result;
    });
  }
}

function keyPath(accountId: string, gatewayId: string, id: string): string {
  const gateway = `/accounts/${encodeURIComponent(accountId)}/ai-gateway/gateways/${encodeURIComponent(gatewayId)}`;
  return `${gateway}/provider_configs/${encodeURIComponent(id)}`;
}

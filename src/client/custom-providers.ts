// Account-level custom providers (`custom-{slug}` on the data plane) and their pricing rules. List, get, create
// and delete providers through the SDK; update (PATCH) and every pricing-rule call, which the SDK lacks, through
// its raw methods: the same credentials, --debug trace and error translation. Header values are credentials:
// the API answers them masked, and the trace never shows bodies.
import type {
  CustomProviderCreateParams,
  CustomProviderListResponse,
} from 'cloudflare/resources/ai-gateway/custom-providers';
import type { AigwClient } from './index.js';
import { allItems } from './pagination.js';

export type CustomProvider = CustomProviderListResponse;
export type CustomProviderFields = Omit<CustomProviderCreateParams, 'account_id'>;

/** A pricing rule as the API returns it (`token_pricing` is a JSON string in answers). */
export interface PricingRule {
  id: string;
  account_provider_id: string;
  model: string;
  model_rule?: 'equals' | 'starts-with' | 'contains';
  cost_type?: string;
  cost_in?: number;
  cost_out?: number;
  enable?: boolean;
  token_pricing?: string;
  changed_by?: string;
  created_at: string;
  modified_at: string;
}

export interface PricingRuleFields {
  model?: string;
  model_rule?: 'equals' | 'starts-with' | 'contains';
  cost_in?: number;
  cost_out?: number;
  enable?: boolean;
}

/** The names of a provider's headers (its `headers` is a JSON object string). */
export function headerNames(provider: Pick<CustomProvider, 'headers'>): string[] {
  if (!provider.headers) return [];
  try {
    const parsed = JSON.parse(provider.headers) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}

const PER_PAGE = 100;

export class CustomProvidersApi {
  constructor(private readonly client: AigwClient) {}

  async list(accountId: string, search?: string): Promise<CustomProvider[]> {
    return this.client.call(() =>
      allItems(
        this.client.sdk.aiGateway.customProviders.list({
          account_id: accountId,
          per_page: PER_PAGE,
          ...(search ? { search } : {}),
        }),
        PER_PAGE,
      ),
    );
  }

  async get(accountId: string, id: string): Promise<CustomProvider> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.customProviders.get(id, { account_id: accountId }),
    );
  }

  async create(accountId: string, fields: CustomProviderFields): Promise<CustomProvider> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.customProviders.create({ ...fields, account_id: accountId }),
    );
  }

  /** Changes only the fields given. */
  async update(
    accountId: string,
    id: string,
    changes: Partial<CustomProviderFields>,
  ): Promise<CustomProvider> {
    return this.client.call(async () => {
      const body = (await this.client.sdk.patch(`${providersPath(accountId)}/${encodeURIComponent(id)}`, {
        body: changes,
      })) as { result: CustomProvider };
      return body.result;
    });
  }

  async delete(accountId: string, id: string): Promise<CustomProvider> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.customProviders.delete(id, { account_id: accountId }),
    );
  }

  /** Every pricing rule of the account, or of one provider. */
  async rules(accountId: string, providerId?: string): Promise<PricingRule[]> {
    return this.client.call(async () => {
      const rules: PricingRule[] = [];
      for (let page = 1; ; page++) {
        const body = (await this.client.sdk.get(costsPath(accountId), {
          query: { page, per_page: PER_PAGE, ...(providerId ? { account_provider_id: providerId } : {}) },
        })) as { result?: PricingRule[]; result_info?: { total_count?: number } };
        const items = body.result ?? [];
        rules.push(...items);
        const total = body.result_info?.total_count;
        if (items.length < PER_PAGE || (total !== undefined && rules.length >= total)) return rules;
      }
    });
  }

  async addRule(accountId: string, providerId: string, fields: PricingRuleFields): Promise<PricingRule> {
    return this.client.call(async () => {
      const body = (await this.client.sdk.post(costsPath(accountId), {
        body: { account_provider_id: providerId, ...fields },
      })) as { result: PricingRule };
      return body.result;
    });
  }

  async updateRule(accountId: string, id: string, changes: PricingRuleFields): Promise<PricingRule> {
    return this.client.call(async () => {
      const body = (await this.client.sdk.patch(`${costsPath(accountId)}/${encodeURIComponent(id)}`, {
        body: changes,
      })) as { result: PricingRule };
      return body.result;
    });
  }

  async removeRule(accountId: string, id: string): Promise<PricingRule> {
    return this.client.call(async () => {
      const body = (await this.client.sdk.delete(`${costsPath(accountId)}/${encodeURIComponent(id)}`)) as {
        result: PricingRule;
      };
      return body.result;
    });
  }
}

function providersPath(accountId: string): string {
  return `/accounts/${encodeURIComponent(accountId)}/ai-gateway/custom-providers`;
}

function costsPath(accountId: string): string {
  return `${providersPath(accountId)}/costs`;
}

// Datasets and evaluations through the SDK (all of it has the calls): a gateway's datasets (list, get, create,
// replace, delete), its evaluations (list, get, create, delete) and the account's evaluation types. Cloudflare
// has deprecated them; accounts that have them, and the local gateway, still serve them.
import type { DatasetGetResponse, DatasetListParams } from 'cloudflare/resources/ai-gateway/datasets';
import type { EvaluationTypeListResponse } from 'cloudflare/resources/ai-gateway/evaluation-types';
import type {
  EvaluationGetResponse,
  EvaluationListParams,
} from 'cloudflare/resources/ai-gateway/evaluations';
import type { DatasetFilter } from '../log-filters.js';
import type { AigwClient } from './index.js';
import { allItems } from './pagination.js';

export type Dataset = DatasetGetResponse;
export type Evaluation = EvaluationGetResponse;
export type EvaluationType = EvaluationTypeListResponse;

export interface DatasetFields {
  name: string;
  enable: boolean;
  filters: DatasetFilter[];
}

export class DatasetsApi {
  constructor(private readonly client: AigwClient) {}

  async list(
    accountId: string,
    gatewayId: string,
    query: Pick<DatasetListParams, 'name' | 'enable' | 'search'> = {},
  ): Promise<Dataset[]> {
    return this.client.call(() =>
      allItems(
        this.client.sdk.aiGateway.datasets.list(gatewayId, {
          account_id: accountId,
          per_page: 100,
          ...query,
        }),
        100,
      ),
    );
  }

  async get(accountId: string, gatewayId: string, id: string): Promise<Dataset> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.datasets.get(id, { account_id: accountId, gateway_id: gatewayId }),
    );
  }

  async create(accountId: string, gatewayId: string, fields: DatasetFields): Promise<Dataset> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.datasets.create(gatewayId, { account_id: accountId, ...fields }),
    );
  }

  /** Replaces name, enable and filters (the API's PUT). */
  async replace(accountId: string, gatewayId: string, id: string, fields: DatasetFields): Promise<Dataset> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.datasets.update(id, {
        account_id: accountId,
        gateway_id: gatewayId,
        ...fields,
      }),
    );
  }

  async delete(accountId: string, gatewayId: string, id: string): Promise<Dataset> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.datasets.delete(id, { account_id: accountId, gateway_id: gatewayId }),
    );
  }
}

export class EvaluationsApi {
  constructor(private readonly client: AigwClient) {}

  async list(
    accountId: string,
    gatewayId: string,
    query: Pick<EvaluationListParams, 'name' | 'processed' | 'search'> = {},
  ): Promise<Evaluation[]> {
    return this.client.call(() =>
      allItems(
        this.client.sdk.aiGateway.evaluations.list(gatewayId, {
          account_id: accountId,
          per_page: 100,
          ...query,
        }),
        100,
      ),
    );
  }

  async get(accountId: string, gatewayId: string, id: string): Promise<Evaluation> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.evaluations.get(id, { account_id: accountId, gateway_id: gatewayId }),
    );
  }

  async create(
    accountId: string,
    gatewayId: string,
    fields: { name: string; datasetIds: string[]; typeIds: string[] },
  ): Promise<Evaluation> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.evaluations.create(gatewayId, {
        account_id: accountId,
        name: fields.name,
        dataset_ids: fields.datasetIds,
        evaluation_type_ids: fields.typeIds,
      }),
    );
  }

  async delete(accountId: string, gatewayId: string, id: string): Promise<Evaluation> {
    return this.client.call(() =>
      this.client.sdk.aiGateway.evaluations.delete(id, { account_id: accountId, gateway_id: gatewayId }),
    );
  }

  /** The account's evaluation types (every page; the API's pages hold at most 50). */
  async types(accountId: string): Promise<EvaluationType[]> {
    return this.client.call(() =>
      allItems(this.client.sdk.aiGateway.evaluationTypes.list({ account_id: accountId, per_page: 50 }), 50),
    );
  }
}

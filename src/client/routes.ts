// A gateway's dynamic routes through the SDK (aiGateway.dynamicRouting): routes, their versions and deployments.
// The lists answer a `data` envelope ({routes|versions|deployments, page, per_page}), read page by page here.
import type { Element } from '../flow/elements.js';
import type { AigwClient } from './index.js';

export interface RouteVersionInfo {
  version_id: string;
  data: string;
  active: 'true' | 'false';
  is_valid?: boolean;
  created_at: string;
}

export interface RouteDeploymentInfo {
  deployment_id: string;
  version_id: string;
  created_at: string;
}

export interface DynamicRoute {
  id: string;
  name: string;
  gateway_id: string;
  elements: Element[];
  created_at: string;
  modified_at: string;
  version?: RouteVersionInfo;
  deployment?: RouteDeploymentInfo;
}

const PER_PAGE = 50;

export class RoutesApi {
  constructor(private readonly client: AigwClient) {}

  // The SDK's element types predate what flows may say (`technique`); flows are checked before they are sent.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  private get sdk(): any {
    return this.client.sdk.aiGateway.dynamicRouting;
  }

  list(accountId: string, gatewayId: string): Promise<DynamicRoute[]> {
    return this.pages('routes', (page) =>
      this.sdk.list(gatewayId, { account_id: accountId, page, per_page: PER_PAGE }),
    );
  }

  get(accountId: string, gatewayId: string, id: string): Promise<DynamicRoute> {
    return this.client.call(() => this.sdk.get(id, { account_id: accountId, gateway_id: gatewayId }));
  }

  create(accountId: string, gatewayId: string, name: string, elements: Element[]): Promise<DynamicRoute> {
    return this.client.call(() => this.sdk.create(gatewayId, { account_id: accountId, name, elements }));
  }

  async rename(accountId: string, gatewayId: string, id: string, name: string): Promise<DynamicRoute> {
    const body = await this.client.call(() =>
      this.sdk.update(id, { account_id: accountId, gateway_id: gatewayId, name }),
    );
    return (body as { route: DynamicRoute }).route;
  }

  delete(accountId: string, gatewayId: string, id: string): Promise<DynamicRoute> {
    return this.client.call(() => this.sdk.delete(id, { account_id: accountId, gateway_id: gatewayId }));
  }

  /** Versions, newest first (the contract gives this list no paging parameters). */
  async versions(accountId: string, gatewayId: string, id: string): Promise<RouteVersionInfo[]> {
    const body = await this.client.call(() =>
      this.sdk.listVersions(id, { account_id: accountId, gateway_id: gatewayId }),
    );
    return (body as { data: { versions: RouteVersionInfo[] } }).data.versions;
  }

  addVersion(accountId: string, gatewayId: string, id: string, elements: Element[]): Promise<DynamicRoute> {
    return this.client.call(() =>
      this.sdk.createVersion(id, { account_id: accountId, gateway_id: gatewayId, elements }),
    );
  }

  /** Deployments, newest first (the one that runs first), whichever order the API says it answers in. */
  async deployments(accountId: string, gatewayId: string, id: string): Promise<RouteDeploymentInfo[]> {
    const body = await this.client.call(() =>
      this.sdk.listDeployments(id, { account_id: accountId, gateway_id: gatewayId }),
    );
    const data = (body as { data: { deployments: RouteDeploymentInfo[]; order_by_direction?: string } }).data;
    const list = [...data.deployments];
    return data.order_by_direction?.toLowerCase() === 'asc' ? list.reverse() : list;
  }

  deploy(accountId: string, gatewayId: string, id: string, versionId: string): Promise<DynamicRoute> {
    return this.client.call(() =>
      this.sdk.createDeployment(id, { account_id: accountId, gateway_id: gatewayId, version_id: versionId }),
    );
  }

  /** Every item of a `data` list, a page at a time until a short page. */
  private async pages<T>(
    key: string,
    fetchPage: (page: number) => Promise<{ data: Record<string, unknown> }>,
  ) {
    const items: T[] = [];
    for (let page = 1; ; page++) {
      const body = await this.client.call(() => fetchPage(page));
      const got = (body.data?.[key] ?? []) as T[];
      items.push(...got);
      if (got.length < PER_PAGE) return items;
    }
  }
}

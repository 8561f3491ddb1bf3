// Carrying out an apply plan, in an order that works: custom providers, then gateways created and updated, then
// their provider keys, then their routes (which may name those providers); deletions of gateways, then of custom
// providers, last of all. A failure says how
// many changes were made before it. Secrets travel only in request bodies, and every error is masked of them.
import type { CustomProvider, CustomProviderFields } from '../../client/custom-providers.js';
import type { GatewayFields, GatewaySettings } from '../../client/gateways.js';
import type { AigwClient } from '../../client/index.js';
import type { ProviderKey, ProviderKeyFields } from '../../client/provider-keys.js';
import { AigwError } from '../../errors.js';
import { createDefaults } from '../../gateway-defaults.js';
import { sendingSecrets } from '../args/secret.js';
import type { DesiredKey, KeyPlanItem } from './key-plan.js';
import type { PlanItem } from './plan.js';
import type { DesiredProvider, ProviderPlanItem } from './provider-plan.js';
import type { RoutePlanItem } from './route-plan.js';
import type { SecretDigests } from './secret-digests.js';

export interface ApplyTarget {
  accountId: string;
  client: AigwClient;
  digests: SecretDigests;
}

/** A key the file names, with the secret its reference points at (never part of a plan item). */
export interface KeyWanted {
  desired: DesiredKey;
  secret: string;
  /** The gateway's key of that provider and alias, when there is one. */
  current?: ProviderKey;
}

/** A custom provider the file names, with its headers as the API takes them (values read from their references). */
export interface ProviderWanted {
  desired: DesiredProvider;
  /** The headers' JSON object, when the file names headers. */
  headers?: string;
  /** The header values, for masking errors. */
  secrets: string[];
  current?: CustomProvider;
}

export interface ApplyPlan {
  providers: ProviderPlanItem[];
  providersWanted: Map<ProviderPlanItem, ProviderWanted>;
  gateways: PlanItem[];
  /** The gateways as they are, by id, for updates (the API replaces a gateway's settings as a whole). */
  existing: Map<string, GatewaySettings>;
  keys: KeyPlanItem[];
  wanted: Map<KeyPlanItem, KeyWanted>;
  routes: RoutePlanItem[];
  changes: number;
}

/** Where a key's digest is recorded: the account, gateway and key it belongs to. */
export const keyRecord = (accountId: string, gateway: string, keyId: string) =>
  `${accountId}/${gateway}/keys/${keyId}`;

/** Where a custom provider's headers digest is recorded. */
export const providerRecord = (accountId: string, providerId: string) =>
  `${accountId}/providers/${providerId}`;

export async function carryOut(target: ApplyTarget, plan: ApplyPlan): Promise<void> {
  let done = 0;
  const step = async (what: string, action: string, run: () => Promise<unknown>) => {
    try {
      await run();
      if (action !== 'unchanged') done++;
    } catch (err) {
      if (err instanceof AigwError) {
        err.message = `Applied ${done} of ${plan.changes} changes, then could not ${action} ${what}: ${err.message}`;
      }
      throw err;
    }
  };
  const { gateways, providers } = plan;
  for (const item of providers.filter((p) => p.action !== 'delete')) {
    await step(`custom provider ${item.slug}`, item.action, () =>
      applyProvider(target, item, plan.providersWanted.get(item)!),
    );
  }
  for (const item of gateways.filter((g) => g.action === 'create' || g.action === 'update')) {
    await step(`gateway ${item.id}`, item.action, () => applyGateway(target, plan, item));
  }
  for (const item of plan.keys) {
    const name = `key ${item.gateway}/${item.provider}/${item.alias}`;
    await step(name, item.action, () => applyKey(target, item, plan.wanted.get(item)));
  }
  for (const item of plan.routes) {
    await step(`route ${item.gateway}/${item.route}`, item.action, () => applyRoute(target, item));
  }
  for (const item of gateways.filter((g) => g.action === 'delete')) {
    await step(`gateway ${item.id}`, item.action, () =>
      target.client.gateways.delete(target.accountId, item.id),
    );
  }
  for (const item of providers.filter((p) => p.action === 'delete')) {
    await step(`custom provider ${item.slug}`, item.action, async () => {
      await target.client.customProviders.delete(target.accountId, item.id!);
      target.digests.forget(providerRecord(target.accountId, item.id!));
    });
  }
}

/** One custom provider change; the digest of its headers is recorded whenever the file names them. */
async function applyProvider(
  target: ApplyTarget,
  item: ProviderPlanItem,
  wanted: ProviderWanted,
): Promise<void> {
  const { client, accountId, digests } = target;
  const { desired, headers, secrets, current } = wanted;
  let provider = current;
  if (item.action === 'create') {
    const fields: CustomProviderFields = {
      name: desired.slug,
      ...desired.fields,
      slug: desired.slug,
      base_url: desired.fields.base_url!,
      ...(headers === undefined ? {} : { headers }),
    };
    provider = await sendingSecrets(secrets, () => client.customProviders.create(accountId, fields));
  } else if (item.action === 'update' || item.action === 'rotate') {
    // The API keeps a provider's headers as one value: new values are sent as a whole.
    const changes = {
      ...(item.action === 'update' ? desired.fields : {}),
      ...(headers === undefined ? {} : { headers }),
    };
    provider = await sendingSecrets(secrets, () =>
      client.customProviders.update(accountId, item.id!, changes),
    );
  }
  if (headers !== undefined && provider) {
    digests.remember(providerRecord(accountId, provider.id), headers, provider.modified_at);
  }
}

async function applyGateway(target: ApplyTarget, plan: ApplyPlan, item: PlanItem): Promise<void> {
  const { client, accountId } = target;
  const fields = Object.fromEntries(item.changes.map((c) => [c.field, c.to]));
  if (item.action === 'create') {
    await client.gateways.create(accountId, { ...createDefaults, ...fields, id: item.id } as GatewayFields);
  } else {
    const current = plan.existing.get(item.id)!;
    await client.gateways.replace(accountId, item.id, { ...current, ...fields } as GatewaySettings);
  }
}

/** One key change; an unchanged key only has its secret's digest recorded (see secret-digests.ts). */
async function applyKey(
  target: ApplyTarget,
  item: KeyPlanItem,
  wanted: KeyWanted | undefined,
): Promise<void> {
  const { client, accountId, digests } = target;
  const record = (id: string) => keyRecord(accountId, item.gateway, id);
  if (item.action === 'delete') {
    await client.providerKeys.delete(accountId, item.gateway, item.id!);
    digests.forget(record(item.id!));
    return;
  }
  const { desired, secret, current } = wanted!;
  if (item.action === 'unchanged') {
    digests.remember(record(current!.id), secret, current!.modified_at);
    return;
  }
  let key: ProviderKey;
  if (item.action === 'rotate') {
    key = await sendingSecrets([secret], () =>
      client.providerKeys.rotate(accountId, item.gateway, item.id!, secret),
    );
  } else {
    // The API changes nothing of a key but its secret: a key whose settings changed is replaced.
    if (item.action === 'update') {
      await client.providerKeys.delete(accountId, item.gateway, item.id!);
      digests.forget(record(item.id!));
    }
    const fields: ProviderKeyFields = {
      provider_slug: desired.provider,
      alias: desired.alias,
      default_config: desired.default ?? desired.alias === 'default',
      ...(desired.rate && desired.rate.limit > 0
        ? { rate_limit: desired.rate.limit, rate_limit_period: desired.rate.interval }
        : {}),
      secret,
    };
    key = await sendingSecrets([secret], () => client.providerKeys.create(accountId, item.gateway, fields));
  }
  digests.remember(record(key.id), secret, key.modified_at);
}

/** One route change: create (deploys), a new version deployed, or a delete. */
async function applyRoute(target: ApplyTarget, item: RoutePlanItem): Promise<void> {
  const { routes } = target.client;
  const { accountId } = target;
  if (item.action === 'create') await routes.create(accountId, item.gateway, item.route, item.elements!);
  else if (item.action === 'delete') await routes.delete(accountId, item.gateway, item.id!);
  else if (item.action === 'update') {
    await routes.addVersion(accountId, item.gateway, item.id!, item.elements!);
    // The API answers the route, not the version: the newest version is the one just saved.
    const [newest] = await routes.versions(accountId, item.gateway, item.id!);
    await routes.deploy(accountId, item.gateway, item.id!, newest!.version_id);
  }
}

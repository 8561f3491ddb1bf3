// What the providers verbs share: the account and client, a provider named by id or slug, and how a provider and
// a pricing rule look. Header values are credentials: output names the headers and never shows a value, whatever
// the API answers (--json included).

import { type CustomProvider, headerNames, type PricingRule } from '../../client/custom-providers.js';
import type { AigwClient } from '../../client/index.js';
import type { Context } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import type { Column } from '../../io/render.js';

export interface AccountTarget {
  accountId: string;
  client: AigwClient;
}

export async function accountTarget(ctx: Context): Promise<AccountTarget> {
  const accountId = await ctx.accountId();
  return { accountId, client: await ctx.client() };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The provider `ref` names: its id (a uuid), or its slug (looked up in the account's list). */
export async function findProvider(
  ctx: Context,
  target: AccountTarget,
  ref: string,
): Promise<CustomProvider> {
  const { accountId, client } = target;
  const slug = ref.startsWith('custom-') && !UUID.test(ref) ? ref.slice(7) : ref;
  try {
    if (UUID.test(ref)) return await client.customProviders.get(accountId, ref);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    throw await providerNotFound(ctx, ref, err);
  }
  const found = (await client.customProviders.list(accountId, slug)).find((p) => p.slug === slug);
  if (!found) throw await providerNotFound(ctx, ref);
  return found;
}

async function providerNotFound(ctx: Context, ref: string, err?: NotFoundError): Promise<NotFoundError> {
  const local = (await ctx.target()).local ? ' (local gateway)' : '';
  return new NotFoundError(
    err?.status ?? 404,
    err?.errors ?? [],
    `No custom provider "${ref}" in this account${local}.`,
    `List them with: ${ctx.hint('providers list')}`,
  );
}

const MASK = '********';

/** The provider with every header value masked: what any output shows. */
export function masked(provider: CustomProvider): CustomProvider {
  if (provider.headers === undefined) return provider;
  const names = headerNames(provider);
  const headers = JSON.stringify(Object.fromEntries(names.map((name) => [name, MASK])));
  return { ...provider, headers };
}

const headersText = (p: CustomProvider) => headerNames(p).join(', ');

/** The columns of a provider list. */
export const providerColumns: Column<CustomProvider>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'SLUG', value: (p) => p.slug },
  { header: 'NAME', value: (p) => p.name },
  { header: 'BASE URL', value: (p) => p.base_url },
  { header: 'HEADERS', value: headersText },
  { header: 'ENABLED', value: (p) => p.enable ?? true },
  { header: 'CREATED', value: (p) => p.created_at, time: true },
];

/** One provider, field by field. */
export const providerFields: Column<CustomProvider>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'Slug', value: (p) => p.slug },
  { header: 'Provider', value: (p) => `custom-${p.slug}` },
  { header: 'Name', value: (p) => p.name },
  { header: 'Base URL', value: (p) => p.base_url },
  { header: 'Headers', value: headersText },
  { header: 'Enabled', value: (p) => p.enable ?? true },
  { header: 'Beta', value: (p) => p.beta ?? false },
  { header: 'Position', value: (p) => p.position },
  { header: 'Description', value: (p) => p.description },
  { header: 'Link', value: (p) => p.link },
  { header: 'Created', value: (p) => p.created_at, time: true },
  { header: 'Modified', value: (p) => p.modified_at, time: true },
];

/** The columns of a pricing rule list; `slugs` names each rule's provider. */
export function ruleColumns(slugs: ReadonlyMap<string, string>): Column<PricingRule>[] {
  return [
    { header: 'ID', value: (r) => r.id },
    { header: 'PROVIDER', value: (r) => slugs.get(r.account_provider_id) ?? r.account_provider_id },
    { header: 'MODEL', value: (r) => r.model },
    { header: 'RULE', value: (r) => r.model_rule ?? 'equals' },
    { header: 'COST IN', value: (r) => r.cost_in },
    { header: 'COST OUT', value: (r) => r.cost_out },
    { header: 'ENABLED', value: (r) => r.enable ?? true },
    { header: 'MODIFIED', value: (r) => r.modified_at, time: true },
  ];
}

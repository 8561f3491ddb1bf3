// What the keys verbs share: the gateway (the argument or the profile's default), a key named by its id or by
// provider[/alias], how a key looks, and not-found errors that name the key or the gateway.
import type { ProviderKey } from '../../client/provider-keys.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { type Column, renderObject } from '../../io/render.js';
import { formatRateLimit } from '../../io/values.js';
import { builtInProviders, isKnownProvider } from '../../local/upstream/providers.js';
import { forGatewayItem, type GatewayItem, type GatewayTarget, itemNotFound } from '../args/gateway.js';

/** A provider slug the gateway serves, or a usage error listing them (nothing is sent). */
export function checkProvider(provider: string | undefined, flag = '--provider'): string {
  const hint = `Providers: ${builtInProviders.join(', ')}, or custom-{slug} for a custom provider.`;
  if (provider === undefined) throw new UsageError(`${flag} is required.`, { hint });
  if (!isKnownProvider(provider) || provider === 'custom-') {
    throw new UsageError(`${flag}: unknown provider "${provider}".`, { hint });
  }
  return provider;
}

/** Printable ASCII without spaces at either end: an alias is sent in the cf-aig-byok-alias header. */
export function checkAlias(alias: string): string {
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(alias)) {
    throw new UsageError(`--alias "${alias}" cannot be sent in a header.`, {
      hint: 'Use letters, digits and punctuation, e.g. default, team-a, ci.',
    });
  }
  return alias;
}

/** How not-found messages name a key and list a gateway's keys. */
function keyItem(target: GatewayTarget, ref: string): GatewayItem {
  return { name: `Provider key ${ref}`, plural: 'keys', list: `keys list ${target.gatewayId}` };
}

/** Runs `what`; a 404 names the gateway when it is the gateway that is missing, else the key (when one is named). */
export function forKey<T>(
  ctx: Context,
  target: GatewayTarget,
  ref: string | undefined,
  what: () => Promise<T>,
): Promise<T> {
  return forGatewayItem(ctx, target, what, ref === undefined ? undefined : keyItem(target, ref));
}

/**
 * The key `ref` names: a key id, or `provider/alias`, or a provider alone for its default key (the one flagged
 * default, else alias `default`). Names are looked up in the gateway's list.
 */
export async function findKey(ctx: Context, target: GatewayTarget, ref: string): Promise<ProviderKey> {
  const { accountId, gatewayId, client } = target;
  const slash = ref.indexOf('/');
  const provider = slash === -1 ? ref : ref.slice(0, slash);
  if (slash === -1 && !isKnownProvider(provider)) {
    return forKey(ctx, target, ref, () => client.providerKeys.get(accountId, gatewayId, ref));
  }
  const keys = await forKey(ctx, target, undefined, () => client.providerKeys.list(accountId, gatewayId));
  const ofProvider = keys.filter((k) => k.provider_slug === provider);
  const alias = slash === -1 ? null : ref.slice(slash + 1);
  const found =
    alias === null
      ? (ofProvider.find((k) => k.default_config) ?? ofProvider.find((k) => k.alias === 'default'))
      : ofProvider.find((k) => k.alias === alias);
  if (found) return found;
  const which = alias === null ? 'default key' : `key with alias "${alias}"`;
  throw await itemNotFound(
    ctx,
    target,
    keyItem(target, ref),
    undefined,
    `Gateway ${gatewayId} has no ${provider} ${which}`,
  );
}

/** "the openai key "team" (****abcd)": how messages name a key. */
export function keyLabel(key: ProviderKey): string {
  return `the ${key.provider_slug} key "${key.alias}" (${key.secret_preview})`;
}

function rateLimitText(key: ProviderKey): string {
  return formatRateLimit(key.rate_limit, key.rate_limit_period);
}

/** The columns of a key list. */
export const keyColumns: Column<ProviderKey>[] = [
  { header: 'ID', value: (k) => k.id },
  { header: 'PROVIDER', value: (k) => k.provider_slug },
  { header: 'ALIAS', value: (k) => k.alias },
  { header: 'DEFAULT', value: (k) => k.default_config },
  { header: 'KEY', value: (k) => k.secret_preview },
  { header: 'RATE LIMIT', value: rateLimitText },
  { header: 'MODIFIED', value: (k) => k.modified_at, time: true },
];

/** One key, field by field. */
export const keyFields: Column<ProviderKey>[] = [
  { header: 'ID', value: (k) => k.id },
  { header: 'Gateway', value: (k) => k.gateway_id },
  { header: 'Provider', value: (k) => k.provider_slug },
  { header: 'Alias', value: (k) => k.alias },
  { header: 'Default', value: (k) => k.default_config },
  { header: 'Key', value: (k) => k.secret_preview },
  { header: 'Secret id', value: (k) => k.secret_id },
  { header: 'Rate limit', value: rateLimitText },
  { header: 'Modified', value: (k) => k.modified_at, time: true },
];

/** A key a command stored or changed: its fields in a terminal, its id when piped, the object with --json. */
export function printKey(ctx: Context, key: ProviderKey): void {
  if (ctx.json) renderObject(ctx.io, key, keyFields, { json: true });
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(key.id);
  else renderObject(ctx.io, key, keyFields, { json: false, now: ctx.now() });
}

// Provider keys in apply files: a gateway may list `keys: [{provider, alias, default, rate_limit, secret}]` where
// `secret` says where the key comes from ({env} or {file}), never the key. Each is matched with the gateway's key
// of that provider and alias: a missing one is created; one whose named settings differ is replaced (the API
// changes nothing of a key but its secret in place); one whose secret changed is rotated; the rest send nothing.
// With --prune, a gateway that lists keys loses the ones it does not name. Pure: no requests.
import type { ProviderKey } from '../../client/provider-keys.js';
import { formatRateLimit, parseRateLimit, type RateLimit } from '../../io/values.js';
import { isKnownProvider } from '../../local/upstream/providers.js';
import { describeRef, type SecretRef, secretRefFromSpec } from './secret-ref.js';
import { show } from './spec.js';

export interface DesiredKey {
  provider: string;
  alias: string;
  /** Compared only when the file names it; a new key is its provider's default when its alias is "default". */
  default?: boolean;
  rate?: RateLimit;
  secret: SecretRef;
}

type KeyAction = 'create' | 'update' | 'rotate' | 'unchanged' | 'delete';

export interface KeyPlanItem {
  action: KeyAction;
  gateway: string;
  provider: string;
  alias: string;
  /** The existing key's id (update, rotate, unchanged, delete). */
  id?: string;
  /** What differs, for update: `rate limit: off → 100/60s`. Never a secret. */
  changes: string[];
  /** Where the secret comes from ($OPENAI_API_KEY), for every action but delete. */
  secret?: string;
}

/** Printable ASCII without spaces at either end: an alias is sent in the cf-aig-byok-alias header. */
const ALIAS = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

const keyFields = new Set(['provider', 'alias', 'default', 'rate_limit', 'secret']);

/** The keys a gateway entry lists (undefined when it has no `keys` key), or every problem with them. */
export function keysFromSpec(raw: unknown, errors: string[]): DesiredKey[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    errors.push(`keys must be a list of {provider, alias, secret}, not ${show(raw)}`);
    return [];
  }
  const keys: DesiredKey[] = [];
  const seen = new Set<string>();
  const defaults = new Set<string>();
  raw.forEach((entry, i) => {
    let where = `keys[${i}]`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      errors.push(`${where}: must be an object with a provider and a secret`);
      return;
    }
    const spec = entry as Record<string, unknown>;
    const { provider, alias = 'default', default: isDefault, rate_limit: rateLimit } = spec;
    const before = errors.length;
    for (const key of Object.keys(spec)) {
      if (!keyFields.has(key))
        errors.push(`${where}: unknown key "${key}" (expected ${[...keyFields].join(', ')})`);
    }
    if (typeof provider !== 'string' || !isKnownProvider(provider) || provider === 'custom-') {
      errors.push(
        `${where}: provider must name a provider (openai, anthropic, ..., or custom-{slug}), not ${show(provider)}`,
      );
    }
    if (typeof alias !== 'string' || !ALIAS.test(alias)) {
      errors.push(
        `${where}: alias must be printable ASCII without spaces at either end (it is sent in a header)`,
      );
    }
    const name = `${String(provider)}/${String(alias)}`;
    if (typeof provider === 'string' && typeof alias === 'string') where = `${where} (${name})`;
    if (seen.has(name)) errors.push(`${where}: the key ${name} is listed twice`);
    seen.add(name);
    if (isDefault !== undefined && typeof isDefault !== 'boolean') {
      errors.push(`${where}: default must be true or false, not ${show(isDefault)}`);
    }
    if (isDefault ?? alias === 'default') {
      if (defaults.has(String(provider)))
        errors.push(`${where}: ${String(provider)} has two default keys; keep one`);
      defaults.add(String(provider));
    }
    let rate: RateLimit | undefined;
    if (rateLimit !== undefined) {
      try {
        rate = parseRateLimit(String(rateLimit));
      } catch (err) {
        errors.push(`${where}: rate_limit: ${(err as Error).message}`);
      }
    }
    const secret = secretRefFromSpec(spec.secret, `${where}: secret`, errors);
    if (errors.length > before || !secret) return;
    keys.push({
      provider: provider as string,
      alias: alias as string,
      ...(isDefault === undefined ? {} : { default: isDefault as boolean }),
      ...(rate ? { rate } : {}),
      secret,
    });
  });
  return keys;
}

/** Whether the referenced secret differs from the one the key holds (decided by secret-digests.ts). */
export type SecretChanged = (desired: DesiredKey, existing: ProviderKey) => boolean;

/** What to do with one gateway's keys; `existing` is empty for a gateway the plan creates. */
export function planKeys(
  gateway: string,
  desired: DesiredKey[],
  existing: ProviderKey[],
  secretChanged: SecretChanged,
  options: { prune?: boolean } = {},
): KeyPlanItem[] {
  const byName = new Map(existing.map((k) => [`${k.provider_slug}/${k.alias}`, k]));
  const plan: KeyPlanItem[] = desired.map((key) => {
    const base = { gateway, provider: key.provider, alias: key.alias, secret: describeRef(key.secret) };
    const current = byName.get(`${key.provider}/${key.alias}`);
    if (!current) return { ...base, action: 'create', changes: [] };
    const changes: string[] = [];
    if (key.default !== undefined && key.default !== current.default_config) {
      changes.push(`default: ${current.default_config} → ${key.default}`);
    }
    if (key.rate) {
      const from = formatRateLimit(current.rate_limit, current.rate_limit_period);
      const to = formatRateLimit(key.rate.limit, key.rate.interval);
      if (from !== to) changes.push(`rate limit: ${from} → ${to}`);
    }
    const action = changes.length > 0 ? 'update' : secretChanged(key, current) ? 'rotate' : 'unchanged';
    return { ...base, action, id: current.id, changes };
  });
  if (options.prune) {
    const wanted = new Set(desired.map((k) => `${k.provider}/${k.alias}`));
    for (const k of existing) {
      if (wanted.has(`${k.provider_slug}/${k.alias}`)) continue;
      plan.push({
        action: 'delete',
        gateway,
        provider: k.provider_slug,
        alias: k.alias,
        id: k.id,
        changes: [],
      });
    }
  }
  return plan;
}

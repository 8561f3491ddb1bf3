// `aigw keys add [gateway] --provider <slug>`: stores a provider key in the gateway. The key comes from
// --secret-file, stdin or a masked prompt (never a flag's value) and is never printed back: only the API's
// preview of it. Stored keys are used only by a gateway with authentication on, so a gateway without it is
// pointed out.
import type { ProviderKey, ProviderKeyFields } from '../../client/provider-keys.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { flagValue, parseRateLimit } from '../../io/values.js';
import { gatewayTarget } from '../args/gateway.js';
import { readSecret, sendingSecrets } from '../args/secret.js';
import { checkAlias, checkProvider, forKey, keyLabel, printKey } from './common.js';

export interface AddFlags {
  provider?: string;
  alias?: string;
  default?: boolean;
  rateLimit?: string;
  secretFile?: string;
  secretId?: string;
}

interface AddResult {
  key: ProviderKey;
  /** Whether the gateway has authentication on (stored keys are used only then). */
  authenticated: boolean;
}

async function runAdd(gateway: string | undefined, flags: AddFlags, ctx: Context): Promise<AddResult> {
  const provider = checkProvider(flags.provider);
  const alias = checkAlias(flags.alias ?? 'default');
  const rate =
    flags.rateLimit === undefined ? null : flagValue('--rate-limit', () => parseRateLimit(flags.rateLimit!));
  if (flags.secretId !== undefined && flags.secretFile !== undefined) {
    throw new UsageError('--secret-id and --secret-file cannot be used together.', {
      hint: '--secret-id reuses a stored secret; --secret-file stores a new one.',
    });
  }
  const target = await gatewayTarget(ctx, gateway);
  const { accountId, gatewayId, client } = target;
  const secret =
    flags.secretId === undefined
      ? await readSecret(ctx, {
          file: flags.secretFile,
          flag: '--secret-file',
          what: `${provider} key`,
          command: `keys add ${gatewayId} --provider ${provider}${alias === 'default' ? '' : ` --alias ${alias}`}`,
        })
      : null;
  const fields: ProviderKeyFields = {
    provider_slug: provider,
    alias,
    default_config: flags.default ?? alias === 'default',
    ...(rate && rate.limit > 0 ? { rate_limit: rate.limit, rate_limit_period: rate.interval } : {}),
    ...(secret === null ? { secret_id: flags.secretId! } : { secret }),
  };
  const key = await forKey(ctx, target, undefined, () =>
    sendingSecrets(secret === null ? [] : [secret], () =>
      client.providerKeys.create(accountId, gatewayId, fields),
    ),
  );
  const settings = await client.gateways.get(accountId, gatewayId);
  return { key, authenticated: settings.authentication === true };
}

export async function addCommand(gateway: string | undefined, flags: AddFlags, ctx: Context): Promise<void> {
  const { key, authenticated } = await runAdd(gateway, flags, ctx);
  printKey(ctx, key);
  ctx.io.success(`Stored ${keyLabel(key)} in gateway ${key.gateway_id}.`);
  if (!authenticated) {
    ctx.io.warn(
      `Gateway ${key.gateway_id} has authentication off, so its stored keys are not used: requests must send their ` +
        `own provider keys. Turn it on with: ${ctx.hint(`gateway update ${key.gateway_id} --authentication`)}`,
    );
  }
}

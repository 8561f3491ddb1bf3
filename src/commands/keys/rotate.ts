// `aigw keys rotate [gateway] <key>`: replaces a stored key's secret (from --secret-file, stdin or a masked
// prompt). Everything else about the key stays; requests already under way finish with the old secret.
import type { Context } from '../../context.js';
import { gatewayAndId, gatewayTarget } from '../args/gateway.js';
import { readSecret, sendingSecrets } from '../args/secret.js';
import { findKey, forKey, keyLabel, printKey } from './common.js';

export async function rotateCommand(
  first: string,
  second: string | undefined,
  flags: { secretFile?: string },
  ctx: Context,
): Promise<void> {
  const { gateway, id: ref } = gatewayAndId(first, second);
  const target = await gatewayTarget(ctx, gateway);
  const { accountId, gatewayId, client } = target;
  const key = await findKey(ctx, target, ref);
  const secret = await readSecret(ctx, {
    file: flags.secretFile,
    flag: '--secret-file',
    what: `new ${key.provider_slug} key`,
    command: `keys rotate ${gatewayId} ${ref}`,
  });
  const rotated = await forKey(ctx, target, ref, () =>
    sendingSecrets([secret], () => client.providerKeys.rotate(accountId, gatewayId, key.id, secret)),
  );
  printKey(ctx, rotated);
  ctx.io.success(`Rotated ${keyLabel(rotated)} in gateway ${gatewayId}.`);
}

// `aigw providers update <id|slug>`: changes the fields flags name. The API keeps a provider's headers as one
// value and never shows their values, so new headers replace all of them (and the command says which went).

import { headerNames } from '../../client/custom-providers.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { sendingSecrets } from '../args/secret.js';
import { accountTarget, findProvider, masked } from './common.js';
import { type ProviderFlags, printProvider, providerChanges } from './fields.js';
import { checkHeaderFlags, type HeaderFlags, readHeaders } from './headers.js';

interface UpdateFlags extends ProviderFlags, HeaderFlags {
  slug?: string;
  clearHeaders?: boolean;
}

export async function updateCommand(ref: string, flags: UpdateFlags, ctx: Context): Promise<void> {
  const changes = providerChanges(flags);
  if (flags.slug !== undefined) {
    if (!/^[a-zA-Z0-9_-]+$/.test(flags.slug))
      throw new UsageError(`--slug "${flags.slug}" cannot be a slug.`);
    changes.slug = flags.slug;
  }
  const command = `providers update ${ref}`;
  const withHeaders = checkHeaderFlags(flags, command, ctx);
  if (withHeaders && flags.clearHeaders) {
    throw new UsageError('--clear-headers and new headers cannot be used together.');
  }
  if (Object.keys(changes).length === 0 && !withHeaders && !flags.clearHeaders) {
    throw new UsageError('Nothing to change: name a field to set.', {
      hint: `See: ${ctx.hint('providers update --help')}`,
    });
  }
  const target = await accountTarget(ctx);
  const provider = await findProvider(ctx, target, ref);
  const headers = flags.clearHeaders
    ? '{}'
    : withHeaders
      ? await readHeaders(ctx, flags, command)
      : undefined;
  if (headers !== undefined) changes.headers = headers;
  const secrets = headers === undefined ? [] : Object.values(JSON.parse(headers) as Record<string, string>);
  const updated = await sendingSecrets(secrets, () =>
    target.client.customProviders.update(target.accountId, provider.id, changes),
  );
  printProvider(ctx, masked(updated));
  if (headers !== undefined) {
    const before = headerNames(provider);
    const after = headerNames(updated);
    ctx.io.err(
      `Headers of ${updated.slug}: ${after.join(', ') || 'none'}` +
        (before.length > 0 ? ` (replacing ${before.join(', ')})` : ''),
    );
  }
  ctx.io.success(`Updated custom provider ${updated.slug}.`);
}

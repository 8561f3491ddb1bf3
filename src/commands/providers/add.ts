// `aigw providers add <slug> --base-url <url>`: a custom provider, served by gateways as `custom-{slug}`. Extra
// upstream headers (credentials) come from prompts, stdin or a file, never from a flag's value.
import type { CustomProviderFields } from '../../client/custom-providers.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { sendingSecrets } from '../args/secret.js';
import { accountTarget, masked } from './common.js';
import { type ProviderFlags, printProvider, providerChanges } from './fields.js';
import { checkHeaderFlags, type HeaderFlags, readHeaders } from './headers.js';

export async function addCommand(
  slug: string,
  flags: ProviderFlags & HeaderFlags & { name?: string },
  ctx: Context,
): Promise<void> {
  if (!/^[a-zA-Z0-9_-]+$/.test(slug)) {
    throw new UsageError(`"${slug}" cannot be a slug: use letters, digits, - and _.`, {
      hint: 'Requests name the provider custom-{slug}, e.g. custom-acme.',
    });
  }
  if (flags.baseUrl === undefined) throw new UsageError('--base-url is required.');
  const changes = providerChanges(flags);
  const command = `providers add ${slug} --base-url ${flags.baseUrl}`;
  const withHeaders = checkHeaderFlags(flags, command, ctx);
  const { accountId, client } = await accountTarget(ctx);
  const headers = withHeaders ? await readHeaders(ctx, flags, command) : undefined;
  const fields: CustomProviderFields = {
    name: flags.name ?? slug,
    slug,
    base_url: flags.baseUrl,
    ...changes,
    ...(headers === undefined ? {} : { headers }),
  };
  const secrets = headers === undefined ? [] : Object.values(JSON.parse(headers) as Record<string, string>);
  const created = await sendingSecrets(secrets, () => client.customProviders.create(accountId, fields));
  printProvider(ctx, masked(created));
  ctx.io.success(`Added custom provider ${created.slug}: requests reach it as custom-${created.slug}.`);
}

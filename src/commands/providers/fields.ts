// The flags `providers add` and `providers update` share, as the API's fields, and how a provider is printed.
import type { CustomProvider, CustomProviderFields } from '../../client/custom-providers.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderObject } from '../../io/render.js';
import { flagValue, parseInteger } from '../../io/values.js';
import { providerFields } from './common.js';

export interface ProviderFlags {
  name?: string;
  baseUrl?: string;
  description?: string;
  link?: string;
  position?: string;
  beta?: boolean;
  enable?: boolean;
  disable?: boolean;
}

/** The fields the flags set (the others are left out); bad values are usage errors. */
export function providerChanges(flags: ProviderFlags): Partial<CustomProviderFields> {
  if (flags.enable && flags.disable) throw new UsageError('--enable and --disable cannot be used together.');
  if (flags.baseUrl !== undefined && !/^https?:\/\/[^/]/i.test(flags.baseUrl)) {
    throw new UsageError(`--base-url "${flags.baseUrl}" is not an http or https URL.`);
  }
  if (flags.baseUrl !== undefined && !URL.canParse(flags.baseUrl)) {
    throw new UsageError(`--base-url "${flags.baseUrl}" is not a URL.`);
  }
  return {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.baseUrl !== undefined ? { base_url: flags.baseUrl } : {}),
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(flags.link !== undefined ? { link: flags.link } : {}),
    ...(flags.position !== undefined
      ? { position: flagValue('--position', () => parseInteger(flags.position!)) }
      : {}),
    ...(flags.beta !== undefined ? { beta: flags.beta } : {}),
    ...(flags.enable ? { enable: true } : flags.disable ? { enable: false } : {}),
  };
}

/** A provider a command added or changed: its fields in a terminal, its id when piped, --json the object. */
export function printProvider(ctx: Context, provider: CustomProvider): void {
  if (ctx.json) renderObject(ctx.io, provider, providerFields, { json: true });
  else if (!ctx.io.stdoutIsTTY) ctx.io.out(provider.id);
  else renderObject(ctx.io, provider, providerFields, { json: false, now: ctx.now() });
}

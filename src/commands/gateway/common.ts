// What the gateway verbs share: friendlier not-found errors, and reading the files flags name.
import type { Context } from '../../context.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { parseData, readInput } from '../../io/files.js';
import type { FlagFiles } from './flags.js';
import type { SettingFlags } from './setting-options.js';

/** Runs `what`; a 404 becomes a message naming the gateway and the account. */
export async function forGateway<T>(ctx: Context, accountId: string, id: string, what: () => Promise<T>) {
  try {
    return await what();
  } catch (err) {
    if (err instanceof NotFoundError) {
      const target = await ctx.target();
      throw new NotFoundError(
        err.status,
        err.errors,
        `Gateway "${id}" was not found in account ${accountId}${target.local ? ' (local gateway)' : ''}.`,
        `List the gateways with: ${ctx.hint('gateway list')}`,
      );
    }
    throw err;
  }
}

/** Reads the files --from-file and --logpush-public-key name (at most one of them may be stdin). */
export async function readFlagFiles(ctx: Context, flags: SettingFlags): Promise<FlagFiles> {
  if (flags.fromFile === '-' && flags.logpushPublicKey === '-') {
    throw new UsageError('--from-file and --logpush-public-key cannot both read stdin.');
  }
  const files: FlagFiles = {};
  if (flags.fromFile !== undefined) {
    const text = await readInput(ctx, '--from-file', flags.fromFile);
    files.fromFile = await parseData('--from-file', flags.fromFile, text);
  }
  if (flags.logpushPublicKey !== undefined) {
    files.logpushPublicKey = await readInput(ctx, '--logpush-public-key', flags.logpushPublicKey);
  }
  return files;
}

// What the gateway verbs share: reading the files flags name.
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { parseData, readInput } from '../../io/files.js';
import type { FlagFiles } from './flags.js';
import type { SettingFlags } from './setting-options.js';

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

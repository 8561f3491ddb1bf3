// What the gateway verbs share: id checks, friendlier not-found errors, and reading the files flags name.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Context } from '../../context.js';
import { NotFoundError, UsageError } from '../../errors.js';
import type { FlagFiles, SettingFlags } from './flags.js';
import { gatewayIdProblem, gatewayIdRule } from './spec.js';

/** Fails with a usage error (exit 2, nothing sent) unless `id` is a valid gateway id. */
export function checkGatewayId(id: string): void {
  const problem = gatewayIdProblem(id);
  if (problem) {
    throw new UsageError(`Invalid gateway id ${problem}.`, {
      hint: `A gateway id has ${gatewayIdRule}: e.g. prod-chat, team_a-dev.`,
    });
  }
}

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
        'List the gateways with: aigw gateway list',
      );
    }
    throw err;
  }
}

/** The text of a file, or of stdin for '-'; a missing file is a usage error naming the flag. */
export async function readInput(ctx: Context, flag: string, path: string): Promise<string> {
  if (path === '-') return ctx.readStdin();
  try {
    return await readFile(resolve(ctx.cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code);
    throw new UsageError(`${flag}: cannot read ${path}: ${why}.`);
  }
}

/** JSON or YAML text as a value; a syntax error is a usage error naming the file and the position. */
export async function parseData(flag: string, path: string, text: string): Promise<unknown> {
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError(`${flag}: ${path === '-' ? 'stdin' : path} is empty.`);
  const looksJson = path.endsWith('.json') || trimmed.startsWith('{') || trimmed.startsWith('[');
  try {
    if (looksJson) return JSON.parse(trimmed);
    // Bundled, the CommonJS build of yaml exposes its API on `default` only.
    const yaml: typeof import('yaml') & { default?: typeof import('yaml') } = await import('yaml');
    return (yaml.parse ?? yaml.default!.parse)(trimmed);
  } catch (err) {
    const name = path === '-' ? 'stdin' : path;
    const message = (err as Error).message.split('\n')[0];
    throw new UsageError(`${flag}: ${name} is not valid ${looksJson ? 'JSON' : 'YAML'}: ${message}`);
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

// Reading input files: a path or '-' for stdin, JSON or YAML. Errors are usage errors naming the flag.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

/** The text of a file, or of stdin for '-'; a missing file is a usage error naming the flag. */
export async function readInput(
  ctx: Pick<Context, 'cwd' | 'readStdin'>,
  flag: string,
  path: string,
): Promise<string> {
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

// A custom provider's extra upstream headers, as the API takes them (one JSON object string). Their values are
// credentials, so they never come from a flag's value: `--header <name>` asks for each value with a masked
// prompt (or reads the one value from piped stdin), and `--headers-file` names a JSON or YAML object of
// names to values (`-` for stdin).
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { parseData, readInput } from '../../io/files.js';
import { readSecret } from '../args/secret.js';

export interface HeaderFlags {
  header?: string[];
  headersFile?: string;
}

/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Whether the flags give headers at all (checked before anything is read or sent). */
export function checkHeaderFlags(flags: HeaderFlags, command: string, ctx: Context): boolean {
  const names = flags.header ?? [];
  if (names.length > 0 && flags.headersFile !== undefined) {
    throw new UsageError('--header and --headers-file cannot be used together.', {
      hint: 'Put every header in the --headers-file object.',
    });
  }
  for (const name of names) {
    if (!HEADER_NAME.test(name)) throw new UsageError(`--header: "${name}" is not a header name.`);
  }
  if (names.length > 1 && !ctx.io.stdinIsTTY) {
    throw new UsageError('Several --header values cannot all be read from stdin.', {
      hint: `Give them in a file: ${ctx.hint(`${command} --headers-file headers.json`)} ({"x-api-key": "..."})`,
    });
  }
  return names.length > 0 || flags.headersFile !== undefined;
}

/** The headers as the API stores them: a JSON object string of names to values. */
export async function readHeaders(ctx: Context, flags: HeaderFlags, command: string): Promise<string> {
  const values: Record<string, string> = {};
  if (flags.headersFile !== undefined) {
    const text = await readInput(ctx, '--headers-file', flags.headersFile);
    const data = await parseData('--headers-file', flags.headersFile, text);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new UsageError('--headers-file must hold an object of header names to values.');
    }
    for (const [name, value] of Object.entries(data)) {
      if (!HEADER_NAME.test(name)) throw new UsageError(`--headers-file: "${name}" is not a header name.`);
      if (typeof value !== 'string' || value.trim() === '' || CONTROL.test(value)) {
        throw new UsageError(`--headers-file: header "${name}" needs a text value on one line.`);
      }
      values[name] = value.trim();
    }
  }
  for (const name of flags.header ?? []) {
    values[name] = await readSecret(ctx, {
      flag: '--headers-file',
      example: 'headers.json',
      what: `value of header ${name}`,
      command,
      piped: `${command} --header ${name}`,
    });
  }
  return JSON.stringify(values);
}

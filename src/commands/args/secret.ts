// Secrets a command sends (a provider key, a custom provider's header values): never from a flag's value. They
// come from a file (`-` for stdin), from stdin when it is not a terminal, or from a masked prompt; and whatever an
// API error says of one is masked before anything prints it.
import type { Context } from '../../context.js';
import { AigwError, ApiError, UsageError } from '../../errors.js';
import { readInput } from '../../io/files.js';

export interface SecretSource {
  /** The file a flag names (`-`: stdin), if any. */
  file?: string | undefined;
  /** That flag, for messages (--secret-file), and what it takes (key.txt). */
  flag: string;
  example?: string;
  /** What the prompt asks for: "OpenAI key for gateway prod-chat". */
  what: string;
  /** The command, without `aigw` and the global options, for hints. */
  command: string;
  /** The command that reads this secret from piped stdin, when it needs more than `command` says. */
  piped?: string;
}

/** The secret, trimmed of the whitespace around it (a file's last newline); a usage error when there is none. */
export async function readSecret(ctx: Context, source: SecretSource): Promise<string> {
  let secret: string;
  let from: string;
  if (source.file !== undefined) {
    from = source.file === '-' ? 'stdin' : source.file;
    secret = (await readInput(ctx, source.flag, source.file)).trim();
  } else if (!ctx.io.stdinIsTTY) {
    from = 'stdin';
    secret = (await ctx.readStdin()).trim();
  } else if (ctx.io.canPrompt) {
    from = 'the prompt';
    secret = (await ctx.prompter.password({ message: `${source.what}:` })).trim();
  } else {
    throw new UsageError(`No ${source.what} given, and aigw cannot ask for it here.`, {
      hint: `Pipe it on stdin or name a file: ${ctx.hint(`${source.command} ${source.flag} ${source.example ?? 'key.txt'}`)}`,
    });
  }
  if (secret === '') {
    throw new UsageError(`No ${source.what} in ${from}.`, {
      hint: `Pipe it in, for example: printf '%s' "$KEY" | ${ctx.hint(source.piped ?? source.command)}`,
    });
  }
  if (/[\u0000-\u001f\u007f]/.test(secret)) {
    throw new UsageError(`The ${source.what} in ${from} has line breaks or control characters.`, {
      hint: 'Give the key alone, on one line.',
    });
  }
  return secret;
}

/** Runs `send`; whatever its error says of a secret (an API echoing its input back) is masked. */
export async function sendingSecrets<T>(secrets: readonly string[], send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof AigwError) maskIn(err, secrets);
    throw err;
  }
}

function maskIn(err: AigwError, secrets: readonly string[]): void {
  const words = secrets.filter((s) => s.length >= 4);
  const mask = (text: string) => words.reduce((out, word) => out.replaceAll(word, '****'), text);
  err.message = mask(err.message);
  if (err.stack) err.stack = mask(err.stack);
  if (err.hint) err.hint = mask(err.hint);
  if (err instanceof ApiError) {
    for (const item of err.errors) if (item.message) item.message = mask(item.message);
  }
}

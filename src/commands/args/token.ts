// What `auth login` and `profile add` share: reading a token without it ever passing through a flag,
// checking it against the API it is meant for, and choosing the account to save with it.
import type { Account } from '../../client/index.js';
import type { Target } from '../../config/target.js';
import type { Context } from '../../context.js';
import { AuthError, UsageError } from '../../errors.js';

/** The token from stdin (--with-token) or a masked prompt in a terminal; never from a flag. */
export async function readToken(ctx: Context, withToken: boolean, command: string): Promise<string> {
  let token: string;
  if (withToken) {
    token = (await ctx.readStdin()).trim();
    if (!token) {
      throw new UsageError('No token on stdin.', {
        hint: `Pipe the token in, for example: ${ctx.command} ${command} --with-token < token.txt`,
      });
    }
  } else if (ctx.io.canPrompt) {
    token = (await ctx.prompter.password({ message: 'API token:' })).trim();
    if (!token) throw new UsageError('No token entered.');
  } else {
    throw new UsageError('No token given, and aigw cannot ask for one here (not a terminal).', {
      hint: `Pass --with-token and pipe the token on stdin: printf '%s' "$TOKEN" | ${ctx.command} ${command} --with-token`,
    });
  }
  if (/\s/.test(token)) {
    throw new UsageError('The token contains spaces or line breaks.', {
      hint: 'Give only the token itself (one line).',
    });
  }
  return token;
}

/** A target for a token that is not saved yet. */
export function candidateTarget(profile: string, local: boolean, baseURL: string, token: string): Target {
  return { profile, local, baseURL, credential: { kind: 'token', token, source: 'the token given' } };
}

/** Checks the token with /user/tokens/verify and returns the accounts it can see. */
export async function verifyToken(ctx: Context, target: Target): Promise<Account[]> {
  const client = await ctx.clientFor(target);
  const where = target.local ? 'The local gateway' : 'Cloudflare';
  let status: string;
  try {
    status = (await client.verifyToken()).status;
  } catch (err) {
    // The client's hint says to log in, which is what is being done: say what to check instead.
    if (err instanceof AuthError) throw new AuthError(err.message, { hint: rejectedHint(target) });
    throw err;
  }
  if (status !== 'active') {
    throw new AuthError(`${where} says the token is ${status}.`, { hint: rejectedHint(target) });
  }
  return client.accounts();
}

function rejectedHint(target: Target): string {
  return target.local
    ? 'The local gateway was started with --api-token: log in with that same token.'
    : 'Check that you copied the whole token and that it is active (Cloudflare dashboard: My Profile > API Tokens).';
}

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
        hint: `Pipe the token in, for example: aigw ${command} --with-token < token.txt`,
      });
    }
  } else if (ctx.io.canPrompt) {
    token = (await ctx.prompter.password({ message: 'API token:' })).trim();
    if (!token) throw new UsageError('No token entered.');
  } else {
    throw new UsageError('No token given, and aigw cannot ask for one here (not a terminal).', {
      hint: `Pass --with-token and pipe the token on stdin: printf '%s' "$TOKEN" | aigw ${command} --with-token`,
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

/**
 * The account to save: the one asked for with --account-id, the only one the token sees, or a choice in a
 * terminal. When several are visible and nobody can be asked, `required` decides between a usage error
 * listing them and no account at all.
 */
export async function pickAccount(
  ctx: Context,
  accounts: Account[],
  requested: string | undefined,
  required: boolean,
): Promise<{ id: string; name?: string } | undefined> {
  if (requested) {
    const found = accounts.find((a) => a.id === requested);
    if (found) return found;
    // A token scoped to one account may be unable to list accounts at all; trust the flag then.
    if (accounts.length === 0) return { id: requested };
    throw new UsageError(`The token cannot see account ${requested}.`, {
      hint: `Accounts it can see:\n${accountLines(ctx, accounts)}`,
    });
  }
  if (accounts.length === 1) return accounts[0]!;
  if (accounts.length === 0) {
    if (!required) return undefined;
    throw new AuthError('The token can see no account.', {
      hint: 'Pass --account-id <id>, or give the token the "Account Settings Read" permission.',
    });
  }
  if (ctx.io.canPrompt) {
    const id = await ctx.prompter.select({
      message: 'Which account?',
      choices: accounts.map((a) => ({ name: `${a.name} (${a.id})`, value: a.id })),
    });
    return accounts.find((a) => a.id === id)!;
  }
  if (!required) return undefined;
  throw new UsageError('The token can see more than one account; say which one.', {
    hint: `Pass --account-id <id>:\n${accountLines(ctx, accounts)}`,
  });
}

function accountLines(ctx: Context, accounts: Account[]): string {
  // Same policy as Context.accountId: account names stay out of CI logs.
  const redact = Boolean(ctx.env.CI);
  return accounts.map((a) => `  ${redact ? '(name hidden in CI)' : a.name}: ${a.id}`).join('\n');
}

/** Describes an account as "name (id)", or just the id when the name is unknown. */
export function accountLabel(id: string | undefined, name: string | undefined): string | undefined {
  if (!id) return undefined;
  return name ? `${name} (${id})` : id;
}

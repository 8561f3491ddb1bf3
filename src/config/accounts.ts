// Choosing the account to work in when the configuration names none: the one asked for, the only one the
// credentials see, a choice in a terminal, or an error listing them. Used by every API command (through
// Context.accountId), by auth login and by profile add.
import type { Account } from '../client/index.js';
import type { Context } from '../context.js';
import { AuthError, UsageError } from '../errors.js';

/**
 * The account to save: the one asked for with --account-id, the only one the token sees, or a choice in a
 * terminal. When several are visible and nobody can be asked, `required` decides between a usage error
 * listing them and no account at all.
 */
export async function pickAccount(
  ctx: Pick<Context, 'io' | 'prompter' | 'env'>,
  accounts: Account[],
  requested: string | undefined,
  required: boolean,
  howToChoose = 'Pass --account-id <id>',
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
    hint: `${howToChoose}. Accounts it can see:\n${accountLines(ctx, accounts)}`,
  });
}

function accountLines(ctx: Pick<Context, 'env'>, accounts: Account[]): string {
  // Account names stay out of CI logs.
  const redact = Boolean(ctx.env.CI);
  return accounts.map((a) => `  ${redact ? '(name hidden in CI)' : a.name}: ${a.id}`).join('\n');
}

/** Describes an account as "name (id)", or just the id when the name is unknown. */
export function accountLabel(
  id: string | null | undefined,
  name: string | null | undefined,
): string | undefined {
  if (!id) return undefined;
  return name ? `${name} (${id})` : id;
}

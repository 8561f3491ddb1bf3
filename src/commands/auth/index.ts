// `aigw auth login|status|logout`: registration only; each verb's module loads when it runs.
import type { Command } from 'commander';
import type { Context } from '../../context.js';

export function registerAuth(program: Command, ctx: Context): void {
  const auth = program
    .command('auth')
    .summary('log in with an API token, check credentials, log out')
    .description(
      'Store a Cloudflare API token in a profile, show which credentials are in use, or remove them. ' +
        'Tokens are read from a masked prompt or stdin, never from a flag; CLOUDFLARE_API_TOKEN overrides ' +
        'every stored profile.',
    );

  auth
    .command('login')
    .summary('check an API token and save it, with its account, to a profile')
    .option('--with-token', 'read the token from stdin instead of asking')
    .addHelpText(
      'after',
      `
The token needs "AI Gateway Read" (and "AI Gateway Edit" to change things);
"Account Settings Read" lets aigw list your accounts. It is saved to
credentials.json (mode 0600) in the config directory.

Examples:
  $ aigw auth login                   # asks for the token (masked)
  $ aigw auth login --profile prod --account-id 023e105f4ecef8ad9ca31a8372d0c353
  $ printf '%s' "$TOKEN" | aigw auth login --with-token --profile ci
  $ aigw auth login --local --with-token < local-token.txt   # aigw proxy`,
    )
    .action(async (flags: { withToken?: boolean }) => {
      const { loginCommand } = await import('./login.js');
      await loginCommand(flags, ctx);
    });

  auth
    .command('status')
    .summary('show the profile in use, where its credentials come from, and whether they work')
    .option('--all', 'check every profile (the exit status still reflects the one in use)')
    .addHelpText(
      'after',
      `
Exits 4 when the profile in use has no credentials or the API rejects them, 1
when the API cannot be reached. Tokens are shown masked.

Examples:
  $ aigw auth status
  $ aigw auth status --all
  $ aigw auth status --profile prod --json
  $ aigw auth status --local`,
    )
    .action(async (flags: { all?: boolean }) => {
      const { statusCommand } = await import('./status.js');
      await statusCommand(flags, ctx);
    });

  auth
    .command('logout')
    .summary("remove a profile's stored credentials")
    .addHelpText(
      'after',
      `
The profile's other settings (account, default gateway, base URL) stay.
CLOUDFLARE_API_TOKEN, if set, still applies afterwards.

Examples:
  $ aigw auth logout
  $ aigw auth logout --profile staging
  $ aigw auth logout --local`,
    )
    .action(async () => {
      const { logoutCommand } = await import('./logout.js');
      await logoutCommand(ctx);
    });
}

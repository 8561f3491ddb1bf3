// `aigw profile list|use|add|remove|show`: registration only; each verb's module loads when it runs.
import { Argument, type Command } from 'commander';
import { completeWith } from '../../completion/dynamic.js';
import type { Context } from '../../context.js';
import type { AddFlags } from './add.js';

/** A profile name argument, completed with the stored profiles' names. */
const profileArgument = (spec: string, description: string) =>
  completeWith(new Argument(spec, description), 'profiles');

export function registerProfile(program: Command, ctx: Context): void {
  const profile = program
    .command('profile')
    .summary('manage profiles: one per environment, each with its own token and account')
    .description(
      'Profiles keep one set of settings per environment (dev, staging, prod): token, account id, default ' +
        'gateway and API base URL. Pick one with --profile or AIGW_PROFILE, or make it current with ' +
        '`aigw profile use`. The built-in `local` profile points at the local gateway (aigw proxy). ' +
        'CLOUDFLARE_API_TOKEN, when set, overrides the credentials of every stored profile.',
    );

  profile
    .command('list')
    .summary('list profiles, with masked credentials')
    .addHelpText('after', '\nExamples:\n  $ aigw profile list\n  $ aigw profile list --json')
    .action(async () => {
      const { listCommand } = await import('./list.js');
      await listCommand(ctx);
    });

  profile
    .command('use')
    .summary('make a profile the current one')
    .addArgument(profileArgument('<name>', 'profile name'))
    .addHelpText('after', '\nExamples:\n  $ aigw profile use staging\n  $ aigw profile use local')
    .action(async (name: string) => {
      const { useCommand } = await import('./use.js');
      await useCommand(name, ctx);
    });

  profile
    .command('add')
    .summary('create a profile, or change settings of one')
    .argument('<name>', 'profile name: letters, digits, - and _')
    .option('--default-gateway <id>', 'gateway used when a command is given none')
    .option('--base-url <url>', 'API base URL (default https://api.cloudflare.com/client/v4)')
    .option('--with-token', 'read an API token from stdin and store it')
    .option('--no-verify', 'store the token without checking it against the API')
    .addHelpText(
      'after',
      `
The account comes from --account-id, or from the token when it sees one account
(a terminal asks when it sees several). Only the settings given change when the
profile exists.

Examples:
  $ printf '%s' "$TOKEN" | aigw profile add staging --with-token
  $ aigw profile add staging --default-gateway chat
  $ aigw profile add prod --account-id 023e105f4ecef8ad9ca31a8372d0c353
  $ aigw profile add onprem --base-url https://cf.example/client/v4 --with-token`,
    )
    .action(async (name: string, flags: AddFlags) => {
      const { addCommand } = await import('./add.js');
      await addCommand(name, flags, ctx);
    });

  profile
    .command('remove')
    .summary('delete a profile and its stored credentials')
    .addArgument(profileArgument('<name>', 'profile name'))
    .option('-y, --yes', 'do not ask for confirmation (required when not interactive)')
    .addHelpText('after', '\nExamples:\n  $ aigw profile remove staging\n  $ aigw profile remove ci --yes')
    .action(async (name: string, flags: { yes?: boolean }) => {
      const { removeCommand } = await import('./remove.js');
      await removeCommand(name, flags, ctx);
    });

  profile
    .command('show')
    .summary('show a profile: settings, masked token, and where each value comes from')
    .addArgument(profileArgument('[name]', 'profile name (default: the one in use)'))
    .addHelpText('after', '\nExamples:\n  $ aigw profile show\n  $ aigw profile show prod --json')
    .action(async (name: string | undefined) => {
      const { showCommand } = await import('./show.js');
      await showCommand(name, ctx);
    });
}

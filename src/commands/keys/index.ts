// `aigw keys ...`: a gateway's stored provider keys (BYOK). Registration only; each verb loads when it runs.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { gatewayArgument } from '../args/gateway-argument.js';
import type { AddFlags } from './add.js';

// Text after the options is printed as written: lines of at most 80 columns.
const secretHelp = `The key is read from --secret-file (a path, or - for stdin), else from stdin
when it is piped, else from a masked prompt in a terminal. It is never a flag's
value and never printed: aigw shows only the API's preview of it (****abcd).`;

const keyHelp = `[key] is a key id, a provider and alias (openai/team), or a provider alone for
its default key (openai). With one argument, it is the key, in the profile's
default gateway.`;

export function registerKeys(program: Command, ctx: Context): void {
  const keys = program
    .command('keys')
    .alias('key')
    .summary("store, rotate and remove a gateway's provider keys (BYOK)")
    .description(
      'Provider API keys stored in a gateway (on Cloudflare, in its Secrets Store). A request that sends no ' +
        "provider key gets the stored one: the key cf-aig-byok-alias names, else the provider's default key. " +
        'Stored keys are used only by a gateway with authentication on: requests then send ' +
        'cf-aig-authorization and no provider key. The gateway may be left out when the profile has a default ' +
        'gateway.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ printf '%s' "$OPENAI_API_KEY" | aigw keys add prod-chat --provider openai
  $ aigw keys add prod-chat --provider anthropic --alias team-a < key.txt
  $ aigw keys list prod-chat
  $ aigw keys rotate prod-chat anthropic/team-a --secret-file new-key.txt
  $ aigw keys remove prod-chat anthropic/team-a --yes`,
    );

  keys
    .command('list')
    .addArgument(gatewayArgument())
    .alias('ls')
    .summary("list a gateway's provider keys")
    .description(
      "List a gateway's stored keys: id, provider, alias, default, the key's preview, rate limit, last " +
        'change. Piped: tab-separated rows in that order, no header.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ aigw keys list prod-chat
  $ aigw keys list --json                 # the profile's default gateway`,
    )
    .action(async (gateway: string | undefined) => {
      const { listCommand } = await import('./list.js');
      await listCommand(gateway, ctx);
    });

  keys
    .command('add')
    .addArgument(gatewayArgument())
    .summary('store a provider key in a gateway')
    .description(
      'Store a provider key. Its alias is "default" unless --alias says otherwise; a key with alias default ' +
        "is the provider's default key unless --no-default (another default key of the provider loses the " +
        "flag). Piped: prints the new key's id.",
    )
    .option('--provider <slug>', 'the provider the key is for: openai, anthropic, google-ai-studio, ...')
    .option('--alias <name>', 'the name requests choose it by with cf-aig-byok-alias (default: default)')
    .option('--default', "make it the provider's default key (the default for alias default)")
    .option('--no-default', "do not make it the provider's default key")
    .option('--rate-limit <n/interval>', 'a rate limit for the key: 100/60s, 1000/1h (stored with the key)')
    .option('--secret-file <file>', 'read the key from this file (- for stdin)')
    .option('--secret-id <id>', 'use a secret already stored in the account instead of a new key')
    .addHelpText(
      'after',
      `
${secretHelp}

Examples:
  $ aigw keys add prod-chat --provider openai     # asks for the key (masked)
  $ printf '%s' "$ANTHROPIC_API_KEY" | aigw keys add --provider anthropic
  $ aigw keys add prod-chat --provider openai --alias batch \\
      --secret-file key.txt
  $ aigw --local keys add dev --provider openai < key.txt`,
    )
    .action(async (gateway: string | undefined, flags: AddFlags) => {
      const { addCommand } = await import('./add.js');
      await addCommand(gateway, flags, ctx);
    });

  keys
    .command('get <gw|key> [key]')
    .alias('show')
    .summary('show one provider key (its preview, never the key)')
    .addHelpText(
      'after',
      `
${keyHelp}

Examples:
  $ aigw keys get prod-chat openai/team-a
  $ aigw keys get prod-chat 5f1b2c3d4e5f60718293a4b5c6d7e8f9 --json`,
    )
    .action(async (first: string, second: string | undefined) => {
      const { getCommand } = await import('./get.js');
      await getCommand(first, second, ctx);
    });

  keys
    .command('rotate <gw|key> [key]')
    .summary("replace a stored key's secret")
    .description(
      "Replace a stored key's secret; its id, alias and settings stay. Requests already under way finish " +
        'with the old secret.',
    )
    .option('--secret-file <file>', 'read the new key from this file (- for stdin)')
    .addHelpText(
      'after',
      `
${keyHelp}

${secretHelp}

Examples:
  $ aigw keys rotate prod-chat openai         # asks for the new key
  $ aigw keys rotate prod-chat openai/team-a --secret-file new-key.txt`,
    )
    .action(async (first: string, second: string | undefined, flags: { secretFile?: string }) => {
      const { rotateCommand } = await import('./rotate.js');
      await rotateCommand(first, second, flags, ctx);
    });

  keys
    .command('remove <gw|key> [key]')
    .aliases(['rm', 'delete'])
    .summary('delete a stored key')
    .description(
      'Delete a stored key and its secret. Asks for confirmation in a terminal; elsewhere (scripts, CI, ' +
        '--no-input) --yes is required.',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      `
${keyHelp}

Examples:
  $ aigw keys remove prod-chat openai/team-a
  $ aigw keys remove prod-chat 5f1b2c3d4e5f60718293a4b5c6d7e8f9 --yes`,
    )
    .action(async (first: string, second: string | undefined, flags: { yes?: boolean }) => {
      const { removeCommand } = await import('./remove.js');
      await removeCommand(first, second, flags, ctx);
    });
}

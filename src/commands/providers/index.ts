// `aigw providers ...` and `aigw providers costs ...`: the account's custom providers and their pricing rules.
// Registration only; each verb loads when it runs.
import { type Command, Option } from 'commander';
import type { Context } from '../../context.js';
import type { RuleFlags } from './costs.js';
import type { ProviderFlags } from './fields.js';
import type { HeaderFlags } from './headers.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

// Text after the options is printed as written: lines of at most 80 columns.
const headersHelp = `Header values are credentials: never a flag's value. --header <name> asks for
the value with a masked prompt (or reads it from piped stdin, for one header);
--headers-file takes a JSON or YAML object of names to values (- for stdin).
aigw shows header names only, never their values.`;

const refHelp = '<provider> is the id (a uuid) or the slug (acme, or custom-acme).';

function addProviderOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'display name')
    .option('--base-url <url>', 'where requests go: {base_url}/{path after custom-{slug}}')
    .option('--description <text>', 'a description')
    .option('--link <url>', "the provider's site")
    .option('--position <n>', 'order in lists (lower first)')
    .option('--beta', 'mark it beta')
    .option('--no-beta', 'do not mark it beta')
    .option('--enable', 'serve it (the default for a new provider)')
    .option('--disable', 'stop serving it: custom-{slug} requests are refused')
    .option('--header <name>', 'an extra upstream header; its value is asked for (repeatable)', collect)
    .option('--headers-file <file>', 'extra upstream headers: a JSON or YAML object (- for stdin)');
}

function addRuleOptions(cmd: Command): Command {
  return cmd
    .option('--model <name>', 'the model name the rule matches')
    .addOption(
      new Option('--rule <how>', 'how the model name is matched (default: equals)').choices([
        'equals',
        'starts-with',
        'contains',
      ]),
    )
    .option('--cost-in <usd>', 'USD per input token, e.g. 0.000001 for $1 per million')
    .option('--cost-out <usd>', 'USD per output token')
    .option('--enable', 'apply the rule (the default for a new rule)')
    .option('--disable', 'keep the rule but do not apply it');
}

export function registerProviders(program: Command, ctx: Context): void {
  const providers = program
    .command('providers')
    .alias('provider')
    .summary('add, list, change and remove custom providers and their pricing')
    .description(
      'Custom providers of the account: any HTTP API gateways serve as custom-{slug} ({base_url}/{path}), ' +
        'with extra upstream headers (credentials) stored with the provider, and pricing rules for their models.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ aigw providers add acme --base-url https://api.acme.example/v1 \\
      --header x-api-key
  $ aigw providers list
  $ aigw providers costs add acme --model acme-large --cost-in 0.000001
  $ aigw providers remove acme --yes`,
    );

  providers
    .command('list')
    .alias('ls')
    .summary('list custom providers')
    .description(
      'List the custom providers: id, slug, name, base URL, header names, enabled, created. Piped: ' +
        'tab-separated rows in that order, no header.',
    )
    .option('--search <text>', 'only providers whose id, name or slug contains this text')
    .addHelpText(
      'after',
      '\nExamples:\n  $ aigw providers list\n  $ aigw providers list --search acme --json',
    )
    .action(async (flags: { search?: string }) => {
      const { listCommand } = await import('./list.js');
      await listCommand(flags, ctx);
    });

  addProviderOptions(providers.command('add <slug>').summary('add a custom provider'))
    .description(
      'Add a custom provider; gateways serve it as custom-<slug>. --base-url is required; the name defaults ' +
        "to the slug. Piped: prints the new provider's id.",
    )
    .addHelpText(
      'after',
      `
${headersHelp}

Examples:
  $ aigw providers add acme --base-url https://api.acme.example/v1
  $ aigw providers add acme --base-url https://api.acme.example/v1 \\
      --header x-api-key                       # asks for the value (masked)
  $ printf '%s' "$ACME_KEY" | aigw providers add acme \\
      --base-url https://api.acme.example/v1 --header authorization
  $ aigw providers add acme --base-url https://api.acme.example/v1 \\
      --headers-file headers.json`,
    )
    .action(async (slug: string, flags: ProviderFlags & HeaderFlags) => {
      const { addCommand } = await import('./add.js');
      await addCommand(slug, flags, ctx);
    });

  providers
    .command('get <provider>')
    .alias('show')
    .summary('show a custom provider (header names, never values)')
    .addHelpText(
      'after',
      `\n${refHelp}\n\nExamples:\n  $ aigw providers get acme\n  $ aigw providers get acme --json`,
    )
    .action(async (ref: string) => {
      const { getCommand } = await import('./get.js');
      await getCommand(ref, ctx);
    });

  addProviderOptions(
    providers
      .command('update <provider>')
      .summary("change some of a custom provider's fields")
      .description(
        'Change only the fields flags name. New headers (--header, --headers-file) replace all of its ' +
          'headers: the API keeps them as one value and never shows their values.',
      ),
  )
    .option('--slug <slug>', 'a new slug (requests then use custom-<new slug>)')
    .option('--clear-headers', 'remove every extra header')
    .addHelpText(
      'after',
      `
${refHelp}

${headersHelp}

Examples:
  $ aigw providers update acme --base-url https://eu.acme.example/v1
  $ aigw providers update acme --header x-api-key   # replaces the headers
  $ aigw providers update acme --disable`,
    )
    .action(async (ref: string, flags: ProviderFlags & HeaderFlags) => {
      const { updateCommand } = await import('./update.js');
      await updateCommand(ref, flags, ctx);
    });

  providers
    .command('remove <provider>')
    .aliases(['rm', 'delete'])
    .summary('delete a custom provider and its pricing rules')
    .description(
      'Delete a custom provider and its pricing rules. Asks for confirmation in a terminal; elsewhere ' +
        '(scripts, CI, --no-input) --yes is required.',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      `\n${refHelp}\n\nExamples:\n  $ aigw providers remove acme\n  $ aigw providers rm acme --yes`,
    )
    .action(async (ref: string, flags: { yes?: boolean }) => {
      const { removeCommand } = await import('./remove.js');
      await removeCommand(ref, flags, ctx);
    });

  const costs = providers
    .command('costs')
    .summary("list, add, change and remove custom providers' pricing rules")
    .description(
      'Pricing rules of custom providers: a model (matched by name: equals, starts-with or contains) and ' +
        'its price in USD per input and output token; gateways price the requests of custom-{slug} by them.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ aigw providers costs list acme
  $ aigw providers costs add acme --model acme- --rule starts-with \\
      --cost-in 0.000001
  $ aigw providers costs update 0b5c3e4e-6a4f-4c4e-9d0a-8b7a1f2c3d4e \\
      --cost-out 0.000003
  $ aigw providers costs remove 0b5c3e4e-6a4f-4c4e-9d0a-8b7a1f2c3d4e --yes`,
    );

  costs
    .command('list [provider]')
    .alias('ls')
    .summary("list pricing rules (all, or one provider's)")
    .description(
      'List pricing rules: id, provider, model, rule, cost in, cost out, enabled, modified. Piped: ' +
        'tab-separated rows in that order, no header.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ aigw providers costs list\n  $ aigw providers costs list acme --json',
    )
    .action(async (provider: string | undefined) => {
      const { costsListCommand } = await import('./costs.js');
      await costsListCommand(provider, ctx);
    });

  addRuleOptions(costs.command('add <provider>').summary('add a pricing rule to a custom provider'))
    .addHelpText(
      'after',
      `
${refHelp}

Examples:
  $ aigw providers costs add acme --model acme-large --cost-in 0.000001 \\
      --cost-out 0.000002
  $ aigw providers costs add acme --model acme- --rule starts-with \\
      --cost-in 0.000001`,
    )
    .action(async (provider: string, flags: RuleFlags) => {
      const { costsAddCommand } = await import('./costs.js');
      await costsAddCommand(provider, flags, ctx);
    });

  addRuleOptions(costs.command('update <id>').summary('change some of a pricing rule'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ aigw providers costs update 0b5c3e4e-6a4f-4c4e-9d0a-8b7a1f2c3d4e \\\n      --cost-in 0.000002 --disable',
    )
    .action(async (id: string, flags: RuleFlags) => {
      const { costsUpdateCommand } = await import('./costs.js');
      await costsUpdateCommand(id, flags, ctx);
    });

  costs
    .command('remove <id>')
    .aliases(['rm', 'delete'])
    .summary('delete a pricing rule')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      '\nExamples:\n  $ aigw providers costs remove 0b5c3e4e-6a4f-4c4e-9d0a-8b7a1f2c3d4e --yes',
    )
    .action(async (id: string, flags: { yes?: boolean }) => {
      const { costsRemoveCommand } = await import('./costs.js');
      await costsRemoveCommand(id, flags, ctx);
    });
}

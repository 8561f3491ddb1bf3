// `aigw datasets ...`: registration only; the verbs load when they run.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { gatewayArgument } from '../args/gateway-argument.js';
import { addFilterOptions } from '../args/log-filter-options.js';
import { datasetsDeprecation } from '../help.js';
import type { DatasetFlags } from './verbs.js';

const filterHelp = `Filters (all must hold): the filter flags of aigw logs that datasets take:
--status error|success, --provider, --model, --cached, --no-cached, --since,
--until, --min-cost, --max-cost, --min-duration, --min-tokens, --feedback, and
--filter key:operator:value with
  keys: created_at, request_content_type, response_content_type, success,
    cached, provider, model, cost, tokens, tokens_in, tokens_out, duration,
    feedback
  operators: eq, contains, lt, gt
One value per filter. --since and --until are fixed when the command runs.
--meta, --event-id, --search and --status with a code do not apply.`;

export function registerDatasets(program: Command, ctx: Context): void {
  const datasets = program
    .command('datasets')
    .alias('dataset')
    .summary("a gateway's datasets: saved log filters for evaluations (deprecated)")
    .description(
      "A gateway's datasets: named log filters that evaluations read (aigw evals). The gateway may be " +
        'left out when the profile has a default gateway; a dataset is named by its id or its name.',
    )
    .addHelpText(
      'after',
      `
${datasetsDeprecation}

Examples:
  $ aigw datasets create prod-chat --name errors --status error
  $ aigw datasets list prod-chat
  $ aigw --local datasets get dev errors`,
    );

  addFilterOptions(
    datasets
      .command('create')
      .addArgument(gatewayArgument())
      .summary('create a dataset from filter flags')
      .description('Create a dataset: the logs that match the filter flags (every log without any).'),
  )
    .option('--name <name>', 'the name of the dataset (required)')
    .option('--enable', 'enabled (the default)')
    .option('--disable', 'disabled')
    .addHelpText(
      'after',
      `
${filterHelp}

${datasetsDeprecation}

Examples:
  $ aigw datasets create prod-chat --name errors --status error
  $ aigw datasets create prod-chat --name slow-openai --provider openai \\
      --min-duration 2s --since 7d
  $ aigw datasets create --name liked --feedback up --json`,
    )
    .action(async (gateway: string | undefined, flags: DatasetFlags) => {
      const { createCommand } = await import('./verbs.js');
      await createCommand(gateway, flags, ctx);
    });

  datasets
    .command('list')
    .addArgument(gatewayArgument())
    .alias('ls')
    .summary("list a gateway's datasets")
    .description("List a gateway's datasets, newest first. Piped: tab-separated rows, no header.")
    .option('--name <name>', 'only datasets with exactly this name')
    .option('--search <text>', 'only datasets whose id, name or filters contain this text')
    .option('--enabled', 'only enabled datasets')
    .option('--disabled', 'only disabled datasets')
    .addHelpText(
      'after',
      `
${datasetsDeprecation}

Examples:
  $ aigw datasets list prod-chat
  $ aigw datasets list prod-chat --search openai --json`,
    )
    .action(async (gateway: string | undefined, flags: Record<string, string | boolean | undefined>) => {
      const { listCommand } = await import('./verbs.js');
      await listCommand(gateway, flags, ctx);
    });

  datasets
    .command('get <gw-or-id> [id]')
    .alias('show')
    .summary('show a dataset')
    .description('Show one dataset: [gateway] <id or name>.')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw datasets get prod-chat errors
  $ aigw datasets get 0f4c2a8e-3b1d-4c55-9a43-2f8d7c1e9b60 --json`,
    )
    .action(async (first: string, second: string | undefined) => {
      const { getCommand } = await import('./verbs.js');
      await getCommand(first, second, ctx);
    });

  addFilterOptions(
    datasets
      .command('update <gw-or-id> [id]')
      .summary('rename, enable, disable or refilter a dataset')
      .description(
        'Change a dataset ([gateway] <id or name>): --name renames it, --enable or --disable sets its ' +
          'state, and filter flags replace its filters; what is not given keeps its value.',
      ),
  )
    .option('--name <name>', 'a new name')
    .option('--enable', 'enable it')
    .option('--disable', 'disable it')
    .addHelpText(
      'after',
      `
${filterHelp}

Examples:
  $ aigw datasets update prod-chat errors --disable
  $ aigw datasets update prod-chat errors --status error --provider openai`,
    )
    .action(async (first: string, second: string | undefined, flags: DatasetFlags) => {
      const { updateCommand } = await import('./verbs.js');
      await updateCommand(first, second, flags, ctx);
    });

  datasets
    .command('delete <gw-or-id> [id]')
    .alias('rm')
    .summary('delete a dataset (its logs stay)')
    .description(
      'Delete a dataset ([gateway] <id or name>); the logs it selects stay. Asks in a terminal; ' +
        'elsewhere (scripts, CI, --no-input) --yes is required.',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      `
Examples:
  $ aigw datasets delete prod-chat errors
  $ aigw datasets delete prod-chat errors --yes`,
    )
    .action(async (first: string, second: string | undefined, flags: { yes?: boolean }) => {
      const { deleteCommand } = await import('./verbs.js');
      await deleteCommand(first, second, flags, ctx);
    });
}
